using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// The dashboard's survey figures, per wave of every published survey: people reached, responses and response rate,
/// the eNPS question's promoters, detractors and answers, and the threshold k, with the month the wave started as its
/// period (so the dashboard can order them and the snapshot drops them after two years). Each version's figures are those
/// of its unfiltered released results (<see cref="SurveyReport"/>, ADR 0026 and 0035): a wave the results' trend hides has its responses
/// and rate stored as <see cref="Hidden"/> and no eNPS counts, with the version's own threshold, so the dashboard shows
/// nothing the results page suppresses; nor a rate whose responses are hidden, stored or read (<see cref="Waves"/>, which
/// every reader of the snapshot uses). Read from the released aggregate cells and the survey's campaign records: no response is
/// read. Names are <c>survey.{id}.v{n}.{wave}.{figure}</c> (<see cref="Key"/>).
/// </summary>
public sealed class SurveyInsights(ISurveyStore surveys, ICampaigns campaigns, SurveyRelease release) : IInsightSource
{
    public const string Prefix = "survey.";

    /// <summary>The value of a figure the results suppress (responses, rate): always written, so no earlier value stays behind.</summary>
    public const long Hidden = -1;

    /// <summary>The response rate is stored in hundredths of a percent (the report rounds it to four decimals).</summary>
    public const double RateScale = 10_000;

    public static readonly string[] Figures = ["sent", "responses", "rate", "promoters", "detractors", "enps-answered", "k"];

    public static string Key(string surveyId, int version, string wave, string figure) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}{surveyId}.v{version}.{wave}.{figure}");

    public async Task CollectAsync(InsightCollector collector, CancellationToken cancellationToken)
    {
        foreach (var survey in (await surveys.ListAsync(cancellationToken)).Where(s => s.Version > 0))
        {
            var records = (await surveys.CampaignsAsync(survey.Id, cancellationToken)).Where(c => !c.Reminder).ToArray();
            for (var version = 1; version <= survey.Version; version++)
            {
                // Without its content a version has no threshold: nothing of it can be shown. With it, the figures are the
                // version's released ones (ADR 0035), as on the results page: a daily roll-up of the live cells would give
                // away the day's one or two answers.
                if (await surveys.GetVersionAsync(survey.Id, version, cancellationToken) is { } content)
                {
                    var (cells, _) = await release.CellsAsync(survey, content, version, cancellationToken);
                    await CollectAsync(collector, survey, content, version, records.Where(r => r.Wave.Version == version).ToArray(), cells, cancellationToken);
                }
            }
        }
    }

    private async Task CollectAsync(
        InsightCollector collector, Survey survey, SurveyContent content, int version, SurveyCampaign[] records, IReadOnlyList<SurveyCell> cells, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var count = record.Settled ? record.Sent : (await campaigns.GetProgressAsync(record.CampaignId, cancellationToken))?.Sent ?? 0;
            sent[record.Wave.Wave] = sent.GetValueOrDefault(record.Wave.Wave) + count;
        }

        // The unfiltered results of the version, by the report's own rule: the dashboard is one more place they are shown.
        var results = SurveyReport.Build(survey, content, version, new ResultsQuery(version), cells, sent);
        foreach (var point in results.Trend)
        {
            var started = records.Where(r => r.Wave.Wave == point.Wave).Select(r => r.StartedAt).ToArray();
            var period = InsightPeriods.Month(started.Length > 0 ? started.Min() : collector.Now, collector.Calendar);
            var enps = point.Enps is not null && content.EnpsQuestion is { } question
                ? ResponseTally.Sum(cells.Where(c => c.Wave.Version == version && c.Wave.Wave == point.Wave).Select(c => c.Tally)).Of(question.Id)
                : new QuestionTally();
            var (responses, rate) = Shown(point.Responses, point.ResponseRate is { } r ? (long)Math.Round(r * RateScale) : null);
            var figures = new long[]
            {
                point.Sent ?? 0, responses ?? Hidden, rate ?? Hidden,
                enps.CountOf("9") + enps.CountOf("10"), Enumerable.Range(0, 7).Sum(s => enps.CountOf(AnswerSurvey.Score(s))), enps.Answered, results.K,
            };
            for (var i = 0; i < Figures.Length; i++)
            {
                collector.Set(Key(survey.Id, version, point.Wave, Figures[i]), figures[i], period: period);
            }
        }
    }

    /// <summary>
    /// The last <paramref name="last"/> waves of the snapshot by the month they started, as any reader of it (the console's
    /// dashboard, an API, a CSV) may show them: what the roll-up stored as <see cref="Hidden"/> is null, and so is every
    /// figure of a wave rolled up before the rate was stored (raw counts, not the results'), until the next roll-up.
    /// </summary>
    public static IReadOnlyList<SurveyWaveFigures> Waves(InsightSnapshot snapshot, int last) => snapshot.Metrics
        .Where(m => m.Key.StartsWith(Prefix, StringComparison.Ordinal) && m.Key.EndsWith(".sent", StringComparison.Ordinal))
        .Select(m => (Wave: m.Key[Prefix.Length..^".sent".Length], Period: m.Value.Period ?? ""))
        .OrderBy(p => p.Period, StringComparer.Ordinal).ThenBy(p => p.Wave, StringComparer.Ordinal)
        .TakeLast(last)
        .Select(p => Read(snapshot, p.Wave, p.Period))
        .ToArray();

    private static SurveyWaveFigures Read(InsightSnapshot snapshot, string wave, string period)
    {
        long Figure(string name) => snapshot.Value(Prefix + wave + "." + name);
        var rolledUpByTheResults = snapshot.Metrics.ContainsKey(Prefix + wave + ".rate");
        long? Stored(string name) => rolledUpByTheResults && Figure(name) is var v && v != Hidden ? v : null;
        var (responses, rate) = Shown(Stored("responses"), Stored("rate"));
        var answered = Figure("enps-answered");
        double? enps = rolledUpByTheResults && answered >= Math.Max(Figure("k"), SmallGroups.MinimumSize)
            ? Math.Round(100.0 * (Figure("promoters") - Figure("detractors")) / answered, 1)
            : null;
        var parts = wave.Split('.');
        return new SurveyWaveFigures(parts[0], int.Parse(parts[1].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture), parts[2], period,
            Figure("sent"), responses, rate / RateScale, enps);
    }

    /// <summary>
    /// A wave's responses and rate (in <see cref="RateScale"/>) as they may be shown, null where hidden: the responses when
    /// the results hide them or they are a small group (<see cref="SmallGroups"/>, which a snapshot rolled up under a k
    /// below 5 may hold), and the rate whenever the responses are hidden, whatever the reason, since beside the people
    /// asked it gives them back (30% of 10 is 3; ADR 0026). Applied when rolling up and again when reading, for snapshots
    /// rolled up before.
    /// </summary>
    private static (long? Responses, long? Rate) Shown(long? responses, long? rate) =>
        responses is { } r && SmallGroups.Shown(r) is { } shown ? (shown, rate) : (null, null);
}

/// <summary>One survey wave's dashboard figures, null where hidden (<see cref="SurveyInsights.Waves"/>).</summary>
/// <param name="Period">The month the wave started.</param>
/// <param name="Sent">People asked (a reader hides a small count as it hides any other, <see cref="SmallGroups"/>).</param>
/// <param name="ResponseRate">Responses out of those asked, as a fraction.</param>
public sealed record SurveyWaveFigures(string SurveyId, int Version, string Wave, string Period, long Sent, long? Responses, double? ResponseRate, double? Enps);
