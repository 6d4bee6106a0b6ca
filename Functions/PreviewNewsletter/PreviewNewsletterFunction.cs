using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.PreviewNewsletter;

/// <summary>Admin: the newsletter the timer would send now, rendered as HTML for a sample recipient (<c>?locale=ja-JP</c> or <c>en-US</c>).</summary>
public static class PreviewNewsletterFunction
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/manage/newsletter/preview", async (
        string? locale, Core.Newsletters.SendNewsletterTest newsletter, CancellationToken cancellationToken) =>
    {
        if (!Locales.TryParse(locale ?? Locales.JapaneseTag, out var chosen))
        {
            return Problems.Invalid([new("locale", $"must be {Locales.JapaneseTag} or {Locales.EnglishTag}")]);
        }

        var preview = await newsletter.PreviewAsync(chosen, Core.Campaigns.PreviewRecipient.Nobody, cancellationToken);
        return Results.Content(preview!.Html, "text/html; charset=utf-8");
    }).RequireAuthorization(AdminAuthentication.PolicyName);
}
