using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.RespondToEvent;

/// <summary>
/// The RSVP page: the event, the alumnus's answer so far and, while registration is open, a two-choice form; after the
/// deadline, until the start, a holder of a seat or a place in line gets only the button that gives it up. The online
/// link is shown to registered attendees only. Closed registration, a cancelled or unknown event and a busy moment each
/// get their own page and status; a POST that changes nothing never pretends it did.
/// </summary>
public static class RsvpPage
{
    public static RsvpChoice? ChoiceOf(string? value) => value switch
    {
        "attend" => RsvpChoice.Attend,
        "decline" => RsvpChoice.Decline,
        _ => null,
    };

    /// <param name="choiceMissing">A POST came without a valid answer: the page comes back (400) asking for one.</param>
    public static IResult Render(RsvpView view, string? token, RsvpChoice? choice, AlumniLinks links, bool posted, bool choiceMissing = false)
    {
        switch (view.Status)
        {
            case RsvpPageStatus.Invalid:
                return LinkProblem(LinkAccessStatus.Invalid, null);
            case RsvpPageStatus.Gone:
                return LinkProblem(LinkAccessStatus.Gone, null);
            case RsvpPageStatus.Expired:
                return LinkProblem(LinkAccessStatus.Expired, view.Alumnus?.Locale);
        }

        var a = view.Alumnus!;
        var l = a.Locale;
        if (view.Event is not { } e)
        {
            return AlumniPage.Render(a, StatusCodes.Status404NotFound, T(l, "イベントが見つかりません", "Event not found"),
                $"<p>{T(l, "このリンクのイベントは見つかりませんでした。", "We could not find the event this link is for.")}</p>", links);
        }

        var d = e.Details;
        var (status, notice) = view.Status switch
        {
            RsvpPageStatus.Show when choiceMissing => (StatusCodes.Status400BadRequest,
                T(l, "「参加する」または「参加しない」を選んでください。ご回答はまだ保存されていません。", "Please choose whether you will attend. Nothing has been saved yet.")),
            RsvpPageStatus.Cancelled => (StatusCodes.Status410Gone, T(l, "このイベントは中止になりました。ご登録は取り消されています。", "This event has been cancelled. Your registration no longer applies.")),
            RsvpPageStatus.Closed when view.OffersForm => (posted ? StatusCodes.Status409Conflict : StatusCodes.Status200OK,
                T(l, "お申し込みの受付は終了しました。開催までは、参加の取り消し・キャンセル待ちの辞退のみ承ります。",
                    "Registration has closed. Until the event starts you can still cancel your registration or leave the waitlist.")),
            RsvpPageStatus.Closed => (posted ? StatusCodes.Status409Conflict : StatusCodes.Status200OK,
                T(l, "お申し込みの受付は終了しました。ご回答は変更できません。", "Registration has closed; answers can no longer change.")),
            RsvpPageStatus.Busy => (StatusCodes.Status503ServiceUnavailable, T(l, "ただいま混み合っています。ご回答は保存されていません。少し時間をおいてもう一度お試しください。",
                "Many people are answering right now and your answer was not saved. Please try again in a moment.")),
            RsvpPageStatus.Recorded when view.Outcome == RsvpOutcome.Unchanged => (StatusCodes.Status200OK,
                T(l, "すでに同じご回答を承っています。変更はありません。", "We already have this answer; nothing changed.")),
            RsvpPageStatus.Recorded => (StatusCodes.Status200OK, view.Outcome switch
            {
                RsvpOutcome.Attending => T(l, "参加登録を受け付けました。確認メール（カレンダー登録用ファイル付き）をお送りします。",
                    "You are registered. A confirmation with a calendar file is on its way."),
                RsvpOutcome.Waitlisted => T(l, "定員に達しているため、キャンセル待ちに登録しました。お席が空き次第メールでお知らせします。",
                    "The event is full, so you are on the waitlist. We will email you if a seat becomes free."),
                _ => T(l, "不参加のご回答を承りました。", "We have noted that you cannot attend."),
            }),
            _ => (StatusCodes.Status200OK, null),
        };

        var body = $"""
            {(notice is null ? "" : $"<p role=\"status\"><strong>{E(notice)}</strong></p>")}
            <h2>{E(d.Title.In(l))}</h2>
            <dl>
            <dt>{T(l, "種別", "Kind")}</dt><dd>{E(EventMail.KindLabel(d.Kind, l))}</dd>
            <dt>{T(l, "日時", "When")}</dt><dd>{E(EventMail.When(d, l))}</dd>
            <dt>{T(l, "場所", "Where")}</dt><dd>{Where(d, l, view.RevealsOnlineUrl)}</dd>
            {(d.Hosts.Count == 0 ? "" : $"<dt>{T(l, "登壇・ホスト", "Speakers and hosts")}</dt><dd>{E(EventMail.HostsLine(d, l))}</dd>")}
            <dt>{T(l, "お申し込み締切", "Reply by")}</dt><dd>{E(EventMail.Deadline(d, l))}</dd>
            </dl>
            {(d.Description.In(l).Length == 0 ? "" : $"<p style=\"white-space: pre-line;\">{E(d.Description.In(l))}</p>")}
            <p><strong>{T(l, "現在のご回答", "Your answer")}:</strong> {Answer(view, l)}</p>
            {(!view.OffersForm ? "" : view.WithdrawOnly ? WithdrawForm(view, token, l) : Form(view, token, choice, l))}
            """;
        return AlumniPage.Render(a, status, T(l, "イベントへのご回答", "Your reply to the invitation"), body, links);
    }

    private static string Where(EventDetails d, Locale l, bool reveal) =>
        reveal && d.OnlineUrl is { } url
            ? $"""{(d.Venue is null ? "" : E(d.Venue) + " / ")}{T(l, "オンライン", "Online")}: <a href="{E(url.AbsoluteUri)}" rel="noreferrer">{E(url.AbsoluteUri)}</a>"""
            : E(EventMail.Where(d, l, revealOnline: false));

    private static string Answer(RsvpView view, Locale l) => view.Rsvp?.Status switch
    {
        RsvpStatus.Attending => T(l, "参加", "Attending"),
        RsvpStatus.Waitlisted when view.WaitlistPlace is { } place => T(l, $"キャンセル待ち（{place}番目）", $"On the waitlist (number {place} in line)"),
        RsvpStatus.Waitlisted => T(l, "キャンセル待ち", "On the waitlist"),
        RsvpStatus.Declined => T(l, "不参加", "Not attending"),
        _ => T(l, "未回答", "No answer yet"),
    };

    /// <summary>After the deadline: the one answer left, giving up the seat or the place in line.</summary>
    private static string WithdrawForm(RsvpView view, string? token, Locale l) => $"""
        <form method="post" action="{AlumniPage.FormAction(RespondToEventFunction.Route, token)}">
        <input type="hidden" name="token" value="{E(token)}">
        <input type="hidden" name="choice" value="decline">
        <p><button type="submit">{(view.Rsvp?.Status == RsvpStatus.Waitlisted
            ? T(l, "キャンセル待ちを辞退する", "Leave the waitlist")
            : T(l, "参加を取り消す", "Cancel my registration"))}</button></p>
        </form>
        """;

    private static string Form(RsvpView view, string? token, RsvpChoice? choice, Locale l)
    {
        var selected = choice ?? (view.Rsvp?.Status == RsvpStatus.Declined ? RsvpChoice.Decline : RsvpChoice.Attend);
        string Option(RsvpChoice value, string id, string label) =>
            $"""<p><label for="{id}"><input type="radio" id="{id}" name="choice" value="{id}"{(selected == value ? " checked" : "")} required> {label}</label></p>""";
        return $"""
            <form method="post" action="{AlumniPage.FormAction(RespondToEventFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            <fieldset><legend>{T(l, "ご回答", "Your answer")}</legend>
            {Option(RsvpChoice.Attend, "attend", T(l, "参加する", "I will attend"))}
            {Option(RsvpChoice.Decline, "decline", T(l, "参加しない", "I cannot attend"))}
            </fieldset>
            <p><button type="submit">{T(l, "回答を送信する", "Send my answer")}</button></p>
            </form>
            """;
    }
}
