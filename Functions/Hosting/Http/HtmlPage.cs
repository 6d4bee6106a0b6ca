using System.Net;
using System.Text;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>
/// Server-rendered, phone-friendly page shell with strict headers: no script, no referrer to other sites (links carry tokens),
/// no caching. Callers pass already-escaped fragments; <see cref="E"/> escapes stored text.
/// </summary>
public static class HtmlPage
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <param name="header">Shown above the main content, outside <c>main</c> (the console's navigation); already escaped.</param>
    /// <summary>The policy every page gets: nothing loads but its own inline style, nothing frames it.</summary>
    public const string StrictContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <param name="extraCss">Appended to the page's style sheet (the console's wider layout, tables and charts).</param>
    /// <param name="contentSecurityPolicy">Replaces <see cref="StrictContentSecurityPolicy"/> for a page that needs more (the development outbox).</param>
    public static IResult Render(int statusCode, string lang, string title, string bodyHtml, string? header = null, string? extraCss = null, string? contentSecurityPolicy = null) =>
        new PageResult(statusCode, $"""
            <!DOCTYPE html>
            <html lang="{E(lang)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <style>
            body {"{"} font-family: system-ui, "Hiragino Sans", "Noto Sans CJK JP", sans-serif; line-height: 1.6; color: #1a1a1a; background: #ffffff; max-width: 40rem; margin: 0 auto; padding: 1rem; {"}"}
            h1 {"{"} font-size: 1.5rem; {"}"}
            button {"{"} font-size: 1rem; padding: 0.75rem 1.25rem; background: #0b5394; color: #ffffff; border: 0; border-radius: 4px; cursor: pointer; {"}"}
            button:focus-visible, a:focus-visible {"{"} outline: 3px solid #f1a208; outline-offset: 2px; {"}"}
            .secondary {"{"} color: #444444; font-size: 0.95rem; {"}"}
            {extraCss}
            </style>
            </head>
            <body>
            {header}
            <main id="main">
            {bodyHtml}
            </main>
            </body>
            </html>
            """, contentSecurityPolicy ?? StrictContentSecurityPolicy);

    private sealed class PageResult(int statusCode, string html, string contentSecurityPolicy) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "same-origin";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.Headers["X-Frame-Options"] = "DENY";
            response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
            return response.WriteAsync(html, Encoding.UTF8);
        }
    }
}
