using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Insights;

/// <summary>
/// One section of the insight dashboard. It reads only the rolled-up snapshot (one row, whatever the number of alumni),
/// shows a chart with a text alternative and the same figures as a table, and never shows a small group
/// (<see cref="SmallGroups"/>). A feature adds its section by writing one class and registering it with
/// <see cref="DashboardSections.AddDashboardSection{T}"/>, next to the <see cref="IInsightSource"/> that counts its figures.
/// </summary>
public interface IDashboardSection
{
    /// <summary>The section's anchor (<c>#id</c>) and the prefix of its element ids.</summary>
    string Id { get; }

    /// <summary>Position on the dashboard, lowest first.</summary>
    int Order { get; }

    string Title(Locale l);

    /// <summary>
    /// The section's body: chart and table. <paramref name="asOf"/> is the company's date when the figures were rolled up:
    /// the last month or quarter shown is its (ADR 0020).
    /// </summary>
    string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l);
}

public static class DashboardSections
{
    public static IServiceCollection AddDashboardSection<T>(this IServiceCollection services)
        where T : class, IDashboardSection => services.AddSingleton<IDashboardSection, T>();

    public static string Hidden(Locale l) => AlumniPage.T(l, "5人未満", "<5");

    /// <summary>A count as the table prints it: suppressed when it is a small group.</summary>
    public static string Count(long people, Locale l) => SmallGroups.Shown(people) is { } n ? SvgChart.Value(n) : E(Hidden(l));

    /// <summary>A rate as the table prints it: a dash when there is nobody to count, suppressed when it would reveal a small group.</summary>
    public static string Percent(double? rate, long whole, Locale l) => whole == 0 ? "—" : rate is { } r ? SvgChart.Value(Math.Round(r * 100, 1)) + "%" : E(Hidden(l));

    /// <summary>
    /// A part of a whole printed next to it: suppressed, like <see cref="Count"/>, also when what is left of the whole is
    /// a small group, which the two figures would otherwise give away by subtraction.
    /// </summary>
    public static string Part(long part, long whole, Locale l) => SmallGroups.ShownPart(part, whole) is { } n ? SvgChart.Value(n) : E(HiddenPart(part, l));

    /// <summary>
    /// A cell of a group that adds up to a total, as <see cref="SmallGroups.ShownWithTotal"/> decided: every hidden cell
    /// carries the same marker, so none says which is the small group.
    /// </summary>
    public static string Cell(long? shown, Locale l) => shown is { } n ? SvgChart.Value(n) : E(HiddenInGroup(l));

    /// <summary>The marker for a hidden cell that may or may not be a small group.</summary>
    public static string HiddenInGroup(Locale l) => AlumniPage.T(l, "非表示", "hidden");

    /// <summary>The marker for a suppressed part: "&lt;5" when the part itself is small, else that it is hidden.</summary>
    public static string HiddenPart(long part, Locale l) => SmallGroups.IsSuppressed(part) ? Hidden(l) : HiddenInGroup(l);

    public static double? Shown(long people) => SmallGroups.Shown(people);

    /// <summary>A rate as a chart bar, in percent: 0 when there is nobody to count, none when it would reveal a small group.</summary>
    public static double? PercentShown(double? rate, long whole) => whole == 0 ? 0 : rate is { } r ? Math.Round(r * 100, 1) : null;

    /// <summary>The dashboard's footnote: what is hidden, and that months are the company's, in <paramref name="zone"/> (<c>Asia/Tokyo</c>).</summary>
    public static string Note(Locale l, string zone) => $"""<p class="secondary">{AlumniPage.T(l,
        $"5人未満の集団は、個人の特定を避けるため表示しません。差し引きで5人未満の集団がわかる内訳も表示しません。月・四半期・年は会社のタイムゾーン ({E(zone)}) の暦によります。",
        $"Groups of fewer than 5 people are not shown, so that nobody can be singled out; nor is a part that would reveal such a group by subtraction. Months, quarters and years are the company's calendar, in its time zone ({E(zone)}).")}</p>""";
}

/// <summary>Alumni by status now: departed (not yet invited), invited, joined, returned (rehired), erased.</summary>
public sealed class StatusSection : IDashboardSection
{
    public string Id => "status";

    public int Order => 10;

    public string Title(Locale l) => AlumniPage.T(l, "状態別のアルムナイ数", "Alumni by status");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var rows = InsightKeys.Statuses.Select(s => (Label: Label(s, l), Count: snapshot.Value(InsightKeys.Status(s)))).ToArray();
        return SvgChart.Bars(Id + "-chart", Title(l), rows.Select(r => new ChartPoint(r.Label, DashboardSections.Shown(r.Count))).ToArray(), DashboardSections.Hidden(l)) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "状態", "Status"), AlumniPage.T(l, "人数", "People")], rows.Select(r => new[] { E(r.Label), DashboardSections.Count(r.Count, l) }));
    }

    private static string Label(string status, Locale l) => status switch
    {
        InsightKeys.Departed => AlumniPage.T(l, "退職済み (未招待)", "Departed (not yet invited)"),
        InsightKeys.Invited => AlumniPage.T(l, "招待済み", "Invited"),
        InsightKeys.Joined => AlumniPage.T(l, "参加", "Joined"),
        InsightKeys.Returned => AlumniPage.T(l, "再入社", "Returned"),
        InsightKeys.Erased => AlumniPage.T(l, "削除 (本人の依頼)", "Erased (on request)"),
        _ => status,
    };
}

/// <summary>Joins per month over the last 12 months.</summary>
public sealed class JoinsSection : IDashboardSection
{
    public string Id => "joins";

    public int Order => 20;

    public string Title(Locale l) => AlumniPage.T(l, "月別の参加者数", "Joins per month");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var months = InsightPeriods.LastMonths(asOf, AlumniInsights.Months).Select(InsightPeriods.Month).ToArray();
        var counts = months.Select(m => snapshot.Value(InsightKeys.JoinsIn(m))).ToArray();
        return SvgChart.Bars(Id + "-chart", Title(l), months.Select((m, i) => new ChartPoint(m[2..], DashboardSections.Shown(counts[i]))).ToArray(), DashboardSections.Hidden(l)) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "月", "Month"), AlumniPage.T(l, "参加者", "Joined")], months.Select((m, i) => new[] { m, DashboardSections.Count(counts[i], l) }));
    }
}

/// <summary>Join rate by departure cohort (quarter of the last working day), last 8 quarters.</summary>
public sealed class CohortSection : IDashboardSection
{
    public string Id => "cohorts";

    public int Order => 30;

    public string Title(Locale l) => AlumniPage.T(l, "退職時期別の参加率", "Join rate by departure cohort");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var cohorts = InsightPeriods.LastQuarters(asOf, AlumniInsights.Quarters).Select(InsightPeriods.Quarter)
            .Select(q => (Quarter: q, Size: snapshot.Value(InsightKeys.CohortSize(q)), Joined: snapshot.Value(InsightKeys.CohortJoined(q))))
            .Select(c => (c.Quarter, c.Size, c.Joined, Rate: SmallGroups.Rate(c.Joined, c.Size)))
            .ToArray();
        return SvgChart.Bars(Id + "-chart", Title(l), cohorts.Select(c => new ChartPoint(c.Quarter, DashboardSections.PercentShown(c.Rate, c.Size))).ToArray(), DashboardSections.Hidden(l), "%") +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "退職四半期", "Cohort (quarter left)"), AlumniPage.T(l, "退職者", "Left"), AlumniPage.T(l, "参加者", "Joined"), AlumniPage.T(l, "参加率", "Join rate")],
                cohorts.Select(c => new[] { c.Quarter, DashboardSections.Count(c.Size, l), DashboardSections.Part(c.Joined, c.Size, l), DashboardSections.Percent(c.Rate, c.Size, l) }));
    }
}

/// <summary>How many alumni consent to each purpose, at the end of each of the last 12 months.</summary>
public sealed class ConsentSection : IDashboardSection
{
    public string Id => "consent";

    public int Order => 40;

    public string Title(Locale l) => AlumniPage.T(l, "目的別の同意者数の推移", "Consent by purpose over time");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var months = InsightPeriods.LastMonths(asOf, ConsentInsights.Months).Select(InsightPeriods.Month).ToArray();
        var series = ConsentPurposes.All.Select(p => (Purpose: p, Counts: months.Select(m => snapshot.Value(InsightKeys.ConsentGranted(p.ToString(), m))).ToArray())).ToArray();
        return SvgChart.Lines(Id + "-chart", Title(l), months.Select(m => m[2..]).ToArray(),
                series.Select(s => new ChartSeries(AlumniPage.PurposeLabel(s.Purpose, l), s.Counts.Select(DashboardSections.Shown).ToArray())).ToArray(), DashboardSections.Hidden(l)) +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "目的", "Purpose"), .. months],
                series.Select(s => new[] { AlumniPage.PurposeLabel(s.Purpose, l) }.Concat(s.Counts.Select(c => DashboardSections.Count(c, l))).ToArray()));
    }
}

/// <summary>Email engagement by campaign kind over the last 12 months: delivered, opened, clicked, and the open and click rates.</summary>
public sealed class EmailEngagementSection : IDashboardSection
{
    public string Id => "email";

    public int Order => 50;

    public string Title(Locale l) => AlumniPage.T(l, "キャンペーン種別ごとのメール反応", "Email engagement by campaign kind");

    public string Render(InsightSnapshot snapshot, DateOnly asOf, Locale l)
    {
        var months = InsightPeriods.LastMonths(asOf, EmailEngagementInsights.Months).Select(InsightPeriods.Month).ToArray();
        long Sum(string kind, EngagementKind e) => months.Sum(m => snapshot.Value(InsightKeys.EmailEvents(kind, e.ToString(), m)));
        var kinds = InsightKeys.CampaignKinds(snapshot)
            .Select(k => (Kind: k, Delivered: Sum(k, EngagementKind.Delivered)))
            .Select(k => (k.Kind, k.Delivered, Opened: EmailEngagementInsights.AtMostDelivered(Sum(k.Kind, EngagementKind.Opened), k.Delivered),
                Clicked: EmailEngagementInsights.AtMostDelivered(Sum(k.Kind, EngagementKind.Clicked), k.Delivered)))
            .ToArray();
        if (kinds.Length == 0)
        {
            return $"<p>{AlumniPage.T(l, "過去12か月のメール反応はまだありません。", "No email engagement in the last 12 months yet.")}</p>";
        }

        return SvgChart.Bars(Id + "-chart", AlumniPage.T(l, "開封率", "Open rate"),
                kinds.Select(k => new ChartPoint(k.Kind, SmallGroups.Rate(k.Opened, k.Delivered) is { } r ? Math.Round(r * 100, 1) : null)).ToArray(), DashboardSections.Hidden(l), "%") +
            ConsolePage.Table(Title(l), [AlumniPage.T(l, "種別", "Campaign kind"), AlumniPage.T(l, "配信", "Delivered"), AlumniPage.T(l, "開封", "Opened"),
                    AlumniPage.T(l, "クリック", "Clicked"), AlumniPage.T(l, "開封率", "Open rate"), AlumniPage.T(l, "クリック率", "Click rate")],
                kinds.Select(k => new[]
                {
                    E(k.Kind), DashboardSections.Count(k.Delivered, l), DashboardSections.Part(k.Opened, k.Delivered, l), DashboardSections.Part(k.Clicked, k.Delivered, l),
                    DashboardSections.Percent(SmallGroups.Rate(k.Opened, k.Delivered), k.Delivered, l),
                    DashboardSections.Percent(SmallGroups.Rate(k.Clicked, k.Delivered), k.Delivered, l),
                })) +
            $"""<p class="secondary">{AlumniPage.T(l, "開封は受信側の画像読み込みで数えるため、実際より多くも少なくもなります。", "Opens are counted from image loads by mail clients, so they over- and under-count.")} {AlumniPage.T(l,
                "配信・開封・クリックはそれぞれ発生した月に数えます（期間の前に配信されたメールの開封も含むため、開封とクリックは配信数を上限に表示します）。",
                "Deliveries, opens and clicks are each counted in the month they happened (an open may be of a mail delivered before these months), so opens and clicks are shown at most as many as deliveries.")}</p>""";
    }
}
