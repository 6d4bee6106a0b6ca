using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Telemetry;

namespace AlumniNetwork.Functions.AnswerSurvey;

/// <summary>
/// The survey page behind a wave's signed link. GET shows the survey; GET with <c>score</c> (a number clicked in the
/// email) records that score first, unless the browser says it is only prefetching; POST saves the form. Neither is
/// traced beyond its request span: its storage spans would put the person's row and their answer's in one trace.
/// </summary>
public static class AnswerSurveyFunction
{
    public const string Route = "/api/alumni/survey";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (HttpContext context, string? token, Core.Surveys.AnswerSurvey survey, AlumniLinks links, CompanyCalendar calendar, CancellationToken cancellationToken) =>
        {
            var clicked = context.Request.Query.TryGetValue("score", out var score) && !SurveyPage.IsPrefetch(context.Request);
            var view = clicked ? await survey.ClickAsync(token, score.ToString(), cancellationToken) : await survey.ShowAsync(token, cancellationToken);
            return SurveyPage.Render(view, token, links, calendar);
        }).Untraced();

        app.MapFormPost(Route, async (form, context) =>
        {
            var survey = context.RequestServices.GetRequiredService<Core.Surveys.AnswerSurvey>();
            var token = form["token"].ToString();
            var view = await survey.SubmitAsync(token, SurveyPage.AnswersIn(form), context.RequestAborted);
            return SurveyPage.Render(view, token, context.RequestServices.GetRequiredService<AlumniLinks>(), context.RequestServices.GetRequiredService<CompanyCalendar>());
        }, multiValued: SurveyPage.IsAnswerField).Untraced();
    }
}
