using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Events;

/// <summary>What a notice to one alumnus is about.</summary>
public enum NoticeKind
{
    Confirmed,
    Promoted,
    Waitlisted,
    Declined,
    Updated,
    Cancelled,
    Reminder,
}

/// <summary>
/// The event emails in both languages, HTML and text: the invitation template for the campaign engine, the notices to
/// one alumnus, and the company-internal invitation to employees. Every piece of stored text is escaped in HTML; the
/// online URL appears only in mails to registered attendees.
/// </summary>
public static class EventMail
{
    public const string Category = "event";
    public const string NameKey = "name";
    public const string AttendUrlKey = "attend_url";
    public const string DeclineUrlKey = "decline_url";
    private const string NamePlaceholder = "{{" + NameKey + "}}";
    private const string AttendPlaceholder = "{{" + AttendUrlKey + "}}";
    private const string DeclinePlaceholder = "{{" + DeclineUrlKey + "}}";
    public const string InternalCategory = "event-internal";

    /// <summary>The custom argument naming the event: not <c>event</c>, which SendGrid reserves for the event type.</summary>
    public const string EventIdArg = "eventId";

    public static string When(EventDetails d, Locale l)
    {
        var start = d.ToLocal(d.StartsAt);
        var end = d.ToLocal(d.EndsAt);
        var sameDay = start.Date == end.Date;
        return l == Locale.Japanese
            ? $"{start.ToString("yyyy年M月d日(ddd) HH:mm", Japanese)}–{end.ToString(sameDay ? "HH:mm" : "yyyy年M月d日(ddd) HH:mm", Japanese)} ({d.TimeZone})"
            : $"{start.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)}–{end.ToString(sameDay ? "HH:mm" : "dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} ({d.TimeZone})";
    }

    /// <summary>The registration deadline in the event's zone, the zone named as <see cref="When"/> names it.</summary>
    public static string Deadline(EventDetails d, Locale l)
    {
        var deadline = d.ToLocal(d.RegistrationDeadline);
        return l == Locale.Japanese
            ? $"{deadline.ToString("yyyy年M月d日(ddd) HH:mm", Japanese)} ({d.TimeZone})"
            : $"{deadline.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} ({d.TimeZone})";
    }

    public static string KindLabel(EventKind kind, Locale l) => kind switch
    {
        EventKind.LectureSeries => T(l, "講演会シリーズ", "Lecture series"),
        EventKind.Networking => T(l, "交流会", "Networking evening"),
        EventKind.Seminar => T(l, "セミナー", "Seminar"),
        EventKind.Reunion => T(l, "同窓会", "Reunion"),
        EventKind.EmployeeMeetup => T(l, "現役社員との交流会", "Meetup with current employees"),
        _ => kind.ToString(),
    };

    /// <summary>Where, for people who may not yet see the online link.</summary>
    public static string Where(EventDetails d, Locale l, bool revealOnline) => (d.Venue, d.OnlineUrl, revealOnline) switch
    {
        ({ } venue, null, _) => venue,
        ({ } venue, { } url, true) => $"{venue} / {T(l, "オンライン", "Online")}: {url.AbsoluteUri}",
        ({ } venue, _, false) => $"{venue} / {T(l, "オンライン参加可（URLは参加登録後にお送りします）", "Online too (the link is sent once you register)")}",
        (null, { } url, true) => $"{T(l, "オンライン", "Online")}: {url.AbsoluteUri}",
        _ => T(l, "オンライン（URLは参加登録後にお送りします）", "Online (the link is sent once you register)"),
    };

    /// <summary>
    /// Where, for an employee: staff do not register (ADR 0022), so the online link is not promised "once you register";
    /// the organiser gives it on request.
    /// </summary>
    public static string StaffWhere(EventDetails d, Locale l, string enquiryContact) => (d.Venue, d.OnlineUrl) switch
    {
        (_, null) => Where(d, l, revealOnline: false),
        ({ } venue, _) => $"{venue} / {T(l, $"オンライン参加可（URLは主催者（{enquiryContact}）にお問い合わせください）", $"Online too (ask the organiser for the link: {enquiryContact})")}",
        (null, _) => T(l, $"オンライン開催（URLは主催者（{enquiryContact}）にお問い合わせください）", $"Online (ask the organiser for the link: {enquiryContact})"),
    };

    public static string HostsLine(EventDetails d, Locale l) => string.Join(T(l, "、", ", "), d.Hosts.Select(h =>
        $"{h.Name}{(h.Title is null ? "" : $" ({h.Title})")} — {(h.Role == HostRole.Employee ? T(l, "社員", "employee") : T(l, "アルムナイ", "alumnus"))}"));

    /// <summary>The campaign engine's template: the name and the two RSVP links are filled per recipient (<see cref="NameKey"/>…).</summary>
    public static MailTemplate Invitation(NetworkEvent e, Locale l, string companyName)
    {
        var d = Literal(e.Details);
        companyName = Placeholders.Literal(companyName);
        var subject = T(l, $"【ご招待】{d.Title.In(l)}", $"Invitation: {d.Title.In(l)}");
        var intro = T(l, $"{companyName}アルムナイの皆さまを、下記のイベントにご招待します。", $"{companyName} invites its alumni to the event below.");
        var deadline = T(l, $"お申し込み締切: {Deadline(d, l)}", $"Please reply by {Deadline(d, l)}.");
        var attend = T(l, "参加する", "I will attend");
        var decline = T(l, "参加しない", "I cannot attend");
        var html = Layout(l, subject, $"""
            <p>{NamePlaceholder}</p>
            <p>{E(intro)}</p>
            {DetailsHtml(d, l, Where(d, l, revealOnline: false))}
            <p>{E(deadline)}</p>
            <p>{Button(AttendPlaceholder, attend)} <a href="{DeclinePlaceholder}">{E(decline)}</a></p>
            """, companyName);
        var text = $"""
            {NamePlaceholder}

            {intro}

            {DetailsText(d, l, Where(d, l, revealOnline: false))}

            {deadline}
            {attend}: {AttendPlaceholder}
            {decline}: {DeclinePlaceholder}

            --
            {companyName}
            """;
        return new MailTemplate(subject, html, text);
    }

    /// <summary>
    /// A notice to one alumnus about their registration or about the event. Its custom arguments carry the campaign id
    /// (engagement counts under the <c>event</c> kind) and its categories the Events purpose, so a complaint about it
    /// withdraws that purpose only (ADR 0008); none is named <c>event</c> or <c>email</c>, which SendGrid reserves.
    /// </summary>
    /// <param name="campaignId">The notice's Sends campaign id (<see cref="PendingNotice.CampaignId"/>).</param>
    /// <param name="rsvpLink">Their RSVP page (change or cancel their answer), or null when there is nothing left to change.</param>
    /// <param name="withdrawOnly">Registration has closed: the page only takes back their seat or place in line, until the start.</param>
    public static EmailMessage Notice(
        NoticeKind kind, string campaignId, NetworkEvent e, Alumnus a, Rsvp rsvp, string companyName, Uri? rsvpLink, EmailAttachment? calendar,
        bool withdrawOnly = false)
    {
        var d = e.Details;
        var l = a.Locale;
        var title = d.Title.In(l);
        var reveal = rsvp.Status == RsvpStatus.Attending && kind is not (NoticeKind.Cancelled or NoticeKind.Declined);
        var (subject, lead) = kind switch
        {
            NoticeKind.Confirmed => (T(l, $"【参加登録完了】{title}", $"You are registered: {title}"),
                T(l, "ご参加登録を受け付けました。当日お会いできることを楽しみにしております。", "Your registration is confirmed. We look forward to seeing you.")),
            NoticeKind.Promoted => (T(l, $"【お席をご用意できました】{title}", $"A seat is yours: {title}"),
                T(l, "キャンセル待ちから参加確定となりました。", "A seat became free and you have moved from the waitlist to the attendee list.")),
            NoticeKind.Waitlisted => (T(l, $"【キャンセル待ち登録】{title}", $"You are on the waitlist: {title}"),
                T(l, "定員に達したため、キャンセル待ちとして登録しました。お席が空き次第、お申し込み順にご案内します。",
                    "The event is full, so you are on the waitlist. As seats free up they are offered in the order people asked; we will email you.")),
            NoticeKind.Declined => (T(l, $"【不参加を承りました】{title}", $"We have noted you cannot attend: {title}"),
                T(l, "不参加のご連絡を承りました。", "Thank you for letting us know that you cannot attend.")),
            NoticeKind.Updated => (T(l, $"【内容変更】{title}", $"Updated: {title}"),
                T(l, "イベントの内容が変更されました。最新の内容は以下のとおりです。", "The event has changed. Here are the latest details.")),
            NoticeKind.Cancelled => (T(l, $"【開催中止】{title}", $"Cancelled: {title}"),
                T(l, "誠に申し訳ございませんが、このイベントは中止となりました。", "We are sorry: this event has been cancelled.")),
            _ => (T(l, $"【リマインダー】{title}", $"Reminder: {title}"),
                T(l, "まもなく開催です。ご参加をお待ちしております。", "The event is coming up soon. We look forward to seeing you.")),
        };
        var calendarNote = calendar is null ? null : kind is NoticeKind.Cancelled or NoticeKind.Declined or NoticeKind.Waitlisted
            ? T(l, "カレンダーから予定を削除するファイル(.ics)を添付しています。", "The attached file (.ics) removes the event from your calendar.")
            : T(l, "カレンダーに登録できるファイル(.ics)を添付しています。", "The attached file (.ics) adds the event to your calendar.");
        var change = rsvpLink is null ? null : withdrawOnly
            ? T(l, "参加の取り消し・キャンセル待ちの辞退は開催まで:", "To cancel your registration or leave the waitlist (until the event starts):")
            : T(l, $"ご回答の変更は {Deadline(d, l)} まで:", $"To change your answer (until {Deadline(d, l)}):");
        var greeting = l == Locale.Japanese ? $"{a.FamilyName} {a.GivenName} 様" : $"Dear {a.GivenName} {a.FamilyName},";
        var html = Layout(l, subject, $"""
            <p>{E(greeting)}</p>
            <p>{E(lead)}</p>
            {DetailsHtml(d, l, Where(d, l, reveal))}
            {(calendarNote is null ? "" : $"<p>{E(calendarNote)}</p>")}
            {(rsvpLink is null ? "" : $"<p>{E(change)} <a href=\"{E(rsvpLink.AbsoluteUri)}\">{E(T(l, "参加登録ページ", "Your registration"))}</a></p>")}
            """, companyName);
        var text = $"""
            {greeting}

            {lead}

            {DetailsText(d, l, Where(d, l, reveal))}
            {(calendarNote is null ? "" : $"\n{calendarNote}")}
            {(rsvpLink is null ? "" : $"\n{change} {rsvpLink.AbsoluteUri}")}

            --
            {companyName}
            """;
        return new EmailMessage(a.PersonalEmail, $"{a.FamilyName} {a.GivenName}", subject, html, text, [Category, nameof(Consent.ConsentPurpose.Events)],
            new Dictionary<string, string> { [EventIdArg] = e.Id, ["campaign"] = campaignId, ["alumnusId"] = a.Id.Value, ["notice"] = kind.ToString() })
        {
            Attachments = calendar is null ? [] : [calendar],
        };
    }

    /// <summary>
    /// The company-internal invitation to a current employee: both languages (the employee's is unknown), labelled as
    /// internal, no alumni unsubscribe footer (it is not alumni mail), and no online link (staff do not register: the
    /// organiser gives it on request, <see cref="StaffWhere"/>);
    /// with the <c>.ics</c> that adds it to their calendar, or updates it there (<see cref="EventCalendar.RequestForStaff"/>).
    /// </summary>
    public static EmailMessage Internal(NetworkEvent e, EmailAddress to, string companyName, string enquiryContact, EmailAttachment calendar) =>
        Internal(e, to, companyName, enquiryContact, calendar, cancelled: false);

    /// <summary>
    /// The company-internal notice that the event an employee was invited to is cancelled, in both languages, with the
    /// <c>.ics</c> that removes it from their calendar (<see cref="EventCalendar.CancelForStaff"/>).
    /// </summary>
    public static EmailMessage InternalCancelled(NetworkEvent e, EmailAddress to, string companyName, string enquiryContact, EmailAttachment calendar) =>
        Internal(e, to, companyName, enquiryContact, calendar, cancelled: true);

    private static EmailMessage Internal(NetworkEvent e, EmailAddress to, string companyName, string enquiryContact, EmailAttachment calendar, bool cancelled)
    {
        var d = e.Details;
        var subject = cancelled
            ? $"[社内 / Internal]【開催中止 / Cancelled】{d.Title.Japanese} / {d.Title.English}"
            : $"[社内 / Internal] {d.Title.Japanese} / {d.Title.English}";
        string Label(Locale l) => T(l,
            $"【社内連絡】{companyName}の社員の方へのご案内です。アルムナイ向けの配信ではありません。お問い合わせ: {enquiryContact}",
            $"[Company-internal] A notice to {companyName} employees; this is not an alumni mailing. Enquiries: {enquiryContact}");
        string Lead(Locale l) => cancelled
            ? T(l, "ご案内していた下記イベントは中止となりました。添付のファイル(.ics)でカレンダーから予定を削除できます。",
                "The event below, to which employees were invited, has been cancelled. The attached file (.ics) removes it from your calendar.")
            : T(l, "アルムナイとの下記イベントに、社員の皆さまもご参加いただけます。添付のファイル(.ics)でカレンダーに登録できます。",
                "Employees are invited to join the alumni event below. The attached file (.ics) adds it to your calendar.");
        var html = Layout(Locale.Japanese, subject, $"""
            <p><strong>{E(Label(Locale.Japanese))}</strong></p>
            <p>{E(Lead(Locale.Japanese))}</p>
            {DetailsHtml(d, Locale.Japanese, StaffWhere(d, Locale.Japanese, enquiryContact))}
            <hr>
            <div lang="en">
            <p><strong>{E(Label(Locale.English))}</strong></p>
            <p>{E(Lead(Locale.English))}</p>
            {DetailsHtml(d, Locale.English, StaffWhere(d, Locale.English, enquiryContact))}
            </div>
            """, companyName);
        var text = $"""
            {Label(Locale.Japanese)}
            {Lead(Locale.Japanese)}

            {DetailsText(d, Locale.Japanese, StaffWhere(d, Locale.Japanese, enquiryContact))}

            ----
            {Label(Locale.English)}
            {Lead(Locale.English)}

            {DetailsText(d, Locale.English, StaffWhere(d, Locale.English, enquiryContact))}

            --
            {companyName}
            """;
        return new EmailMessage(to, "", subject, html, text, [InternalCategory], new Dictionary<string, string> { [EventIdArg] = e.Id, ["internal"] = "true" })
        {
            Attachments = [calendar],
        };
    }

    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja-JP");

    /// <summary>The details as they go into a template: no text an admin typed can become one of its placeholders.</summary>
    private static EventDetails Literal(EventDetails d) => d with
    {
        Title = new(Placeholders.Literal(d.Title.Japanese), Placeholders.Literal(d.Title.English)),
        Description = new(Placeholders.Literal(d.Description.Japanese), Placeholders.Literal(d.Description.English)),
        Venue = d.Venue is null ? null : Placeholders.Literal(d.Venue),
        Hosts = d.Hosts.Select(h => h with { Name = Placeholders.Literal(h.Name), Title = h.Title is null ? null : Placeholders.Literal(h.Title) }).ToArray(),
    };

    private static string T(Locale l, string japanese, string english) => l == Locale.Japanese ? japanese : english;

    private static string DetailsHtml(EventDetails d, Locale l, string where)
    {
        var hosts = d.Hosts.Count == 0 ? "" : $"<dt>{E(T(l, "登壇・ホスト", "Speakers and hosts"))}</dt><dd>{E(HostsLine(d, l))}</dd>";
        var description = d.Description.In(l);
        return $"""
            <h2 style="font-size: 1.2em;">{E(d.Title.In(l))}</h2>
            <dl>
            <dt>{E(T(l, "種別", "Kind"))}</dt><dd>{E(KindLabel(d.Kind, l))}</dd>
            <dt>{E(T(l, "日時", "When"))}</dt><dd>{E(When(d, l))}</dd>
            <dt>{E(T(l, "場所", "Where"))}</dt><dd>{E(where)}</dd>
            {hosts}
            </dl>
            {(description.Length == 0 ? "" : $"<p style=\"white-space: pre-line;\">{E(description)}</p>")}
            """;
    }

    private static string DetailsText(EventDetails d, Locale l, string where)
    {
        var lines = new List<string>
        {
            $"■ {d.Title.In(l)}",
            $"{T(l, "種別", "Kind")}: {KindLabel(d.Kind, l)}",
            $"{T(l, "日時", "When")}: {When(d, l)}",
            $"{T(l, "場所", "Where")}: {where}",
        };
        if (d.Hosts.Count > 0)
        {
            lines.Add($"{T(l, "登壇・ホスト", "Speakers and hosts")}: {HostsLine(d, l)}");
        }

        if (d.Description.In(l).Length > 0)
        {
            lines.Add("");
            lines.Add(d.Description.In(l));
        }

        return string.Join("\n", lines);
    }

    private static string Button(string href, string label) => MailLayout.Button(href, label);

    private static string Layout(Locale l, string subject, string body, string companyName) => MailLayout.Wrap(l, subject, body, companyName);
}
