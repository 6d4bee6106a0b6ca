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
            var token = form["token"].ToString();
            var rsvp = context.RequestServices.GetRequiredService<Core.Events.RespondToEvent>();
            var links = context.RequestServices.GetRequiredService<AlumniLinks>();
            return RsvpPage.ChoiceOf(form["choice"].ToString()) is { } choice
                ? RsvpPage.Render(await rsvp.RespondAsync(token, choice, context.RequestAborted), token, choice, links, posted: true)
                // Not an answer: the page again (or the link's problem page), in the alumnus's language, asking for one.
                : RsvpPage.Render(await rsvp.ShowAsync(token, context.RequestAborted), token, null, links, posted: true, choiceMissing: true);
        });
    }
}
