using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Http;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.Unsubscribe;

public static class UnsubscribePage
{
    public static bool IsKnown(string? category) => string.IsNullOrEmpty(category) || ConsentPurposes.EmailCategory(category) is not null;

    /// <summary>
    /// A link whose <c>category</c> names no email category (our links never do: it was changed or cut): 400 naming the
    /// field and what it must be, as a page in both languages since the link says nothing trustworthy about whose it is,
    /// or as problem details to a mail provider's one-click POST (<paramref name="oneClick"/>), which no person reads.
    /// Nothing is recorded.
    /// </summary>
    public static IResult UnknownCategory(bool oneClick) => oneClick
        ? Problems.Invalid([new FieldError("category", $"must be one of {string.Join(", ", ConsentPurposes.Email)}, or none for all email")])
        : HtmlPage.Render(StatusCodes.Status400BadRequest, Locales.JapaneseTag, "配信停止できません / Cannot unsubscribe", $"""
        <h1 lang="ja">このリンクでは配信停止できません</h1>
        <p lang="ja">リンクのメールの種類（category）が正しくありません（{E(string.Join("、", ConsentPurposes.Email))} のいずれかである必要があります）。リンクが途中で切れているか、変更されています。メールのリンクをもう一度お試しください。配信設定のページからも停止できます。</p>
        <h1 lang="en">This link cannot unsubscribe you</h1>
        <p lang="en">The link's email category (category) is not valid: it must be one of {E(string.Join(", ", ConsentPurposes.Email))}. The link is incomplete or has been changed. Please open the link in your email again, or use your email preferences page.</p>
        """);

    private static readonly FieldError CategoryMismatch = new("category", "must be the email category the link was issued for (none for all email)");

    /// <summary>
    /// A genuine link whose <c>category</c> is not the one it was signed for (changed, added or cut): 400 in both
    /// languages, naming the field. Nothing is recorded.
    /// </summary>
    private static IResult WrongCategory() => HtmlPage.Render(StatusCodes.Status400BadRequest, Locales.JapaneseTag, "配信停止できません / Cannot unsubscribe", """
        <h1 lang="ja">このリンクでは配信停止できません</h1>
        <p lang="ja">リンクのメールの種類（category）が、このリンクの発行時のものと一致しません。リンクが途中で切れているか、変更されています。メールのリンクをもう一度お試しください。配信設定のページからも停止できます。</p>
        <h1 lang="en">This link cannot unsubscribe you</h1>
        <p lang="en">The link's email category (category) is not the one the link was issued for. The link is incomplete or has been changed. Please open the link in your email again, or use your email preferences page.</p>
        """);

    public static IResult Offer(ConsentView view, string? token, string? category)
    {
        if (view.Access.WrongScope)
        {
            return WrongCategory();
        }

        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var l = view.Access.Required.Locale;
        var what = ConsentPurposes.EmailCategory(category) is { } c ? PurposeLabel(c, l) : T(l, "すべてのメール配信", "All emails");
        return HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "配信停止", "Unsubscribe"), $"""
            <h1>{T(l, "配信停止", "Unsubscribe")}</h1>
            <p>{E(what)}</p>
            <form method="post" action="{UnsubscribeFunction.Route}?token={Uri.EscapeDataString(token ?? "")}&amp;category={Uri.EscapeDataString(category ?? "")}">
            <button type="submit">{T(l, "配信を停止する", "Unsubscribe")}</button></form>
            """);
    }

    /// <param name="oneClick">A mail client's RFC 8058 POST, which gets problem details rather than a page.</param>
    public static IResult Done(ConsentView view, bool oneClick)
    {
        if (view.Access.WrongScope)
        {
            return oneClick ? Problems.Invalid([CategoryMismatch]) : WrongCategory();
        }

        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var l = view.Access.Required.Locale;
        return HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "配信を停止しました", "You are unsubscribed"), $"""
            <h1>{T(l, "配信を停止しました", "You are unsubscribed")}</h1>
            <p>{T(l, "今後、この種類のメールはお送りしません。", "We will not send you these emails any more.")}</p>
            """);
    }
}
