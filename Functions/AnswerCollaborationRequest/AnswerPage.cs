using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AnswerCollaborationRequest;

/// <summary>
/// Who asks and why, the answer so far and, until answered, an accept-or-decline form. After an acceptance the page
/// gives the requester's work address too. An answer used twice says so and changes nothing.
/// </summary>
public static class AnswerPage
{
    public static CollaborationAnswer? ChoiceOf(string? value) => value switch
    {
        "accept" => CollaborationAnswer.Accept,
        "decline" => CollaborationAnswer.Decline,
        _ => null,
    };

    public static IResult Render(AnswerView view, string? token, CollaborationAnswer? choice, AlumniLinks links, string company, bool choiceMissing = false)
    {
        switch (view.Status)
        {
            case AnswerPageStatus.Invalid:
                return LinkProblem(LinkAccessStatus.Invalid, null);
            case AnswerPageStatus.Gone:
                return LinkProblem(LinkAccessStatus.Gone, null);
            case AnswerPageStatus.Expired:
                return LinkProblem(LinkAccessStatus.Expired, view.Alumnus?.Locale);
        }

        var a = view.Alumnus!;
        var l = a.Locale;
        var title = T(l, "協業のご依頼", "A collaboration request");
        if (view.Request is not { } r)
        {
            return AlumniPage.Render(a, StatusCodes.Status404NotFound, title,
                $"<p>{T(l, "このリンクのご依頼は見つかりませんでした。", "We could not find the request this link is for.")}</p>", links);
        }

        var (status, notice) = view.Status switch
        {
            AnswerPageStatus.Show when choiceMissing => (StatusCodes.Status400BadRequest,
                T(l, "「お受けする」または「お断りする」を選んでください。ご回答はまだ保存されていません。", "Please choose accept or decline. Nothing has been saved yet.")),
            AnswerPageStatus.Recorded when r.Status == RequestStatus.Accepted => (StatusCodes.Status200OK,
                T(l, "ご依頼をお受けしました。お名前とメールアドレスを依頼者にお知らせします。", "You accepted. Your name and email address are being shared with the requester.")),
            AnswerPageStatus.Recorded => (StatusCodes.Status200OK, T(l, "ご依頼をお断りしました。依頼者に連絡先は伝わりません。", "You declined. The requester receives no contact details.")),
            AnswerPageStatus.Unchanged => (StatusCodes.Status200OK, T(l, "すでに同じご回答を承っています。変更はありません。", "We already have this answer; nothing changed.")),
            AnswerPageStatus.AlreadyAnswered => (StatusCodes.Status409Conflict, T(l, "このご依頼にはすでにご回答いただいています。ご回答は変更できません。", "You have answered this request already; an answer cannot be changed.")),
            AnswerPageStatus.Busy => (StatusCodes.Status503ServiceUnavailable, T(l, "ただいま混み合っています。ご回答は保存されていません。もう一度お試しください。", "We could not save your answer just now. Please try again.")),
            _ => (StatusCodes.Status200OK, (string?)null),
        };
        var answer = r.Status switch
        {
            RequestStatus.Accepted => T(l, "お受けした", "Accepted"),
            RequestStatus.Declined => T(l, "お断りした", "Declined"),
            _ => T(l, "未回答", "Not answered yet"),
        };
        var body = $"""
            {(notice is null ? "" : $"""<p role="status"><strong>{E(notice)}</strong></p>""")}
            <dl>
            <dt>{T(l, "依頼者", "Who asks")}</dt><dd>{E(CollaborationMail.Requester(r, l, company))}</dd>
            <dt>{T(l, "ご依頼の内容", "Why they are asking")}</dt><dd style="white-space: pre-line;">{E(r.Reason)}</dd>
            <dt>{T(l, "ご回答", "Your answer")}</dt><dd>{answer}</dd>
            {(r.Status == RequestStatus.Accepted ? $"<dt>{T(l, "依頼者の連絡先", "Their work address")}</dt><dd>{E(r.RequesterEmail.Value)}</dd>" : "")}
            </dl>
            {(r.IsAnswered ? "" : Form(token, choice, l))}
            """;
        return AlumniPage.Render(a, status, title, body, links);
    }

    private static string Form(string? token, CollaborationAnswer? choice, Locale l)
    {
        string Option(CollaborationAnswer value, string id, string label) =>
            $"""<p><label for="{id}"><input type="radio" id="{id}" name="choice" value="{id}"{(choice == value ? " checked" : "")} required> {label}</label></p>""";
        return $"""
            <form method="post" action="{AlumniPage.FormAction(AnswerCollaborationRequestFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            <fieldset><legend>{T(l, "ご回答（一度だけ選べます）", "Your answer (you can answer once)")}</legend>
            {Option(CollaborationAnswer.Accept, "accept", T(l, "お受けする（お名前とメールアドレスを依頼者に伝えます）", "Accept (your name and email address go to the requester)"))}
            {Option(CollaborationAnswer.Decline, "decline", T(l, "お断りする", "Decline"))}
            </fieldset>
            <p><button type="submit">{T(l, "回答を送信する", "Send my answer")}</button></p>
            </form>
            """;
    }
}
