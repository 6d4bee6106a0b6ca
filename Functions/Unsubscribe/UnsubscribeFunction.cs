using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Functions.Unsubscribe;

/// <summary>
/// The refusal link of every promotional email. GET shows a button; POST withdraws consent for the category (or all
/// email when none is named). The POST is also the RFC 8058 one-click target that mail clients call with
/// <c>List-Unsubscribe=One-Click</c>; it has no cross-site check because mail clients post from no site, and it can
/// only ever withdraw consent for the link's own alumnus.
/// </summary>
public static class UnsubscribeFunction
{
    public const string Route = "/api/alumni/unsubscribe";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, string? category, ManageConsent consent, CancellationToken cancellationToken) =>
            UnsubscribePage.IsKnown(category)
                ? UnsubscribePage.Offer(await consent.ShowAsync(token, LinkPurpose.Unsubscribe, cancellationToken, ManageConsent.UnsubscribeScope(ConsentPurposes.EmailCategory(category))), token, category)
                : UnsubscribePage.UnknownCategory(oneClick: false));

        app.MapPost(Route, async (string? token, string? category, ManageConsent consent, HttpRequest request, CancellationToken cancellationToken) =>
        {
            var oneClick = await IsOneClickAsync(request, cancellationToken);
            return !UnsubscribePage.IsKnown(category) ? UnsubscribePage.UnknownCategory(oneClick)
                : UnsubscribePage.Done(ConsentPurposes.EmailCategory(category) is { } one
                    ? await consent.UnsubscribeAsync(token, LinkPurpose.Unsubscribe, one, cancellationToken)
                    : await consent.RefuseAllAsync(token, cancellationToken), oneClick);
        })
            .DisableAntiforgery();
    }

    /// <summary>
    /// RFC 8058: a mail client's one-click POST carries <c>List-Unsubscribe=One-Click</c>; the page's button posts no
    /// field. Only a small form is read, so no body can make this a 500.
    /// </summary>
    private static async Task<bool> IsOneClickAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentLength is not (> 0 and <= 1024))
        {
            return false;
        }

        try
        {
            return (await request.ReadFormAsync(cancellationToken))["List-Unsubscribe"] == "One-Click";
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
