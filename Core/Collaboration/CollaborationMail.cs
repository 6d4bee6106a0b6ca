using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>
/// The emails of collaboration requests: the request to the alumnus (in their language, promotional: the send path adds
/// the refusal footer), and the answer to the requester (company-internal, in both languages). Stored text is escaped.
/// </summary>
public static class CollaborationMail
{
    public const string RequestCategory = "collaboration";
    public const string AnswerCategory = "collaboration-answer";

    /// <summary>Who asks, as the alumnus reads it: the employee and their department, or the company's call.</summary>
    public static string Requester(CollaborationRequest r, Locale l, string companyName) => r.Kind == RequesterKind.Call
        ? T(l, $"{companyName}の協業募集「{r.RequesterName}」（{r.RequesterDepartment}）", $"{companyName}'s collaboration call “{r.RequesterName}” ({r.RequesterDepartment})")
        : T(l, $"{companyName} {r.RequesterDepartment}の{r.RequesterName}さん", $"{r.RequesterName} of {r.RequesterDepartment}, {companyName}");

    /// <param name="accept">The signed link that accepts; <paramref name="decline"/> declines.</param>
    /// <param name="card">The alumnus's card page, where requests can be paused.</param>
    public static EmailMessage Request(CollaborationRequest request, Alumnus a, string companyName, Uri accept, Uri decline, Uri card)
    {
        // The send path fills the footer's placeholders over the whole mail: typed text keeps a "{{unsubscribe_url}}" as text.
        var r = request with
        {
            Reason = Placeholders.Literal(request.Reason),
            RequesterName = Placeholders.Literal(request.RequesterName),
            RequesterDepartment = Placeholders.Literal(request.RequesterDepartment),
        };
        companyName = Placeholders.Literal(companyName);
        var (family, given) = (Placeholders.Literal(a.FamilyName), Placeholders.Literal(a.GivenName));
        var l = a.Locale;
        var who = Requester(r, l, companyName);
        var subject = T(l, $"【協業のご依頼】{who}より", $"A collaboration request from {who}");
        var greeting = l == Locale.Japanese ? $"{family} {given} 様" : $"Dear {given} {family},";
        var lead = T(l, $"アルムナイネットワークの協業カードをご覧になった{who}から、協業のご依頼が届きました。",
            $"{who} read your collaboration card in the alumni network and would like to work with you.");
        var why = T(l, "ご依頼の内容", "Why they are asking");
        var privacy = T(l, "「お受けする」を選ばれた場合に限り、お名前とメールアドレスを依頼者にお知らせします。お断りいただいても、依頼者に連絡先は伝わりません。",
            "Only if you accept will your name and email address be shared with them. If you decline, they receive no contact details.");
        var (yes, no) = (T(l, "お受けする", "Accept"), T(l, "お断りする", "Decline"));
        var pause = T(l, "協業のご依頼の受付は、協業カードのページでいつでも一時停止できます。", "You can pause collaboration requests at any time on your card's page.");
        var html = MailLayout.Wrap(l, subject, $"""
            <p>{E(greeting)}</p>
            <p>{E(lead)}</p>
            <h2 style="font-size: 1.1em;">{E(why)}</h2>
            <p style="white-space: pre-line;">{E(r.Reason)}</p>
            <p>{E(privacy)}</p>
            <p>{MailLayout.Button(E(accept.AbsoluteUri), yes)} <a href="{E(decline.AbsoluteUri)}">{E(no)}</a></p>
            <p style="font-size: 0.9em; color: #444444;">{E(pause)} <a href="{E(card.AbsoluteUri)}">{E(T(l, "協業カード", "Your collaboration card"))}</a></p>
            """, companyName);
        var text = $"""
            {greeting}

            {lead}

            {why}:
            {r.Reason}

            {privacy}

            {yes}: {accept.AbsoluteUri}
            {no}: {decline.AbsoluteUri}

            {pause} {card.AbsoluteUri}

            --
            {companyName}
            """;
        return new EmailMessage(a.PersonalEmail, $"{a.FamilyName} {a.GivenName}", subject, html, text, [RequestCategory],
            new Dictionary<string, string> { ["campaign"] = request.MailCampaignId, ["alumnusId"] = a.Id.Value });
    }

    /// <summary>
    /// The alumnus's answer, to the requester's work mailbox: on acceptance the alumnus's name, email address and card; on
    /// a decline nothing but the decline. Company-internal, both languages (the requester's is unknown). Either says which
    /// request it answers: its reason (the requester's own text) and when it was made, as the company's clocks show it.
    /// </summary>
    public static EmailMessage Answer(CollaborationRequest r, Alumnus a, CollaborationCard? card, string companyName, CompanyCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var accepted = r.Status == RequestStatus.Accepted;
        var jaName = $"{a.FamilyName} {a.GivenName}";
        var enName = $"{a.GivenName} {a.FamilyName}";
        var subject = accepted
            ? $"[社内 / Internal] 協業のご依頼が承諾されました / Your collaboration request was accepted: {enName}"
            : $"[社内 / Internal] 協業のご依頼はお断りされました / Your collaboration request was declined";
        string Lead(Locale l) => accepted
            ? T(l, $"{jaName} さんが、アルムナイネットワークを通じた協業のご依頼をお受けになりました。以下の連絡先から直接ご連絡ください。",
                $"{enName} accepted your collaboration request made through the alumni network. Please contact them directly:")
            : T(l, "アルムナイネットワークを通じた協業のご依頼は、お断りされました。今回のご依頼について、これ以上のご連絡はお控えください。",
                "Your collaboration request made through the alumni network was declined. Please do not pursue this request further.");
        var contact = accepted ? $"{(a.Locale == Locale.Japanese ? jaName : enName)} <{a.PersonalEmail.Value}>" : null;
        var company = card?.ValueOf(CardField.Company);
        var made = calendar.ToLocal(r.CreatedAt);
        string Which(Locale l) => T(l,
            $"ご依頼日: {made.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture)} ({calendar.ZoneName})",
            $"Requested on {made.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} ({calendar.ZoneName})");
        string Reason(Locale l) => T(l, "ご依頼の内容", "Your request");
        string Asked(Locale l) => $"""
            <p>{E(Which(l))}</p>
            <p>{E(Reason(l))}:</p>
            <p style="white-space: pre-line;">{E(r.Reason)}</p>
            """;
        string Details(Locale l) => contact is null ? "" : $"""
            <ul><li>{E(T(l, "連絡先", "Contact"))}: {E(contact)}</li>
            {(string.IsNullOrEmpty(company) ? "" : $"<li>{E(T(l, "現在の所属", "Company"))}: {E(company)}</li>")}</ul>
            """;
        var html = MailLayout.Wrap(Locale.Japanese, subject, $"""
            <p>{E(Lead(Locale.Japanese))}</p>
            {Details(Locale.Japanese)}
            {Asked(Locale.Japanese)}
            <hr>
            <div lang="en">
            <p>{E(Lead(Locale.English))}</p>
            {Details(Locale.English)}
            {Asked(Locale.English)}
            </div>
            """, companyName);
        var text = $"""
            {Lead(Locale.Japanese)}
            {(contact is null ? "" : $"{contact}\n{company}")}

            {Which(Locale.Japanese)}
            {Reason(Locale.Japanese)}:
            {r.Reason}

            ----
            {Lead(Locale.English)}
            {(contact is null ? "" : $"{contact}\n{company}")}

            {Which(Locale.English)}
            {Reason(Locale.English)}:
            {r.Reason}

            --
            {companyName}
            """;
        return new EmailMessage(r.RequesterEmail, r.RequesterName, subject, html, text, [AnswerCategory],
            new Dictionary<string, string> { ["campaign"] = r.AnswerCampaignId, ["internal"] = "true" });
    }

    private static string T(Locale l, string japanese, string english) => l == Locale.Japanese ? japanese : english;
}
