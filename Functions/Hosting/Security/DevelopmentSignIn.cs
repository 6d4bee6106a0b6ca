using System.Security.Claims;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.AdminConsole;
using AlumniNetwork.Functions.AlumniPages;
using Microsoft.AspNetCore.Authentication;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.Hosting.Security;

/// <summary>
/// Development only, and never mapped anywhere else: a page that signs you in to the console with a role of your choice,
/// so the console can be used and tested without Entra ID. Not a function; like the email sink it lives under /dev.
/// </summary>
public static class DevelopmentSignIn
{
    public const string Path = "/dev/console/sign-in";
    public const string ReturnParameter = "returnUrl";

    /// <summary>The subject id each development role signs in as: what the audit log names.</summary>
    public static string SubjectOf(string role) => "local-" + role[(role.IndexOf('.', StringComparison.Ordinal) + 1)..].ToLowerInvariant();

    public static void MapDevelopmentSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context, string? returnUrl) => Page(context, ConsolePage.LocalPath(returnUrl), StatusCodes.Status200OK));
        app.MapFormPost(Path, async (form, context) =>
        {
            if (!await ConsoleForms.IsGenuineAsync(context))
            {
                return ConsoleForms.NotGenuine(context);
            }

            var role = form["role"].ToString();
            if (!AdminRoles.All.Contains(role, StringComparer.Ordinal))
            {
                return Http.Problems.Invalid([new Core.Validation.FieldError("role", $"must be one of {string.Join(", ", AdminRoles.All)}")]);
            }

            var identity = new ClaimsIdentity(
                [new Claim("sub", SubjectOf(role)), new Claim("name", $"Development {role}"), new Claim("roles", role)],
                ConsoleAuthentication.DevelopmentScheme, "name", "roles");
            await context.SignInAsync(ConsoleAuthentication.DevelopmentScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(ConsolePage.LocalPath(form[ReturnParameter]), permanent: false, preserveMethod: false);
        });
    }

    private static IResult Page(HttpContext context, string returnUrl, int status) => Render(status, "ja-JP", "開発用サインイン / Development sign-in", $"""
        <p class="dev-banner" role="note"><strong lang="ja">開発環境専用</strong> / <strong lang="en">Development only</strong>:
        <span lang="ja">Entra ID を使わずに役割を選んでサインインします。本番環境には存在しません。</span>
        <span lang="en">signs you in with a role of your choice, without Entra ID. This page does not exist outside Development.</span></p>
        <h1>開発用サインイン / Development sign-in</h1>
        <form method="post" action="{Path}">
        {ConsoleForms.TokenField(context)}
        <input type="hidden" name="{ReturnParameter}" value="{E(returnUrl)}">
        <fieldset><legend lang="ja">役割 / Role</legend>
        {string.Concat(AdminRoles.All.Select((role, i) => $"""<p><label><input type="radio" name="role" value="{E(role)}"{(i == 0 ? " checked" : "")}> {E(role)}</label></p>"""))}
        </fieldset>
        <p><button type="submit">サインイン / Sign in</button></p>
        </form>
        """, extraCss: ".dev-banner { background: #fff4ce; border: 2px solid #8a6d00; padding: 0.75rem; }");
}
