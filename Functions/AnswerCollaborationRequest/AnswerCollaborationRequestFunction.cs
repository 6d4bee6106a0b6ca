using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.AnswerCollaborationRequest;

/// <summary>The page behind a collaboration request's signed links: GET shows who asks and why, POST records accept or decline once.</summary>
public static class AnswerCollaborationRequestFunction
{
    public const string Route = "/api/alumni/collaboration/answer";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, string? choice, Core.Collaboration.AnswerCollaborationRequest answers, AlumniLinks links,
            IOptions<CompanyOptions> company, CancellationToken cancellationToken) =>
            AnswerPage.Render(await answers.ShowAsync(token, cancellationToken), token, AnswerPage.ChoiceOf(choice), links, company.Value.Name));

        app.MapFormPost(Route, async (form, context) =>
        {
            var token = form["token"].ToString();
            var answers = context.RequestServices.GetRequiredService<Core.Collaboration.AnswerCollaborationRequest>();
            var links = context.RequestServices.GetRequiredService<AlumniLinks>();
            var company = context.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value.Name;
            return AnswerPage.ChoiceOf(form["choice"].ToString()) is { } choice
                ? AnswerPage.Render(await answers.AnswerAsync(token, choice, context.RequestAborted), token, choice, links, company)
                // Not an answer: the page again (or the link's problem page), in the alumnus's language, asking for one.
                : AnswerPage.Render(await answers.ShowAsync(token, context.RequestAborted), token, null, links, company, choiceMissing: true);
        });
    }
}
