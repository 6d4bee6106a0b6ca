using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.Http;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AlumniPages;

/// <summary>What every alumni page shares: the language choice, the navigation between pages, and the link problem pages.</summary>
public static class AlumniPage
{
    public static string T(Locale locale, string japanese, string english) => locale == Locale.Japanese ? japanese : english;

    public static string NameOf(Alumnus a) =>
        a.Locale == Locale.Japanese ? $"{E(a.FamilyName)} {E(a.GivenName)} 様" : $"{E(a.GivenName)} {E(a.FamilyName)}";

    /// <param name="reachedByPrivacyLink">True only on a page opened with an export or erase link (ADR 0007).</param>
    public static IResult Render(Alumnus alumnus, int statusCode, string title, string body, AlumniLinks links, bool reachedByPrivacyLink = false) =>
        HtmlPage.Render(statusCode, alumnus.Locale.ToTag(), title, $"""
            <h1>{E(title)}</h1>
            <p>{NameOf(alumnus)}</p>
            {body}
            {Navigation(alumnus, links, reachedByPrivacyLink)}
            """);

    /// <summary>
    /// The links between the pages. Export and erase links are issued only on a page reached by one: every other page
    /// is reached from links that get forwarded (a newsletter's footer), so it offers to mail those links to the
    /// alumnus's own address instead (ADR 0007), with a fresh preferences token, the form's only credential.
    /// </summary>
    public static string Navigation(Alumnus a, AlumniLinks links, bool reachedByPrivacyLink) => $"""
        <nav aria-label="{T(a.Locale, "アルムナイのページ", "Alumni pages")}"><hr><ul>
        <li><a href="{E(links.Relative(LinkPurpose.Preferences, a))}">{T(a.Locale, "配信設定・同意の管理", "Email preferences and consent")}</a></li>
        <li><a href="{E(links.Relative(LinkPurpose.Profile, a))}">{T(a.Locale, "プロフィール", "Your profile")}</a></li>
        <li><a href="{E(links.Relative(LinkPurpose.Openings, a))}">{T(a.Locale, "募集中のポジション", "Open positions")}</a></li>
        <li><a href="{E(links.Relative(LinkPurpose.CollaborationCard, a))}">{T(a.Locale, "協業カード", "Your collaboration card")}</a></li>
        <li><a href="{E(links.Relative(LinkPurpose.CollaborationDirectory, a))}">{T(a.Locale, "協業ディレクトリ", "Collaboration directory")}</a></li>
        {(reachedByPrivacyLink ? PrivacyLinks(a, links) : PrivacyLinkRequest(a, links))}
        </ul></nav>
        """;

    private static string PrivacyLinks(Alumnus a, AlumniLinks links) => $"""
        <li><a href="{E(links.Relative(LinkPurpose.Export, a))}">{T(a.Locale, "登録データのダウンロード", "Download your data")}</a></li>
        <li><a href="{E(links.Relative(LinkPurpose.Erase, a))}">{T(a.Locale, "登録データの削除", "Erase your data")}</a></li>
        """;

    private static string PrivacyLinkRequest(Alumnus a, AlumniLinks links)
    {
        var token = links.Token(LinkPurpose.Preferences, a);
        return $"""
        <li><form method="post" action="{FormAction("/" + AlumniLinks.PathOf(LinkPurpose.Preferences), token)}">
        <input type="hidden" name="token" value="{E(token)}">
        <button type="submit" name="action" value="{ExportLinkAction}">{T(a.Locale, "登録データのダウンロード用リンクをメールで送る", "Email me a link to download my data")}</button>
        <button type="submit" name="action" value="{EraseLinkAction}">{T(a.Locale, "登録データの削除用リンクをメールで送る", "Email me a link to erase my data")}</button>
        </form></li>
        """;
    }

    /// <summary>
    /// A form's <c>action</c>: its route with the link token the form also carries, so the rate limiter, which reads
    /// only the query, counts the post against the link's alumnus rather than against an address many alumni may share
    /// (ADR 0013). The handler still reads the token in the form; the query one only picks the budget.
    /// </summary>
    public static string FormAction(string route, string? token) => E($"{route}?token={Uri.EscapeDataString(token ?? "")}");

    /// <summary>The preferences form's actions that mail an export or erase link (<see cref="PrivacyLinkRequest"/>).</summary>
    public const string ExportLinkAction = "email-export-link";

    public const string EraseLinkAction = "email-erase-link";

    /// <summary>The page for a link that gives no access: tampered (400), expired (410) or about data no longer held (410).</summary>
    public static IResult LinkProblem(LinkAccessStatus status, Locale? locale) => status switch
    {
        LinkAccessStatus.Expired when locale is { } l => HtmlPage.Render(StatusCodes.Status410Gone, l.ToTag(), T(l, "リンクの有効期限切れ", "Link expired"), $"""
            <h1>{T(l, "このリンクは有効期限が切れています", "This link has expired")}</h1>
            <p>{T(l, "お手数ですが、人事部のアルムナイ担当までご連絡ください。新しいリンクをお送りします。",
                "Please contact the alumni team in HR and we will send you a new link.")}</p>
            """),
        LinkAccessStatus.Gone => HtmlPage.Render(StatusCodes.Status410Gone, Locales.JapaneseTag, "データはありません / No data held", """
            <h1 lang="ja">お客様のデータは保持していません</h1>
            <p lang="ja">このリンクに対応する登録データは削除されています。</p>
            <h1 lang="en">We hold no data about you</h1>
            <p lang="en">The data this link referred to has been erased.</p>
            """),
        _ => HtmlPage.Render(StatusCodes.Status400BadRequest, Locales.JapaneseTag, "リンクが無効です / Invalid link", """
            <h1 lang="ja">このリンクは無効です</h1>
            <p lang="ja">リンクが途中で切れているか、変更されています。メールのリンクをもう一度お試しください。</p>
            <h1 lang="en">This link is not valid</h1>
            <p lang="en">The link is incomplete or has been changed. Please open the link in your email again.</p>
            """),
    };

    public static string PurposeLabel(ConsentPurpose purpose, Locale l) => purpose switch
    {
        ConsentPurpose.NetworkMembership => T(l, "アルムナイネットワークへの参加", "Membership of the alumni network"),
        ConsentPurpose.Newsletter => T(l, "ニュースレターを受け取る", "Receive the newsletter"),
        ConsentPurpose.Events => T(l, "イベント・講演会のご案内を受け取る", "Receive invitations to events and talks"),
        ConsentPurpose.JobOffers => T(l, "再入社・プロジェクト案件のご案内を受け取る", "Receive comeback roles and project work"),
        ConsentPurpose.Surveys => T(l, "アンケートのご依頼を受け取る", "Receive feedback surveys"),
        ConsentPurpose.DirectoryVisibility => T(l, "プロフィールを他のアルムナイに公開する", "Show my profile to other alumni"),
        ConsentPurpose.EmployeeVisibility => T(l, "プロフィールを現役社員に公開する", "Show my profile to current employees"),
        ConsentPurpose.Collaboration => T(l, "協業のご依頼（社員・会社の協業募集から）を受け取る", "Receive collaboration requests from employees and the company's calls"),
        _ => purpose.ToString(),
    };

    public static string PurposeCheckboxes(IEnumerable<ConsentPurpose> purposes, Func<ConsentPurpose, bool> ticked, Locale l) =>
        string.Concat(purposes.Select(p => $"""
            <p><label><input type="checkbox" name="purpose" value="{p}"{(ticked(p) ? " checked" : "")}> {PurposeLabel(p, l)}</label></p>
            """));

    /// <summary>
    /// The ticked purposes, or null when a value is not one of the purposes the page <paramref name="offered"/>
    /// (a crafted post, answered 400): a page records only boxes it showed.
    /// </summary>
    public static IReadOnlySet<ConsentPurpose>? TickedPurposes(IFormCollection form, IReadOnlyList<ConsentPurpose> offered)
    {
        var ticked = new HashSet<ConsentPurpose>();
        foreach (var value in form["purpose"])
        {
            if (!Core.Validation.EnumNames.TryParse<ConsentPurpose>(value, ignoreCase: false, out var purpose) || !offered.Contains(purpose))
            {
                return null;
            }

            ticked.Add(purpose);
        }

        return ticked;
    }

    public static IResult UnknownPurpose(string field, IReadOnlyList<ConsentPurpose> offered) => Problems.Invalid(
        [new Core.Validation.FieldError(field, $"must be one of {string.Join(", ", offered)}")]);
}
