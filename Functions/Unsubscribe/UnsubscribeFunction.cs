using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

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
        {
            if (!IsKnown(category))
            {
                return UnknownCategory();
            }

            var view = await consent.ShowAsync(token, LinkPurpose.Unsubscribe, cancellationToken);
            if (view.Access.Status != LinkAccessStatus.Valid)
            {
                return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
            }

            var l = view.Access.Required.Locale;
            return Hosting.Http.HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "配信停止", "Unsubscribe"), $"""
                <h1>{T(l, "配信停止", "Unsubscribe")}</h1>
                <p>{E(Category(category) is { } c ? PurposeLabel(c, l) : T(l, "すべてのメール配信", "All emails"))}</p>
                <form method="post" action="{Route}?token={Uri.EscapeDataString(token ?? "")}&amp;category={Uri.EscapeDataString(category ?? "")}">
                <button type="submit">{T(l, "配信を停止する", "Unsubscribe")}</button></form>
                """);
        });

        app.MapPost(Route, async (string? token, string? category, ManageConsent consent, CancellationToken cancellationToken) =>
        {
            if (!IsKnown(category))
            {
                return UnknownCategory();
            }

            var view = await consent.UnsubscribeAsync(token, LinkPurpose.Unsubscribe, Category(category), cancellationToken);
            if (view.Access.Status != LinkAccessStatus.Valid)
            {
                return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
            }

            var l = view.Access.Required.Locale;
            return Hosting.Http.HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "配信を停止しました", "You are unsubscribed"), $"""
                <h1>{T(l, "配信を停止しました", "You are unsubscribed")}</h1>
                <p>{T(l, "今後、この種類のメールはお送りしません。", "We will not send you these emails any more.")}</p>
                """);
        }).DisableAntiforgery();
    }

    private static bool IsKnown(string? category) => string.IsNullOrEmpty(category) || Category(category) is not null;

    private static IResult UnknownCategory() => Hosting.Http.Problems.Invalid(
        [new Core.Validation.FieldError("category", $"must be one of {string.Join(", ", ConsentPurposes.Email)} when present")]);

    private static ConsentPurpose? Category(string? category) =>
        ConsentPurposes.Email.Cast<ConsentPurpose?>().FirstOrDefault(p => string.Equals(p.ToString(), category, StringComparison.OrdinalIgnoreCase));
}
