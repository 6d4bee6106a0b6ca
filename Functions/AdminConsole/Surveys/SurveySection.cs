using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.AdminConsole.Insights;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Surveys;

/// <summary>
/// The dashboard's survey section: the last 12 survey waves by the month they started, each with people asked,
/// responses, response rate and eNPS, as <see cref="SurveyInsights.Waves"/> reads them from the snapshot: what the survey's
/// unfiltered results show, with its own threshold k, so a wave the results hide is hidden here too (ADR 0026). What is
/// hidden is decided there; this only renders it.
/// </summary>
public sealed class SurveySection : IDashboardSection
{
    public const int Waves = 12;

    public string Id => "surveys";

    public int Order => 60;

    public string Title(Locale l) => AlumniPage.T(l, "アンケートの回答率と eNPS の推移", "Survey response rate and eNPS");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var points = SurveyInsights.Waves(snapshot, Waves);
        if (points.Count == 0)
        {
            return $"<p>{AlumniPage.T(l, "集計できるアンケートの回はまだありません。", "No survey waves to show yet.")}</p>";
        }

        var hidden = AlumniPage.T(l, "非表示 (少人数)", "Hidden (small group)");
        return SvgChart.Bars(Id + "-rate", AlumniPage.T(l, "回ごとの回答率", "Response rate by wave"),
                points.Select(p => new ChartPoint(Label(p), p.Sent == 0 ? 0 : p.ResponseRate is { } r ? Math.Round(r * 100, 1) : null)).ToArray(), hidden, "%") +
            SvgChart.Lines(Id + "-enps", AlumniPage.T(l, "回ごとの eNPS", "eNPS by wave"), points.Select(p => Label(p)).ToArray(),
                [new ChartSeries("eNPS", points.Select(p => p.Enps).ToArray())], hidden) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "アンケート・版・回", "Survey, version, wave"), AlumniPage.T(l, "開始月", "Started"), AlumniPage.T(l, "依頼数", "Asked"),
                    AlumniPage.T(l, "回答数", "Responses"), AlumniPage.T(l, "回答率", "Response rate"), "eNPS"],
                points.Select(p => new[]
                {
                    $"""<a href="{ConsolePage.Root}/surveys/{E(p.SurveyId)}">{E(Label(p))}</a>""", E(p.Period), DashboardSections.Count(p.Sent, l), p.Responses is { } n ? DashboardSections.Count(n, l) : E(hidden),
                    p.ResponseRate is null && p.Sent != 0 ? E(hidden) : DashboardSections.Percent(p.ResponseRate, p.Sent, l), p.Enps is { } e ? SvgChart.Value(e) : E(hidden),
                }));
    }

    private static string Label(SurveyWaveFigures wave) => $"{wave.SurveyId[..6]} v{wave.Version} {wave.Wave}";
}
