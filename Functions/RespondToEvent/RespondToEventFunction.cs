using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Http;

namespace AlumniNetwork.Functions.RespondToEvent;

/// <summary>The RSVP page behind an invitation's signed links: GET shows the event and the answer so far, POST records an answer.</summary>
public static class RespondToEventFunction
{
    public const string Route = "/api/alumni/rsvp";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, string? choice, Core.Events.RespondToEvent rsvp, AlumniLinks links, CancellationToken cancellationToken) =>
            RsvpPage.Render(await rsvp.ShowAsync(token, cancellationToken), token, RsvpPage.ChoiceOf(choice), links, posted: false));

        app.MapFormPost(Route, async (form, context) =>
        {
            if (RsvpPage.ChoiceOf(form["choice"].ToString()) is not { } choice)
            {
                return Problems.Invalid([new Core.Validation.FieldError("choice", "must be attend or decline")]);
            }

            var token = form["token"].ToString();
            var view = await context.RequestServices.GetRequiredService<Core.Events.RespondToEvent>().RespondAsync(token, choice, context.RequestAborted);
            return RsvpPage.Render(view, token, choice, context.RequestServices.GetRequiredService<AlumniLinks>(), posted: true);
        });
    }
}
