using System.Globalization;
using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>A page of free-text answers to one question for the group, when the group's answers to it are shown at all.</summary>
/// <param name="Total">How many in the group answered the question (from the aggregates).</param>
/// <param name="After">The cursor this page starts after (null: the first page).</param>
/// <param name="Next">The cursor of the next page, when this one is full.</param>
public sealed record CommentsView(
    SurveyResultsView Results, SurveyQuestion Question, bool Suppressed, IReadOnlyList<string> Texts, long Total, string? After = null, string? Next = null);

/// <summary>
/// Results of a survey for the report page, its CSV and the results API: summed from the version's released aggregate
/// cells (<see cref="SurveyRelease"/>: one row and one range query, whatever the number of responses) and who each wave
/// reached from the survey's own campaign records, then thresholded by <see cref="SurveyReport"/>. Aggregates only: what
/// a viewer with no access to personal data may see.
/// </summary>
public sealed class SurveyResults(
    ISurveyStore surveys, ISurveyResponseStore responses, ICampaigns campaigns, SurveyRelease release, IOptions<SurveyOptions> options)
{
    public async Task<AdminOutcome<SurveyResultsView>> GetAsync(string id, ResultsQuery query, CancellationToken cancellationToken) =>
        (await ReadAsync(id, query, cancellationToken)).Outcome;

    /// <summary>The results, and when there are any, the same released cells built for another query of the version.</summary>
    private async Task<(AdminOutcome<SurveyResultsView> Outcome, Func<ResultsQuery, SurveyResultsView>? Build)> ReadAsync(
        string id, ResultsQuery query, CancellationToken cancellationToken)
    {
        if (!Survey.IsId(id) || await surveys.GetAsync(id, cancellationToken) is not { } survey)
        {
            return (new AdminOutcome<SurveyResultsView>.NotFound(), null);
        }

        if (survey.Version == 0)
        {
            return (new AdminOutcome<SurveyResultsView>.Conflict("The survey is not published yet: it has no results."), null);
        }

        var version = query.Version ?? survey.Version;
        if (version > survey.Version || await surveys.GetVersionAsync(id, version, cancellationToken) is not { } content)
        {
            return (new AdminOutcome<SurveyResultsView>.Invalid([new FieldError("version", $"must be a published version, 1 to {survey.Version}")]), null);
        }

        var (cells, released) = await release.CellsAsync(survey, content, version, cancellationToken);
        var sent = await SentAsync(id, version, cancellationToken);
        SurveyResultsView Build(ResultsQuery q) => SurveyReport.Build(survey, content, version, q, cells, sent) with { Release = released };
        var results = Build(query);

        // The waves are listed on the report anyway; which cohort groups exist is not, so an unknown value stays hidden (ADR 0026).
        if (query.Wave is { } wave && !results.Waves.Contains(wave, StringComparer.Ordinal))
        {
            var waves = results.Waves.Count == 0 ? "none has been started yet" : string.Join(", ", results.Waves);
            return (new AdminOutcome<SurveyResultsView>.Invalid([new FieldError("wave", $"must be a wave of version {version}: {waves}")]), null);
        }

        return (new AdminOutcome<SurveyResultsView>.Done(results), Build);
    }

    /// <summary>
    /// One page of a free-text question's answers: one range read of the question's comment rows (ADR 0026), never the
    /// responses; of one wave or of the version's waves whose own lists open, never of a cohort group, and only when its
    /// figures for the question are shown, in the order of keys that link no two comments.
    /// </summary>
    /// <param name="after">The cursor of the page: the key the previous page ended at.</param>
    public async Task<AdminOutcome<CommentsView>> CommentsAsync(string id, ResultsQuery query, string? questionId, string? after, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!string.IsNullOrEmpty(after) && !SurveyComments.IsKey(after))
        {
            errors.Add(new FieldError("after", "must be the cursor a comments page links to (32 lower-case hex digits)"));
        }

        // The same text in the lists of several groups would name its writer's whole cohort (ADR 0026).
        if (query.Dimension is not null)
        {
            errors.Add(new FieldError("by", "must be empty: free-text answers are listed by version and wave only, never by cohort group"));
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<CommentsView>.Invalid(errors);
        }

        var (outcome, build) = await ReadAsync(id, query, cancellationToken);
        if (outcome is not AdminOutcome<SurveyResultsView>.Done { Value: var results } || build is null)
        {
            return outcome switch
            {
                AdminOutcome<SurveyResultsView>.Invalid invalid => new AdminOutcome<CommentsView>.Invalid(invalid.Errors),
                AdminOutcome<SurveyResultsView>.Conflict conflict => new AdminOutcome<CommentsView>.Conflict(conflict.Reason),
                _ => new AdminOutcome<CommentsView>.NotFound(),
            };
        }

        if (results.Content.Question(questionId ?? "") is not { Kind: QuestionKind.FreeText } asked)
        {
            return new AdminOutcome<CommentsView>.Invalid([new FieldError("question", "must be a free-text question of this version")]);
        }

        // A suppressed group has no question figures at all; a shown one may still hide this question's.
        if (Figures(results, asked) is not { Suppressed: false } question)
        {
            return new AdminOutcome<CommentsView>.Done(new CommentsView(results, asked, true, [], 0));
        }

        // The version's list holds the comments of the waves whose own lists open, and no others (ADR 0035): the comments
        // of a wave the released figures hide, or do not hold yet, would be the version's list minus the shown waves' lists.
        string[] waves = results.Query.Wave is { } one
            ? [one]
            : results.Waves.Where(w => Figures(build(results.Query with { Wave = w }), asked) is { Suppressed: false }).ToArray();
        if (waves.Length == 0)
        {
            return new AdminOutcome<CommentsView>.Done(new CommentsView(results, asked, true, [], 0));
        }

        var cursor = string.IsNullOrEmpty(after) ? null : after;
        var perPage = options.Value.CommentsPerPage;
        var page = await responses.CommentsAsync(id, results.Version, question.Question.Id, waves, cursor, perPage, cancellationToken);
        return new AdminOutcome<CommentsView>.Done(new CommentsView(
            results, question.Question, false, page.Select(c => c.Text).ToArray(), question.Answered ?? 0, cursor, page.Count == perPage ? page[^1].Key : null));
    }

    /// <summary>The aggregates exactly as the report shows them (suppressed figures stay empty), one line per figure.</summary>
    public static string Csv(SurveyResultsView r, Locale locale)
    {
        var csv = new StringBuilder(Admin.Csv.Row(["section", "version", "wave", "group", "question", "value", "label", "count", "rate", "mean", "enps"]));
        var group = r.Query.Dimension is { } d ? $"{d}={r.Query.Value}" : "all";
        var wave = r.Query.Wave ?? "all";
        void Row(string section, string? w, string? g, string? question, string? value, string? label, long? count, double? rate = null, double? mean = null, double? enps = null) =>
            csv.Append(Admin.Csv.Row([section, N(r.Version), w, g, question, value, label, N(count), N(rate), N(mean), N(enps)]));

        Row("responses", wave, group, null, null, null, r.Selected.Responses, r.ResponseRate);
        foreach (var q in r.Selected.Questions)
        {
            Row("question", wave, group, q.Question.Id, null, q.Question.Text.In(locale), q.Answered, q.AnswerRate, q.Mean, q.Enps);
            foreach (var v in q.Distribution ?? [])
            {
                Row("answer", wave, group, q.Question.Id, v.Value, v.Label.In(locale), v.Count);
            }
        }

        foreach (var p in r.Trend)
        {
            Row("trend", p.Wave, group, null, null, null, p.Responses, p.ResponseRate, enps: p.Enps);
        }

        foreach (var b in r.Breakdowns)
        {
            foreach (var row in b.Rows)
            {
                Row("breakdown", wave, $"{b.Dimension}={row.Value}", null, null, null, row.Responses, enps: row.Enps);
            }

            if (b.HiddenGroups > 0)
            {
                Row("breakdown", wave, $"{b.Dimension}=(small groups)", null, null, null, null);
            }
        }

        return csv.ToString();
    }

    /// <summary>People each wave of the version reached: settled campaigns from their record, the others from the engine now.</summary>
    private async Task<Dictionary<string, long>> SentAsync(string id, int version, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in (await surveys.CampaignsAsync(id, cancellationToken)).Where(c => !c.Reminder && c.Wave.Version == version))
        {
            var count = record.Settled ? record.Sent : (await campaigns.GetProgressAsync(record.CampaignId, cancellationToken))?.Sent ?? 0;
            sent[record.Wave.Wave] = sent.GetValueOrDefault(record.Wave.Wave) + count;
        }

        return sent;
    }

    private static QuestionResult? Figures(SurveyResultsView results, SurveyQuestion question) =>
        results.Selected.Questions.FirstOrDefault(q => q.Question.Id == question.Id);

    private static string? N(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? N(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
