using AlumniNetwork.Core.Company;
using Microsoft.AspNetCore.Http.Features;
using AlumniNetwork.Functions.Hosting.Http;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.AlumniPages;

/// <summary>
/// Cross-site request forgery protection for the alumni forms, without server state: a request is refused when the
/// browser says it came from another site (<c>Sec-Fetch-Site</c>) or names a foreign <c>Origin</c>. Every form also
/// carries the signed link token, which another site cannot know.
/// </summary>
public sealed class SameOriginForms(IOptions<CompanyOptions> company) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (IsCrossSite(request, company.Value))
        {
            return AdminConsole.ConsoleForms.IsConsole(request) ? AdminConsole.ConsoleForms.CrossSite() : HtmlPage.Render(StatusCodes.Status403Forbidden, "ja-JP", "送信できません / Not accepted", """
                <h1 lang="ja">このフォームは送信できません</h1>
                <p lang="ja">別のサイトから送信されたため、受け付けませんでした。メールのリンクからもう一度お試しください。</p>
                <h1 lang="en">This form was not accepted</h1>
                <p lang="en">It was sent from another site. Please open the link in your email and try again.</p>
                """);
        }

        return await next(context);
    }

    /// <summary>True when the browser says the request came from another site, or (browsers without that header) names a foreign origin.</summary>
    public static bool IsCrossSite(HttpRequest request, CompanyOptions company)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(company);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        var allowed = new[] { company.PublicBaseUrl!.GetLeftPart(UriPartial.Authority), $"{request.Scheme}://{request.Host}" };
        // Sec-Fetch-Site is the browser's own verdict; only browsers without it are judged by Origin.
        return site.Length > 0 ? site is not ("same-origin" or "none") : origin.Length > 0 && !allowed.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }
}

public static class AlumniForms
{
    /// <summary>The largest form an alumni page accepts (the profile with every field full is under 10 KiB).</summary>
    public const int MaxFormBytes = 64 * 1024;

    /// <summary>The alumni pages' checkbox group: unless a route names its own, the only form field that may be sent more than once.</summary>
    private static bool IsPurpose(string field) => field == "purpose";

    /// <summary>
    /// Maps a POST form route with CSRF protection and the 4xx answers for bodies that are no form (415), too large
    /// (413), malformed or with a field given twice (400), so no bad body ever reaches a handler or becomes a 500.
    /// </summary>
    /// <param name="multiValued">The route's checkbox groups, the only fields that may be given more than once (default: <c>purpose</c>).</param>
    public static RouteHandlerBuilder MapFormPost(
        this IEndpointRouteBuilder app, string route, Func<IFormCollection, HttpContext, Task<IResult>> handler, Func<string, bool>? multiValued = null) =>
        app.MapPost(route, async (HttpContext context) =>
        {
            var request = context.Request;
            if (!IsUrlEncodedForm(request))
            {
                return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Post the form as application/x-www-form-urlencoded.");
            }

            if (request.ContentLength > MaxFormBytes)
            {
                return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Form too large.", $"The form must be at most {MaxFormBytes} bytes.");
            }

            // A chunked body has no Content-Length to compare: the server counts it as it arrives and stops it past the
            // limit with a 413 (answered by BadRequestBodies), where the form reader alone would take 100 fields of 64 KiB.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = MaxFormBytes;
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { ValueCountLimit = 100, ValueLengthLimit = MaxFormBytes, KeyLengthLimit = 256 }, context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                return Problems.Status(StatusCodes.Status400BadRequest, "Malformed form.", "The form has too many fields, a field that is too long, or a character no form can hold.");
            }

            // A repeated field would be read as its values joined by commas; only checkbox groups may repeat.
            var repeated = form.Where(f => f.Value.Count > 1 && !(multiValued ?? IsPurpose)(f.Key)).Select(f => f.Key).ToArray();
            if (repeated.Length > 0)
            {
                return Problems.Invalid(repeated.Select(k => new Core.Validation.FieldError(Core.Validation.StrictJson.MemberPath("$", k) ?? "$", Core.Validation.StrictJson.DuplicateRule)).ToArray());
            }

            return await handler(form, context);
        })
        .AddEndpointFilter<SameOriginForms>()
        .DisableAntiforgery();

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var media) &&
        media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}
