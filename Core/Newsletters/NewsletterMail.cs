using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// The newsletter as mail: a personal greeting, then each section's entries, in the recipient's language. Entry text
/// comes from people (news items, event titles), so it is escaped in HTML and kept from forming placeholders. When the
/// issue lists open positions and <paramref name="openingsLink"/> is given, the section ends with the reader's own
/// signed link to the open positions page. An entry that takes a reply (<see cref="NewsletterEntry.Rsvp"/>) gets the
/// reader's own attend and decline links from <paramref name="rsvpLink"/>, as substitutions of their personalization
/// (<c>rsvp1_attend_url</c>…): the issue stays one content for a thousand readers.
/// </summary>
/// <param name="rsvpLink">The reader's link for an entry and a choice (<c>attend</c>, <c>decline</c>); null: no reply links.</param>
public sealed class NewsletterMail(
    NewsletterIssue issue, string companyName, Func<IRecipient, Uri>? openingsLink = null, Func<EntryRsvp, IRecipient, string, Uri>? rsvpLink = null) : ICampaignMail
{
    public const string NameKey = "name";
    public const string OpeningsUrlKey = "openings_url";

    private const string Attend = "attend";
    private const string Decline = "decline";

    private bool LinksOpenings => openingsLink is not null && issue.Entries.Any(e => e.Section == NewsletterSectionKind.Openings);

    /// <summary>The placeholder of the <paramref name="n"/>th replying entry's link for <paramref name="choice"/>.</summary>
    public static string RsvpUrlKey(int n, string choice) => $"rsvp{n}_{choice}_url";

    /// <summary>The entries that take a reply, numbered from 1 in the issue's order: their links' placeholders.</summary>
    /// <remarks>Numbered once per mail, not per reader: the substitutions of a thousand readers read the same numbers.</remarks>
    private Dictionary<NewsletterEntry, int> Replies => replies ??= rsvpLink is null ? [] : issue.Entries.Where(e => e.Rsvp is not null)
        .Select((e, i) => (Entry: e, Number: i + 1)).ToDictionary<(NewsletterEntry Entry, int Number), NewsletterEntry, int>(r => r.Entry, r => r.Number, ReferenceEqualityComparer.Instance);

    private Dictionary<NewsletterEntry, int>? replies;

    public MailTemplate Template(Locale locale)
    {
        var ja = locale == Locale.Japanese;
        var company = Placeholders.Literal(companyName);
        var month = DateOnly.ParseExact(issue.Id + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var subject = ja ? $"{company} アルムナイ通信 {month.Year}年{month.Month}月号" : $"{company} alumni newsletter, {month.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}";
        var greeting = ja ? $"{{{{{NameKey}}}}} 様" : $"Dear {{{{{NameKey}}}}},";
        var intro = ja ? $"{company}アルムナイネットワークから今月のお知らせをお届けします。" : $"Here is this month's news from the {company} alumni network.";
        var sections = issue.Entries.GroupBy(e => e.Section).OrderBy(g => g.Key).ToArray();

        var html = $"""
            <!DOCTYPE html>
            <html lang="{locale.ToTag()}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1rem;">
            <p>{E(greeting)}</p>
            <p>{E(intro)}</p>
            {string.Concat(sections.Select(s => $"<h2 style=\"font-size: 1.2em;\">{E(Heading(s.Key, ja))}</h2>\n" + string.Concat(s.Select(e => EntryHtml(e, ja, RsvpHtml(e, ja)))) + OpeningsHtml(s.Key, ja)))}
            </body>
            </html>
            """;
        var text = $"""
            {greeting}

            {intro}
            {string.Concat(sections.Select(s => $"\n■ {Heading(s.Key, ja)}\n" + string.Concat(s.Select(e => EntryText(e, ja) + RsvpText(e, ja))) + OpeningsText(s.Key, ja)))}
            """;
        return new MailTemplate(subject, html, text);
    }

    public IReadOnlyDictionary<string, string> Values(IRecipient recipient)
    {
        var values = new Dictionary<string, string>
        {
            [NameKey] = recipient.Locale == Locale.Japanese ? $"{recipient.FamilyName} {recipient.GivenName}" : $"{recipient.GivenName} {recipient.FamilyName}",
        };
        if (LinksOpenings)
        {
            values[OpeningsUrlKey] = openingsLink!(recipient).AbsoluteUri;
        }

        foreach (var (entry, n) in Replies)
        {
            values[RsvpUrlKey(n, Attend)] = rsvpLink!(entry.Rsvp!, recipient, Attend).AbsoluteUri;
            values[RsvpUrlKey(n, Decline)] = rsvpLink!(entry.Rsvp!, recipient, Decline).AbsoluteUri;
        }

        return values;
    }

    private string OpeningsHtml(NewsletterSectionKind section, bool ja) => section == NewsletterSectionKind.Openings && LinksOpenings
        ? $"<p><a href=\"{{{{{OpeningsUrlKey}}}}}\">{E(ja ? "募集の詳細を見て関心を伝える" : "See the openings and express interest")}</a></p>\n"
        : "";

    private string OpeningsText(NewsletterSectionKind section, bool ja) => section == NewsletterSectionKind.Openings && LinksOpenings
        ? $"\n{(ja ? "募集の詳細を見て関心を伝える" : "See the openings and express interest")}: {{{{{OpeningsUrlKey}}}}}\n"
        : "";

    /// <summary>The entry's reply links, or nothing; a full event's "attend" joins the waitlist, and is labelled so.</summary>
    private string RsvpHtml(NewsletterEntry e, bool ja) => Replies.TryGetValue(e, out var n)
        ? $"<br><a href=\"{{{{{RsvpUrlKey(n, Attend)}}}}}\">{E(AttendLabel(e.Rsvp!, ja))}</a> | <a href=\"{{{{{RsvpUrlKey(n, Decline)}}}}}\">{E(DeclineLabel(ja))}</a>"
        : "";

    private string RsvpText(NewsletterEntry e, bool ja) => Replies.TryGetValue(e, out var n)
        ? $"{AttendLabel(e.Rsvp!, ja)}: {{{{{RsvpUrlKey(n, Attend)}}}}}\n{DeclineLabel(ja)}: {{{{{RsvpUrlKey(n, Decline)}}}}}\n"
        : "";

    private static string AttendLabel(EntryRsvp rsvp, bool ja) => rsvp.Full
        ? ja ? "キャンセル待ちに登録する" : "Join the waitlist"
        : ja ? "参加する" : "I will attend";

    private static string DeclineLabel(bool ja) => ja ? "参加しない" : "I cannot attend";

    private static string Heading(NewsletterSectionKind section, bool ja) => section switch
    {
        NewsletterSectionKind.News => ja ? "お知らせ" : "News",
        NewsletterSectionKind.Events => ja ? "今後のイベント" : "Upcoming events",
        _ => ja ? "募集中のポジション" : "Open positions",
    };

    private static string EntryHtml(NewsletterEntry e, bool ja, string rsvp)
    {
        var (title, body) = (Placeholders.Literal(ja ? e.TitleJa : e.TitleEn), Placeholders.Literal(ja ? e.TextJa : e.TextEn));
        var more = e.Link is null ? "" : $"""<br><a href="{E(e.Link.AbsoluteUri)}">{E(ja ? "詳しく見る" : "Read more")}</a>""";
        return $"""<h3 style="font-size: 1em; margin-bottom: 0.25em;">{E(title)}</h3><p style="margin-top: 0;">{E(body).ReplaceLineEndings("<br>")}{more}{rsvp}</p>""" + "\n";
    }

    private static string EntryText(NewsletterEntry e, bool ja)
    {
        var (title, body) = (Placeholders.Literal(ja ? e.TitleJa : e.TitleEn), Placeholders.Literal(ja ? e.TextJa : e.TextEn));
        return $"\n{title}\n{body}\n{(e.Link is null ? "" : e.Link.AbsoluteUri + "\n")}";
    }
}
