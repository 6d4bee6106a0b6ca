using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Http;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.EraseMyData;

/// <summary>Erase everything held about me: GET asks for confirmation, POST erases; a second POST changes nothing.</summary>
public static class EraseMyDataFunction
{
    public const string Route = "/api/alumni/erase";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, Core.Privacy.EraseMyData erase, CancellationToken cancellationToken) =>
            Render(await erase.ShowAsync(token, cancellationToken), token));

        app.MapFormPost(Route, async (form, context) =>
            Render(await context.RequestServices.GetRequiredService<Core.Privacy.EraseMyData>().EraseAsync(form["token"], context.RequestAborted), form["token"]));
    }

    private static IResult Render(EraseResult result, string? token) => result switch
    {
        { Status: EraseStatus.Confirm, Locale: { } l } => HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "登録データの削除", "Erase your data"), $"""
            <h1>{T(l, "登録データの削除", "Erase your data")}</h1>
            <p>{T(l, "アルムナイネットワークが保持しているお客様のデータ（氏名、メールアドレス、プロフィール、同意の記録など）を削除します。削除すると元に戻せません。法令で一定期間の保存が必要な同意の記録は、氏名等と切り離した形で期間満了まで保管し、その後削除します。",
                "This erases the data the alumni network holds about you (name, email address, profile, consent records and more). It cannot be undone. Consent records the law requires us to keep for a time are kept without your name or address until that time ends, then deleted.")}</p>
            <p>{T(l, "メールの配信を委託している事業者（SendGrid）は、お客様へのメールの配信記録（メールアドレスを含む）を、同社の保存期間が終わるまで保持します。",
                "The company we send email through (SendGrid) keeps its record of the emails sent to you, with your email address, until its own retention period ends.")}</p>
            <form method="post" action="{AlumniPage.FormAction(Route, token)}"><input type="hidden" name="token" value="{E(token)}">
            <button type="submit">{T(l, "削除する", "Erase my data")}</button></form>
            """),
        { Status: EraseStatus.Erased or EraseStatus.AlreadyErased } => HtmlPage.Render(StatusCodes.Status200OK,
            (result.Locale ?? Locale.Japanese).ToTag(), T(result.Locale ?? Locale.Japanese, "削除しました", "Your data is erased"), """
            <h1 lang="ja">登録データを削除しました</h1>
            <p lang="ja">アルムナイネットワークからのご案内は今後お送りしません。ご利用ありがとうございました。</p>
            <h1 lang="en">Your data is erased</h1>
            <p lang="en">The alumni network will not contact you again. Thank you.</p>
            """),
        { Status: EraseStatus.Busy, Locale: { } l } => Busy(l, token,
            T(l, "一部のイベントへのお申し込みは、すでに取り消されている場合があります。それ以外のデータはまだ削除されておらず、もう一度お試しいただくまで削除されません。少し時間をおいてもう一度お試しください。",
                "Your registrations for some events may already have been cancelled. The rest of your data has not been erased yet, and will not be until you try again. Please try again in a moment.")),
        { Status: EraseStatus.BusyUnderWay, Locale: { } l } => Busy(l, token,
            T(l, "削除は始まっており、アルムナイネットワークから今後ご連絡することはありません。残りのデータは、もう一度お試しいただくとすぐに、そうでなくても毎日の自動処理によって削除されます。",
                "The erasure has begun: the alumni network will not contact you again. The rest of your data is erased as soon as you try again, or otherwise by our daily clean-up.")),
        { Status: EraseStatus.Expired } => LinkProblem(LinkAccessStatus.Expired, result.Locale),
        _ => LinkProblem(LinkAccessStatus.Invalid, null),
    };

    /// <summary>An erasure an event refused: why, how far it got (<paramref name="progress"/>), and the button to try again.</summary>
    private static IResult Busy(Locale l, string? token, string progress) => HtmlPage.Render(StatusCodes.Status503ServiceUnavailable, l.ToTag(),
        T(l, "ただいま混み合っています", "Busy right now"), $"""
        <h1>{T(l, "ただいま混み合っています", "Busy right now")}</h1>
        <p role="status">{T(l, "イベントへのお申し込みが集中しているため、データの削除を完了できませんでした。",
            "Many people are answering an event you registered for, so we could not finish erasing your data.")}</p>
        <p>{progress}</p>
        <form method="post" action="{AlumniPage.FormAction(Route, token)}"><input type="hidden" name="token" value="{E(token)}">
        <button type="submit">{T(l, "もう一度削除する", "Try erasing again")}</button></form>
        """);
}
