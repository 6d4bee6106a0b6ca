using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.AdminConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// How the browser console knows who is there (ADR 0018). In Azure: App Service built-in authentication signs the user
/// in with Entra ID and hands the principal over in a header (<see cref="AppServicePrincipal"/>); the platform owns the
/// session cookie, its lifetime and sign-out. In Development: a cookie set by the development sign-in page. A policy
/// scheme picks one by environment, so no console request is ever authenticated by the other. Forms carry ASP.NET Core
/// antiforgery tokens; the key ring behind them lives in Table Storage, shared by every instance.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "Console";
    public const string DevelopmentScheme = "ConsoleDevelopmentCookie";
    public const string AntiforgeryField = "__csrf";

    /// <summary>How long a development sign-in lasts; in Azure the platform's session cookie lifetime applies (infra/modules/auth.bicep).</summary>
    public static readonly TimeSpan DevelopmentSessionLifetime = TimeSpan.FromHours(8);

    public static void AddConsoleAuthentication(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        var services = builder.Services;
        var authentication = services.AddAuthentication()
            .AddPolicyScheme(Scheme, "Alumni console", o => o.ForwardDefaultSelector = _ => development ? DevelopmentScheme : AppServicePrincipal.Scheme)
            .AddScheme<AuthenticationSchemeOptions, AppServicePrincipalHandler>(AppServicePrincipal.Scheme, null);
        if (development)
        {
            authentication.AddCookie(DevelopmentScheme, cookie =>
            {
                cookie.Cookie.Name = "alumni-console-dev";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = DevelopmentSessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.LoginPath = DevelopmentSignIn.Path;
                cookie.ReturnUrlParameter = DevelopmentSignIn.ReturnParameter;
                cookie.Events.OnRedirectToAccessDenied = async context => await (await ConsolePage.ForbiddenAsync(context.HttpContext)).ExecuteAsync(context.HttpContext);
            });
        }

        builder.AddCapabilityPolicies();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "alumni-console-csrf";
            // Lax, not Strict: the entry page opens from another site (ADR 0019), and a Strict cookie left behind on that
            // top-level GET made antiforgery issue a new one over it, which refused every form open in other tabs.
            // Cross-site POSTs still carry no Lax cookie, and the fetch-metadata check refuses them first anyway.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = AntiforgeryField;
            o.HeaderName = null;
            // Pages send X-Frame-Options: DENY themselves (HtmlPage); antiforgery's SAMEORIGIN would be weaker.
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddDataProtection().SetApplicationName("alumni-network");
        services.AddOptions<KeyManagementOptions>().Configure<AlumniTables>((o, tables) => o.XmlRepository = new TableXmlRepository(tables));
    }
}
