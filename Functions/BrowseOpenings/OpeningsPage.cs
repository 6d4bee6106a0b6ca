using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.BrowseOpenings;

/// <summary>
/// The open positions page: each opening the alumnus may see, with their interest so far and a form to express it with a
/// short note or to withdraw it. What the recruiting team will get is said before anything is sent. A POST that changes
/// nothing says so; refusals come back as the page with the reason, in the alumnus's language.
/// </summary>
public static class OpeningsPage
{
    public static InterestChoice? ChoiceOf(string? value) => value switch
    {
        "interest" => InterestChoice.Interest,
        "withdraw" => InterestChoice.Withdraw,
        _ => null,
    };

    /// <param name="choiceMissing">A POST came without a valid choice: the page comes back (400) asking for one.</param>
    /// <param name="note">What the alumnus wrote, kept in the form when the page comes back refused.</param>
    /// <param name="noteFor">The opening whose form sent <paramref name="note"/>: only its form shows it again.</param>
    /// <param name="calendar">Dates on the page are the company's, as in its mail.</param>
    public static IResult Render(OpeningsView view, string? token, AlumniLinks links, CompanyCalendar calendar, bool posted, bool choiceMissing = false, string? note = null, string? noteFor = null)
    {
        switch (view.Status)
        {
            case OpeningsPageStatus.Invalid:
                return LinkProblem(LinkAccessStatus.Invalid, null);
            case OpeningsPageStatus.Gone:
                return LinkProblem(LinkAccessStatus.Gone, null);
            case OpeningsPageStatus.Expired:
                return LinkProblem(LinkAccessStatus.Expired, view.Alumnus?.Locale);
        }

        var a = view.Alumnus!;
        var l = a.Locale;
        // Echoed only for the alumnus to correct it, without characters no form can hold.
        note = note is null ? null : new string(note.Where(c => !char.IsControl(c) || c is '\n' or '\r').ToArray());
        var title = T(l, "募集中のポジション", "Open positions");
        if (view.Status == OpeningsPageStatus.Returned)
        {
            return AlumniPage.Render(a, posted ? StatusCodes.Status409Conflict : StatusCodes.Status200OK, title, $"""
                <p>{T(l, "おかえりなさい。再入社されたため、アルムナイ向けの募集のご案内は終了しました。社内の募集は社内の窓口からご覧ください。",
                    "Welcome back. As you have rejoined the company, openings for alumni no longer apply to you; please see internal openings through the company's own channels.")}</p>
                """, links);
        }

        if (view.Status == OpeningsPageStatus.NotAMember)
        {
            return AlumniPage.Render(a, StatusCodes.Status403Forbidden, title, $"""
                <p>{T(l, "募集のご案内は、アルムナイネットワークに参加された方のためのものです。招待メールのリンクからご参加ください。",
                    "Openings are for members of the alumni network. Please join through the link in your invitation email first.")}</p>
                """, links);
        }

        var (status, notice) = view.Status switch
        {
            _ when choiceMissing => (StatusCodes.Status400BadRequest, T(l, "「関心がある」または「取り下げる」を選んでください。まだ何も送信していません。", "Please choose to express or withdraw interest. Nothing has been sent yet.")),
            OpeningsPageStatus.Refused => (StatusCodes.Status400BadRequest, T(l, $"ひとことは {OpeningInterest.MaxNote} 文字以内で、制御文字、文字の向きを変える文字や行区切り文字を含めずに入力してください。まだ何も送信していません。",
                $"Please keep the note to {OpeningInterest.MaxNote} characters, without control, text-direction or line-separator characters. Nothing has been sent yet.")),
            OpeningsPageStatus.NotFound => (StatusCodes.Status404NotFound, T(l, "この募集は見つからないか、受付を終了しました。何も送信していません。", "This opening could not be found or is closed. Nothing was sent.")),
            OpeningsPageStatus.Busy => (StatusCodes.Status503ServiceUnavailable, T(l, "ただいま混み合っています。まだ何も送信していません。少し時間をおいてもう一度お試しください。",
                "We are busy right now and nothing was sent. Please try again in a moment.")),
            OpeningsPageStatus.Recorded => (StatusCodes.Status200OK, view.Outcome switch
            {
                InterestOutcome.Expressed => T(l, "関心をお伝えしました。採用チームからご連絡します。", "Your interest is sent. The recruiting team will be in touch."),
                InterestOutcome.Withdrawn => T(l, "関心を取り下げました。採用チームにすでに関心をお伝えしていた場合は、取り下げもお伝えします。", "Your interest is withdrawn; if the recruiting team was told of it, we will let them know."),
                _ => T(l, "すでに承っています。変更はありません。", "We already have this; nothing changed."),
            }),
            _ => (StatusCodes.Status200OK, null),
        };

        var openings = view.Openings.Count == 0
            ? $"<p>{T(l, "現在ご案内できる募集はありません。", "There are no openings for you at the moment.")}</p>"
            : string.Concat(view.Openings.Select(o => Entry(o, token, l, calendar, o.Opening.Id == noteFor ? note : null)));
        var body = $"""
            {(notice is null ? "" : $"<p role=\"status\"><strong>{E(notice)}</strong></p>")}
            <p class="secondary">{T(l, "関心をお伝えいただくと、お名前・メールアドレス・ひとこと、そして社員への公開を選んだプロフィール項目を、その募集の採用チームにお送りします。",
                "When you express interest, we send your name, your email address, your note and the profile fields you chose to show to employees to the opening's recruiting team.")}</p>
            {openings}
            {(view.BoundToOne ? $"<p><a href=\"{E(links.Relative(LinkPurpose.Openings, a))}\">{T(l, "ほかの募集も見る", "See all open positions")}</a></p>" : "")}
            """;
        return AlumniPage.Render(a, status, title, body, links);
    }

    private static string Entry(OpeningEntry entry, string? token, Locale l, CompanyCalendar calendar, string? note)
    {
        var o = entry.Opening;
        var d = o.Details;
        var id = o.Id;
        var form = entry.Interested
            ? $"""
                <p><strong>{T(l, "関心をお伝え済みです", "You have expressed interest")}</strong>（{E(OpeningText.Day(calendar.DayOf(entry.Interest!.ExpressedAt), l))}）</p>
                <form method="post" action="{AlumniPage.FormAction(BrowseOpeningsFunction.Route, token)}">
                <input type="hidden" name="token" value="{E(token)}">
                <input type="hidden" name="opening" value="{id}">
                <input type="hidden" name="choice" value="withdraw">
                <p><button type="submit">{T(l, "関心を取り下げる", "Withdraw my interest")}</button></p>
                </form>
                """
            : $"""
                <form method="post" action="{AlumniPage.FormAction(BrowseOpeningsFunction.Route, token)}">
                <input type="hidden" name="token" value="{E(token)}">
                <input type="hidden" name="opening" value="{id}">
                <input type="hidden" name="choice" value="interest">
                <p><label for="note-{id}">{T(l, "採用チームへのひとこと（任意）", "A short note to the recruiting team (optional)")}</label><br>
                <textarea id="note-{id}" name="note" rows="4" cols="40" maxlength="{OpeningInterest.MaxNote}">{E(note)}</textarea></p>
                <p><button type="submit">{T(l, "関心があることを伝える", "I am interested")}</button></p>
                </form>
                """;
        return $"""
            <section aria-labelledby="title-{id}">
            <h2 id="title-{id}">{E(d.Title.In(l))}</h2>
            <dl>{string.Concat(OpeningText.Facts(d, l).Select(f => $"<dt>{E(f.Label)}</dt><dd>{E(f.Value)}</dd>"))}</dl>
            <p style="white-space: pre-line;">{E(d.Description.In(l))}</p>
            {form}
            </section>
            """;
    }
}
