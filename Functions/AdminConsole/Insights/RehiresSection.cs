using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Insights;

/// <summary>
/// Rehires of the last 12 months: returns and the returns the network had reached in the year before, per month; the
/// kind of their first touch; the median time away. Small groups hidden, the median too when it is of fewer than 5.
/// The monthly reached returns and the first touches each add up to the same total, the year's reached returns, which
/// either set gives away when all of it is shown: so neither may have a single hidden cell
/// (<see cref="SmallGroups.ShownWithTotal"/>).
/// </summary>
public sealed class RehiresSection : IDashboardSection
{
    public string Id => "rehires";

    public int Order => 65;

    public string Title(Locale l) => AlumniPage.T(l, "再入社 (ネットワーク経由)", "Rehires attributed to the network");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var months = InsightPeriods.LastMonths(asOf, RehireInsights.Months).Select(InsightPeriods.Month).ToArray();
        var rows = months.Select(m => (Month: m, Returns: snapshot.Value(RehireInsightKeys.ReturnsIn(m)), Attributed: snapshot.Value(RehireInsightKeys.AttributedIn(m)))).ToArray();
        var attributed = SmallGroups.ShownWithTotal(rows.Select(r => r.Attributed).ToArray(), rows.Select(r => SmallGroups.ShownPart(r.Attributed, r.Returns)).ToArray());
        var touches = Enum.GetValues<TouchKind>().Select(k => (Kind: k, People: snapshot.Value(RehireInsightKeys.FirstTouch(k)))).ToArray();
        var touchesShown = SmallGroups.ShownWithTotal(touches.Select(t => t.People).ToArray(), touches.Select(t => SmallGroups.Shown(t.People)).ToArray());
        // Suppressed on the returns it is of: one matched without a last working day has no time away.
        var daysAwayOf = snapshot.Value(RehireInsightKeys.DaysAwayOf);
        var median = SmallGroups.IsSuppressed(daysAwayOf) ? DashboardSections.Hidden(l) : daysAwayOf == 0 ? "—" : SvgChart.Value(snapshot.Value(RehireInsightKeys.MedianDaysAway));
        return SvgChart.Lines(Id + "-chart", Title(l), months.Select(m => m[2..]).ToArray(),
            [
                new ChartSeries(AlumniPage.T(l, "再入社", "Rehired"), rows.Select(r => DashboardSections.Shown(r.Returns)).ToArray()),
                new ChartSeries(AlumniPage.T(l, "うちネットワーク経由", "Reached by the network"), attributed.Select(a => (double?)a).ToArray()),
            ], DashboardSections.HiddenInGroup(l)) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "月", "Month"), AlumniPage.T(l, "再入社", "Rehired"), AlumniPage.T(l, "うちネットワーク経由", "Reached by the network")],
                rows.Select((r, i) => new[] { r.Month, DashboardSections.Count(r.Returns, l), DashboardSections.Cell(attributed[i], l) })) +
            ConsolePage.Table(AlumniPage.T(l, "最初の接点 (過去12か月)", "First touch (last 12 months)"), [AlumniPage.T(l, "接点", "Touch"), AlumniPage.T(l, "人数", "People")],
                touches.Select((t, i) => new[] { E(TouchLabel(t.Kind, l)), DashboardSections.Cell(touchesShown[i], l) })) +
            $"""<p>{AlumniPage.T(l, "退職から再入社までの日数 (中央値)", "Days from leaving to return (median)")}: {E(median)}</p>""";
    }

    private static string TouchLabel(TouchKind kind, Locale l) => kind switch
    {
        TouchKind.Campaign => AlumniPage.T(l, "メール配信", "Campaign email"),
        TouchKind.Event => AlumniPage.T(l, "イベント", "Event"),
        _ => AlumniPage.T(l, "募集", "Opening"),
    };
}
