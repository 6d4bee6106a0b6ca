using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Functions.AdminConsole.Insights;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Events;

/// <summary>
/// Event attendance rate per month of the last 12 (<see cref="EventAttendanceInsights"/>): of the people registered for
/// events held that month, how many came. Counts of people under 5, rates built on them, and attendance that would
/// reveal such a count by subtraction are not shown.
/// </summary>
public sealed class EventAttendanceSection : IDashboardSection
{
    public string Id => "event-attendance";

    public int Order => 55;

    public string Title(Locale l) => AlumniPage.T(l, "イベントの出席率", "Event attendance rate");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var months = InsightPeriods.LastMonths(asOf, EventAttendanceInsights.Months).Select(InsightPeriods.Month)
            .Select(m => (Month: m, Held: snapshot.Value(EventAttendanceInsights.Held(m)), Unrecorded: snapshot.Value(EventAttendanceInsights.Unrecorded(m)),
                Registered: snapshot.Value(EventAttendanceInsights.Registered(m)), Attended: snapshot.Value(EventAttendanceInsights.Attended(m))))
            .Select(m => (m.Month, m.Held, m.Unrecorded, m.Registered, m.Attended, Rate: SmallGroups.Rate(m.Attended, m.Registered)))
            .ToArray();
        return SvgChart.Bars(Id + "-chart", Title(l), months.Select(m => new ChartPoint(m.Month[2..], DashboardSections.PercentShown(m.Rate, m.Registered))).ToArray(),
                DashboardSections.Hidden(l), "%") +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "月 (開催)", "Month held"), AlumniPage.T(l, "出欠を記録したイベント", "Events with attendance"),
                    AlumniPage.T(l, "参加登録", "Registered"), AlumniPage.T(l, "出席", "Attended"), AlumniPage.T(l, "出席率", "Attendance rate"),
                    AlumniPage.T(l, "出欠未記録のイベント", "Events not marked")],
                months.Select(m => new[]
                {
                    m.Month, SvgChart.Value(m.Held), DashboardSections.Count(m.Registered, l), DashboardSections.Part(m.Attended, m.Registered, l),
                    DashboardSections.Percent(m.Rate, m.Registered, l), SvgChart.Value(m.Unrecorded),
                })) +
            $"""<p class="secondary">{E(AlumniPage.T(l,
                "終了したイベントのうち、出欠を1人以上記録したものだけを数えます。中止したイベントとキャンセル待ちの人は含みません。",
                "Only ended events with at least one attendance marked are counted; cancelled events and the waitlist are not."))}</p>""";
    }
}
