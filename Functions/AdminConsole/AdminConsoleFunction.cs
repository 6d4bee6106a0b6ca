using AlumniNetwork.Functions.Hosting.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// The HR admin console in the browser: one function (<c>console/{*path}</c>, <c>authLevel: anonymous</c> because a
/// browser cannot send a function key) that App Service built-in authentication protects in Azure (ADR 0018). Every page
/// runs the same Core use cases, policies and audit entries as the JSON API. The shell is here; pages come from the
/// registered <see cref="IConsoleArea"/>s.
/// </summary>
public static class AdminConsoleFunction
{
    public const string Name = "AdminConsole";
    public const string SignedOutPath = ConsolePage.Root + "/signed-out";

    /// <summary>
    /// The platform's sign-out, reached by a link outside Development: it redirects to Entra ID, and the pages' CSP
    /// (<c>form-action 'self'</c>) stops a form submission's redirect to another site.
    /// </summary>
    public static readonly string PlatformSignOutPath = "/.auth/logout?post_logout_redirect_uri=" + Uri.EscapeDataString(SignedOutPath);

    public static void Map(WebApplication app)
    {
        // Where the platform sends the browser after signing out; excluded from built-in authentication (auth.bicep).
        app.MapGet(SignedOutPath, ConsolePage.SignedOut).AllowAnonymous();

        var console = app.MapGroup(ConsolePage.Root)
            .RequireAuthorization(new AuthorizeAttribute(AdminPolicies.AnyRole) { AuthenticationSchemes = ConsoleAuthentication.Scheme })
            .AddEndpointFilter(async (context, next) =>
            {
                // no-cache too: antiforgery would otherwise override it on every page that carries a form, and log a warning.
                context.HttpContext.Response.Headers.CacheControl = "no-store, no-cache";
                return await next(context);
            })
            .AddEndpointFilter(ConsoleForms.SameOriginReads)
            .ExcludeFromDescription();
        console.MapGet("", () => Results.Redirect(ConsolePage.Root + "/home"));
        console.MapGet("/home", (Delegate)Home);
        console.MapGet("/language", (HttpContext context, string? to, string? back) =>
        {
            context.Response.Cookies.Append(ConsoleView.LanguageCookie, to == "en" ? "en" : "ja", new CookieOptions
            {
                Path = ConsolePage.Root, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365),
            });
            return Results.Redirect(ConsolePage.LocalPath(back));
        });
        console.MapConsoleForm("/sign-out", async (_, context) =>
        {
            if (app.Environment.IsDevelopment())
            {
                await context.SignOutAsync(ConsoleAuthentication.DevelopmentScheme);
                return Results.Redirect(DevelopmentSignIn.Path);
            }

            return Results.Redirect(PlatformSignOutPath);
        });

        foreach (var area in app.Services.GetServices<IConsoleArea>())
        {
            area.Map(console.MapGroup("/" + area.Segment).RequireAuthorization(AdminPolicies.For(area.Capability)));
        }

        console.MapMethods("/{*path}", [HttpMethods.Get, HttpMethods.Post], (Delegate)ConsolePage.NotFoundAsync);
        if (app.Environment.IsDevelopment())
        {
            app.MapDevelopmentSignIn();
        }
    }

    private static async Task<IResult> Home(HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var areas = view.Areas.Count == 0
            ? $"<p>{view.T("あなたの役割で開けるページはまだありません。", "There are no pages for your role yet.")}</p>"
            : $"<ul>{string.Concat(view.Areas.Select(a => $"""<li><a href="{ConsolePage.Root}/{E(a.Segment)}">{E(a.Label(view.Locale))}</a></li>"""))}</ul>";
        return view.Render(StatusCodes.Status200OK, view.T("ホーム", "Home"), $"""
            <h1>{view.T("アルムナイ管理", "Alumni console")}</h1>
            {areas}
            """);
    }
}
