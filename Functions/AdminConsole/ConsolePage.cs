using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// One console request as a page sees it: the language (Japanese or English, switched by a cookie), the areas the
/// signed-in role may open, and the shell around every page: skip link, navigation, language switch, sign-out.
/// Pages are <see cref="HtmlPage"/>s: no script, strict CSP, <c>no-store</c>.
/// </summary>
public sealed class ConsoleView
{
    public const string LanguageCookie = "alumni-console-lang";

    private ConsoleView(HttpContext context, Locale locale, IReadOnlyList<IConsoleArea> areas)
    {
        Context = context;
        Locale = locale;
        Areas = areas;
    }

    public HttpContext Context { get; }

    public Locale Locale { get; }

    /// <summary>The areas the signed-in user may open, in navigation order.</summary>
    public IReadOnlyList<IConsoleArea> Areas { get; }

    public string Lang => Locale.ToTag();

    public static async Task<ConsoleView> ForAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var areas = new List<IConsoleArea>();
        foreach (var area in services.GetServices<IConsoleArea>().OrderBy(a => a.Order))
        {
            if (context.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(context.User, AdminPolicies.For(area.Capability))).Succeeded)
            {
                areas.Add(area);
            }
        }

        return new ConsoleView(context, LocaleOf(context), areas);
    }

    /// <summary>The cookie's choice, else the browser's first preference between the two, else the company's default.</summary>
    public static Locale LocaleOf(HttpContext context)
    {
        var chosen = context.Request.Cookies[LanguageCookie];
        if (chosen is "ja" or "en")
        {
            return chosen == "ja" ? Locale.Japanese : Locale.English;
        }

        var preferred = context.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value ?? "")
            .FirstOrDefault(l => l.StartsWith("ja", StringComparison.OrdinalIgnoreCase) || l.StartsWith("en", StringComparison.OrdinalIgnoreCase));
        if (preferred is not null)
        {
            return preferred.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Locale.Japanese : Locale.English;
        }

        var company = context.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value;
        return Locales.TryParse(company.DefaultLocale, out var fallback) ? fallback : Locale.Japanese;
    }

    public string T(string japanese, string english) => Locale == Locale.Japanese ? japanese : english;

    public IResult Render(int statusCode, string title, string body) =>
        HtmlPage.Render(statusCode, Lang, $"{title} | {T("アルムナイ管理", "Alumni console")}", body, Header(), ConsolePage.Css);

    /// <summary>A form in Development, where the app signs out; the platform's sign-out link elsewhere.</summary>
    private string SignOut() => Context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment()
        ? $"""<form method="post" action="{ConsolePage.Root}/sign-out">{ConsoleForms.TokenField(Context)}<button type="submit" class="link">{T("サインアウト", "Sign out")}</button></form>"""
        : $"""<a href="{E(AdminConsoleFunction.PlatformSignOutPath)}">{T("サインアウト", "Sign out")}</a>""";

    private string Header()
    {
        var request = Context.Request;
        var here = request.Path + request.QueryString;
        var company = Context.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value.Name;
        var other = Locale == Locale.Japanese ? ("en", "English", "en") : ("ja", "日本語", "ja");
        var user = Context.User;
        var roles = string.Join(", ", user.FindAll("roles").Select(r => r.Value));
        var links = string.Concat(Areas.Select(a =>
        {
            var path = $"{ConsolePage.Root}/{a.Segment}";
            var current = request.Path.StartsWithSegments(path) ? " aria-current=\"page\"" : "";
            return $"""<li><a href="{E(path)}"{current}>{E(a.Label(Locale))}</a></li>""";
        }));
        return $"""
            <a class="skip" href="#main">{T("本文へ移動", "Skip to content")}</a>
            <header class="console-header">
            <p class="brand"><a href="{ConsolePage.Root}/home">{E(company)} {T("アルムナイ管理", "Alumni console")}</a></p>
            <nav aria-label="{T("管理メニュー", "Console")}"><ul>{links}</ul></nav>
            <div class="session">
            <p>{E(user.FindFirst("name")?.Value ?? AdminActor.IdOf(user))} <span class="secondary">({E(roles)})</span></p>
            <p><a href="{ConsolePage.Root}/language?to={other.Item1}&amp;back={Uri.EscapeDataString(here)}" lang="{other.Item3}" hreflang="{other.Item3}">{other.Item2}</a></p>
            {SignOut()}
            </div>
            </header>
            """;
    }
}

/// <summary>The console's routes, style sheet and the pages every area shares (not found, forbidden, invalid request).</summary>
public static class ConsolePage
{
    public const string Root = "/api/console";

    public const string Css = """
        body { max-width: 72rem; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: 0.5rem; }
        .console-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; border-bottom: 1px solid #cccccc; }
        .console-header nav ul { display: flex; gap: 1rem; list-style: none; padding: 0; }
        .console-header a[aria-current="page"] { font-weight: bold; }
        .brand a { color: #1a1a1a; font-weight: bold; text-decoration: none; }
        .session { display: flex; gap: 1rem; align-items: center; }
        .session form { margin: 0; }
        button.link { background: none; color: #0b5394; padding: 0; text-decoration: underline; }
        a { color: #0b5394; }
        table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
        th, td { border: 1px solid #cccccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
        td.number, th.number { text-align: right; }
        label { display: inline-block; margin-right: 1rem; }
        input, select { font-size: 1rem; padding: 0.3rem; }
        input:focus-visible, select:focus-visible { outline: 3px solid #f1a208; }
        .hr-only { border: 2px solid #8a1c1c; padding: 0.75rem; }
        .badge { background: #8a1c1c; color: #ffffff; padding: 0.1rem 0.4rem; border-radius: 3px; font-size: 0.85rem; }
        .status { background: #e6f4ea; border-left: 4px solid #1e7e34; padding: 0.5rem; }
        .errors { background: #fdecea; border-left: 4px solid #8a1c1c; padding: 0.5rem; }
        figure { margin: 0.5rem 0; } svg text { font-size: 12px; fill: #1a1a1a; }
        section.dashboard { border-top: 1px solid #cccccc; margin-top: 1.5rem; }
        p.field label { display: block; margin: 0; } p.field input:not([type="number"]), p.field textarea, p.field select { width: 100%; max-width: 40rem; box-sizing: border-box; }
        textarea { font: inherit; padding: 0.3rem; } textarea:focus-visible { outline: 3px solid #f1a208; }
        [aria-invalid="true"] { border: 2px solid #8a1c1c; }
        iframe.mail-preview { width: 100%; height: 32rem; border: 1px solid #888888; }
        pre { white-space: pre-wrap; }
        form.inline { display: inline; margin: 0; } ul.actions { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
        """;

    /// <summary>
    /// A path inside the console to go back to; anything else (another site, <c>//host</c>) becomes the console home. The
    /// path becomes a <c>Location</c> header, so it must be printable ASCII without spaces: the server refuses to send a
    /// control character or a non-ASCII one (a 500), and the console's own links send paths percent-encoded anyway.
    /// </summary>
    public static string LocalPath(string? path) =>
        path is { } p && p.StartsWith(Root + "/", StringComparison.Ordinal) && !p.Contains("//", StringComparison.Ordinal) && !p.Contains('\\', StringComparison.Ordinal)
            && !p.AsSpan().ContainsAnyExceptInRange('!', '~')
            ? p
            : Root + "/home";

    public static async Task<IResult> NotFoundAsync(HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        return view.Render(StatusCodes.Status404NotFound, view.T("見つかりません", "Not found"), $"""
            <h1>{view.T("ページが見つかりません", "Page not found")}</h1>
            <p>{view.T("アドレスを確認するか、メニューからお選びください。", "Check the address or choose from the menu.")}</p>
            """);
    }

    public static async Task<IResult> ForbiddenAsync(HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        return view.Render(StatusCodes.Status403Forbidden, view.T("権限がありません", "Not permitted"), $"""
            <h1>{view.T("このページを開く権限がありません", "Your role does not include this page")}</h1>
            <p>{view.T("必要な役割の付与は、アルムナイ管理の管理者にご依頼ください。", "Ask the administrator of the alumni console for the role you need.")}</p>
            """);
    }

    /// <summary>The request broke these rules (query or form); nothing was read or changed.</summary>
    public static IResult Invalid(ConsoleView view, IReadOnlyList<Core.Validation.FieldError> errors, string title) =>
        view.Render(StatusCodes.Status400BadRequest, title, $"""
            <h1>{E(title)}</h1>
            {Errors(view, errors)}
            """);

    public static string Errors(ConsoleView view, IReadOnlyList<Core.Validation.FieldError> errors) => errors.Count == 0 ? "" : $"""
        <div class="errors" role="alert"><p>{view.T("入力内容を確認してください:", "Please check what you entered:")}</p>
        <ul>{string.Concat(errors.Select(e => $"<li><code>{E(e.Field)}</code> {E(e.Rule)}</li>"))}</ul></div>
        """;

    /// <summary>Outside Azure's built-in authentication and outside Development there is no way to sign in: say so, plainly.</summary>
    public static IResult SignInUnavailable() => HtmlPage.Render(StatusCodes.Status401Unauthorized, Locales.JapaneseTag, "サインインできません / Sign-in unavailable", """
        <h1 lang="ja">サインインが設定されていません</h1>
        <p lang="ja">このアプリでは Microsoft Entra ID の組み込み認証が有効になっていません。デプロイ手順 (docs/deploy.md) をご確認ください。</p>
        <h1 lang="en">Sign-in is not set up</h1>
        <p lang="en">Built-in authentication with Microsoft Entra ID is not enabled for this app. See the deployment guide (docs/deploy.md).</p>
        """);

    /// <summary>After the platform signed the user out: shown without sign-in.</summary>
    public static IResult SignedOut() => HtmlPage.Render(StatusCodes.Status200OK, Locales.JapaneseTag, "サインアウトしました / Signed out", $"""
        <h1 lang="ja">サインアウトしました</h1>
        <p lang="ja"><a href="{Root}/home">もう一度サインインする</a></p>
        <h1 lang="en">You are signed out</h1>
        <p lang="en"><a href="{Root}/home">Sign in again</a></p>
        """);

    public static string Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>A table of already-escaped cells, with a caption and column headers.</summary>
    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var body = string.Concat(rows.Select(r => $"<tr>{string.Concat(r.Select(c => $"<td>{c}</td>"))}</tr>"));
        return $"""
            <table><caption>{caption}</caption>
            <thead><tr>{string.Concat(headers.Select(h => $"""<th scope="col">{h}</th>"""))}</tr></thead>
            <tbody>{(body.Length > 0 ? body : $"""<tr><td colspan="{headers.Count}">—</td></tr>""")}</tbody></table>
            """;
    }

    /// <summary>
    /// A paged list's links: to its first page (when this is not it) and to the next (when there is one), each address
    /// made by <paramref name="link"/> from the cursor it starts after (null: the first page).
    /// </summary>
    public static string PageLinks(ConsoleView view, bool notFirst, string? next, Func<string?, string> link)
    {
        var links = new List<string>();
        if (notFirst)
        {
            links.Add($"""<a href="{link(null)}">{view.T("最初のページ", "First page")}</a>""");
        }

        if (next is not null)
        {
            links.Add($"""<a href="{link(next)}" rel="next">{view.T("次のページ", "Next page")}</a>""");
        }

        return links.Count == 0 ? "" : $"<nav aria-label=\"{view.T("ページ", "Pages")}\"><p>{string.Join(" · ", links)}</p></nav>";
    }

    public static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join("&amp;", parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
}
