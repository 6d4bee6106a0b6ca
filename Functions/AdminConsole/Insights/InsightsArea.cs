using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Insights;

/// <summary>
/// The insight dashboard: every registered <see cref="IDashboardSection"/>, in order, over the snapshot the
/// <c>RollUpInsights</c> timer keeps. One table read per view, so it stays fast at 100,000 alumni (docs/performance.md).
/// Aggregates only: open to viewers, who never see personal data.
/// </summary>
public sealed class InsightsArea : IConsoleArea
{
    public string Segment => "insights";

    public AdminCapability Capability => AdminCapability.Insights;

    public int Order => 50;

    public string Label(Locale locale) => AlumniPage.T(locale, "ダッシュボード", "Dashboard");

    public void Map(RouteGroupBuilder area) => area.MapGet("", async (HttpContext context, IInsightStore store, IEnumerable<IDashboardSection> sections, CompanyCalendar calendar, CancellationToken cancellationToken) =>
    {
        var view = await ConsoleView.ForAsync(context);
        var (snapshot, _) = await store.GetAsync(cancellationToken);
        var title = view.T("ダッシュボード", "Dashboard");
        if (snapshot.ComputedAt is not { } asOf)
        {
            return view.Render(StatusCodes.Status200OK, title, $"""
                <h1>{title}</h1>
                <p role="status">{view.T("集計はまだありません。数値は15分ごとに集計されます。", "Nothing is rolled up yet. The figures are rolled up every 15 minutes.")}</p>
                """);
        }

        var ordered = sections.OrderBy(s => s.Order).ToArray();
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{title}</h1>
            <p>{view.T($"{ConsolePage.Instant(asOf)} 時点の集計です。", $"Figures as of {ConsolePage.Instant(asOf)}.")}</p>
            {DashboardSections.Note(view.Locale, calendar.ZoneName)}
            <nav aria-label="{view.T("ダッシュボードの項目", "Dashboard sections")}"><ul>{string.Concat(ordered.Select(s => $"""<li><a href="#{E(s.Id)}">{E(s.Title(view.Locale))}</a></li>"""))}</ul></nav>
            {string.Concat(ordered.Select(s => $"""
                <section class="dashboard" id="{E(s.Id)}" aria-labelledby="{E(s.Id)}-heading">
                <h2 id="{E(s.Id)}-heading">{E(s.Title(view.Locale))}</h2>
                {s.Render(snapshot, calendar.DayOf(asOf), view.Locale)}
                </section>
                """))}
            """);
    });
}
