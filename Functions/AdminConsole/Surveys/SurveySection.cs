using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.AdminConsole.Insights;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Surveys;

/// <summary>
/// The dashboard's survey section: the last 12 survey waves by the month they started, each with people asked,
/// responses, response rate and eNPS, from the rolled-up figures of <see cref="SurveyInsights"/>: what the survey's
/// unfiltered results show, with its own threshold k, so a wave the results hide is hidden here too (ADR 0026). Small
/// groups are never shown (<see cref="SmallGroups"/>, and eNPS only over at least the survey's own threshold of answers), nor
/// a response rate whose responses are hidden.
/// </summary>
public sealed class SurveySection : IDashboardSection
{
    public const int Waves = 12;

    public string Id => "surveys";

    public int Order => 60;

    public string Title(Locale l) => AlumniPage.T(l, "アンケートの回答率と eNPS の推移", "Survey response rate and eNPS");

    public string Render(InsightSnapshot snapshot, DateTimeOffset asOf, Locale l)
    {
        var points = snapshot.Metrics
            .Where(m => m.Key.StartsWith(SurveyInsights.Prefix, StringComparison.Ordinal) && m.Key.EndsWith(".sent", StringComparison.Ordinal))
            .Select(m => (Wave: m.Key[SurveyInsights.Prefix.Length..^".sent".Length], Period: m.Value.Period ?? ""))
            .OrderBy(p => p.Period, StringComparer.Ordinal).ThenBy(p => p.Wave, StringComparer.Ordinal)
            .TakeLast(Waves)
            .Select(p =>
            {
                long Figure(string name) => snapshot.Value(SurveyInsights.Prefix + p.Wave + "." + name);
                // The results hide a figure by storing Hidden. A wave without a rate was rolled up before that rule, with
                // raw counts: nothing of it is shown until the next roll-up.
                var rolledUpByTheResults = snapshot.Metrics.ContainsKey(SurveyInsights.Prefix + p.Wave + ".rate");
                long? Shown(string name) => rolledUpByTheResults && Figure(name) is var v && v != SurveyInsights.Hidden ? v : null;
                // A rate beside the people asked gives the responses away: it is hidden whenever they are, here too.
                var responses = Shown("responses") is { } r ? SmallGroups.Shown(r) : null;
                var (sent, rate, answered) = (Figure("sent"), responses is null ? null : Shown("rate"), Figure("enps-answered"));
                double? enps = rolledUpByTheResults && answered >= Math.Max(Figure("k"), SmallGroups.MinimumSize)
                    ? Math.Round(100.0 * (Figure("promoters") - Figure("detractors")) / answered, 1)
                    : null;
                var parts = p.Wave.Split('.');
                return (Survey: parts[0], Label: $"{parts[0][..6]} {parts[1]} {parts[2]}", p.Period, Sent: sent, Responses: responses, Rate: rate / SurveyInsights.RateScale, Enps: enps);
            })
            .ToArray();
        if (points.Length == 0)
        {
            return $"<p>{AlumniPage.T(l, "集計できるアンケートの回はまだありません。", "No survey waves to show yet.")}</p>";
        }

        var hidden = AlumniPage.T(l, "非表示 (少人数)", "Hidden (small group)");
        return SvgChart.Bars(Id + "-rate", AlumniPage.T(l, "回ごとの回答率", "Response rate by wave"),
                points.Select(p => new ChartPoint(p.Label, p.Sent == 0 ? 0 : p.Rate is { } r ? Math.Round(r * 100, 1) : null)).ToArray(), hidden, "%") +
            SvgChart.Lines(Id + "-enps", AlumniPage.T(l, "回ごとの eNPS", "eNPS by wave"), points.Select(p => p.Label).ToArray(),
                [new ChartSeries("eNPS", points.Select(p => p.Enps).ToArray())], hidden) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "アンケート・版・回", "Survey, version, wave"), AlumniPage.T(l, "開始月", "Started"), AlumniPage.T(l, "依頼数", "Asked"),
                    AlumniPage.T(l, "回答数", "Responses"), AlumniPage.T(l, "回答率", "Response rate"), "eNPS"],
                points.Select(p => new[]
                {
                    $"""<a href="{ConsolePage.Root}/surveys/{E(p.Survey)}">{E(p.Label)}</a>""", E(p.Period), DashboardSections.Count(p.Sent, l), p.Responses is { } n ? DashboardSections.Count(n, l) : E(hidden),
                    p.Rate is null && p.Sent != 0 ? E(hidden) : DashboardSections.Percent(p.Rate, p.Sent, l), p.Enps is { } e ? SvgChart.Value(e) : E(hidden),
                }));
    }
}
