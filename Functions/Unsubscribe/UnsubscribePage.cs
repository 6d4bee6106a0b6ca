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

    public static IResult UnknownCategory() => Problems.Invalid(
        [new FieldError("category", $"must be one of {string.Join(", ", ConsentPurposes.Email)} when present")]);

    public static IResult Offer(ConsentView view, string? token, string? category)
    {
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

    public static IResult Done(ConsentView view)
    {
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
