using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.BrowseOpenings;

/// <summary>The open positions page behind a signed link: GET shows the openings, POST expresses or withdraws interest in one.</summary>
public static class BrowseOpeningsFunction
{
    public const string Route = "/api/alumni/openings";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, Core.Openings.BrowseOpenings openings, AlumniLinks links, CompanyCalendar calendar, CancellationToken cancellationToken) =>
            OpeningsPage.Render(await openings.ShowAsync(token, cancellationToken), token, links, calendar, posted: false));

        app.MapFormPost(Route, async (form, context) =>
        {
            var token = form["token"].ToString();
            var openings = context.RequestServices.GetRequiredService<Core.Openings.BrowseOpenings>();
            var links = context.RequestServices.GetRequiredService<AlumniLinks>();
            var calendar = context.RequestServices.GetRequiredService<CompanyCalendar>();
            var (note, opening) = (form["note"].ToString(), form["opening"].ToString());
            return OpeningsPage.ChoiceOf(form["choice"].ToString()) is { } choice
                ? OpeningsPage.Render(await openings.RespondAsync(token, opening, choice, note, context.RequestAborted), token, links, calendar, posted: true, note: note, noteFor: opening)
                // Not a choice: the page again (or the link's problem page), in the alumnus's language, asking for one.
                : OpeningsPage.Render(await openings.ShowAsync(token, context.RequestAborted), token, links, calendar, posted: true, choiceMissing: true, note: note, noteFor: opening);
        });
    }
}
