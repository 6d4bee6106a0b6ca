using System.Diagnostics.CodeAnalysis;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Core.Company;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// Console forms: the alumni forms' transport checks and cross-site check (<see cref="AlumniForms.MapFormPost"/>), plus an
/// ASP.NET Core antiforgery token bound to the signed-in user, because the console, unlike the alumni pages, is
/// authenticated by a cookie the browser sends on its own (ADR 0019).
/// </summary>
public static class ConsoleForms
{
    /// <param name="multiValued">The form's checkbox groups: the only fields that may be given more than once.</param>
    public static RouteHandlerBuilder MapConsoleForm(
        this IEndpointRouteBuilder app, string pattern, Func<IFormCollection, HttpContext, Task<IResult>> handler, IReadOnlyCollection<string>? multiValued = null) =>
        app.MapFormPost(pattern, async (form, context) => await IsGenuineAsync(context) ? await handler(form, context) : NotGenuine(context), field => multiValued?.Contains(field) == true);

    /// <summary>
    /// Console pages and downloads (GETs) answer only the console's own links and addresses typed or bookmarked: the forms'
    /// cross-site check, because the console's cookie goes with a link followed from another site too, and many of them
    /// are reads audited in the admin's name (a person's page, the audit log, an export). Only the console's entry (its
    /// root and home page, which show no personal data) opens from anywhere (ADR 0019).
    /// </summary>
    /// <remarks>
    /// Refused, it answers 403 with a link to the same address: a click on it is the console's own, so an admin whose
    /// page came back through the platform's sign-in (which browsers count as another site) gets it with one click.
    /// Forms (POST) take their own checks in <see cref="MapConsoleForm"/>.
    /// </remarks>
    public static async ValueTask<object?> SameOriginReads(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var company = context.HttpContext.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value;
        var entry = request.Path.Value?.TrimEnd('/') is ConsolePage.Root or ConsolePage.Root + "/home";
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !entry && SameOriginForms.IsCrossSite(request, company)
            ? CrossSiteRead(request)
            : await next(context);
    }

    /// <summary>The hidden field every console form carries.</summary>
    public static string TokenField(HttpContext context) =>
        $"""<input type="hidden" name="{ConsoleAuthentication.AntiforgeryField}" value="{E(context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken)}">""";

    /// <summary>
    /// The hidden field an edit form carries: the version of the record the page was built from, so a save is refused
    /// when someone else changed the record since (ADR 0032). Nothing on a form that creates a record.
    /// </summary>
    public static string VersionField(string? version) =>
        string.IsNullOrEmpty(version) ? "" : $"""<input type="hidden" name="{RecordVersion.Field}" value="{E(version)}">""";

    /// <summary>
    /// The hidden field a form that creates a record carries: a one-time key made when the page was rendered, so a
    /// double click or a browser's resubmit creates one record (ADR 0037). Nothing without a key (edit forms).
    /// </summary>
    public static string KeyField(string? key) =>
        string.IsNullOrEmpty(key) ? "" : $"""<input type="hidden" name="{IdempotencyKey.Field}" value="{E(key)}">""";

    /// <summary>The values of a new create form: its one-time key.</summary>
    public static Dictionary<string, string> NewCreateValues() => new(StringComparer.Ordinal) { [IdempotencyKey.Field] = IdempotencyKey.NewValue() };

    /// <summary>The key a create form carries back (null: none, as from a form rendered before keys); false with its 400 page when it is not one.</summary>
    public static bool TryPostedKey(ConsoleView view, IFormCollection form, string title, out IdempotencyKey? key, [NotNullWhen(false)] out IResult? refused)
    {
        var errors = new List<Core.Validation.FieldError>();
        key = IdempotencyKey.Parse(form[IdempotencyKey.Field], IdempotencyKey.Field, errors);
        refused = errors.Count > 0 ? ConsolePage.Invalid(view, errors, title) : null;
        return refused is null;
    }

    /// <summary>Whether the form carries a token this console issued to this user (the form was read already, within its limits).</summary>
    public static Task<bool> IsGenuineAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);

    public static IResult NotGenuine(HttpContext context)
    {
        var locale = ConsoleView.LocaleOf(context);
        return HtmlPage.Render(StatusCodes.Status400BadRequest, locale.ToTag(), AlumniPage.T(locale, "送信できません", "Not accepted"), $"""
            <h1>{AlumniPage.T(locale, "このフォームは受け付けられませんでした", "This form was not accepted")}</h1>
            <p>{AlumniPage.T(locale, "フォームの有効期限が切れたか、このコンソール以外から送信されました。ページを開き直して、もう一度お試しください。",
                "The form expired or was not sent from this console. Open the page again and retry.")}</p>
            <p><a href="{ConsolePage.Root}/home">{AlumniPage.T(locale, "コンソールのホーム", "Console home")}</a></p>
            """);
    }

    /// <summary>Whether a request is for the console (its pages, or the development sign-in page).</summary>
    public static bool IsConsole(HttpRequest request) =>
        request.Path.StartsWithSegments(ConsolePage.Root) || request.Path.StartsWithSegments(DevelopmentSignIn.Path);

    /// <summary>A page or download opened from another site: nothing shown or sent, and a link to open it from here.</summary>
    private static IResult CrossSiteRead(HttpRequest request) => HtmlPage.Render(StatusCodes.Status403Forbidden, Locales.JapaneseTag, "開く前の確認 / Confirm before opening", $$"""
        <h1 lang="ja">開く前に確認してください</h1>
        <p lang="ja">別のサイトから開かれたため、まだ何も表示・ダウンロードしていません。このページを開くには、下のリンクを押してください。</p>
        <h1 lang="en">Confirm before opening</h1>
        <p lang="en">It was opened from another site, so nothing was shown or downloaded yet. Follow the link below to open it.</p>
        <p><a href="{{E(request.PathBase + request.Path + request.QueryString)}}">開く / Open</a></p>
        """);

    /// <summary>The cross-site answer for console forms (the alumni pages word theirs for people who came from an email).</summary>
    public static IResult CrossSite() => HtmlPage.Render(StatusCodes.Status403Forbidden, Locales.JapaneseTag, "送信できません / Not accepted", """
        <h1 lang="ja">このフォームは送信できません</h1>
        <p lang="ja">別のサイトから送信されたため、受け付けませんでした。</p>
        <h1 lang="en">This form was not accepted</h1>
        <p lang="en">It was sent from another site.</p>
        """);
}
