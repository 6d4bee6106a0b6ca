using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// The newsletter as mail: a personal greeting, then each section's entries, in the recipient's language. Entry text
/// comes from people (news items, event titles), so it is escaped in HTML and kept from forming placeholders. When the
/// issue lists open positions and <paramref name="openingsLink"/> is given, the section ends with the reader's own
/// signed link to the open positions page.
/// </summary>
public sealed class NewsletterMail(NewsletterIssue issue, string companyName, Func<Alumnus, Uri>? openingsLink = null) : ICampaignMail
{
    public const string NameKey = "name";
    public const string OpeningsUrlKey = "openings_url";

    private bool LinksOpenings => openingsLink is not null && issue.Entries.Any(e => e.Section == NewsletterSectionKind.Openings);

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
            {string.Concat(sections.Select(s => $"<h2 style=\"font-size: 1.2em;\">{E(Heading(s.Key, ja))}</h2>\n" + string.Concat(s.Select(e => EntryHtml(e, ja))) + OpeningsHtml(s.Key, ja)))}
            </body>
            </html>
            """;
        var text = $"""
            {greeting}

            {intro}
            {string.Concat(sections.Select(s => $"\n■ {Heading(s.Key, ja)}\n" + string.Concat(s.Select(e => EntryText(e, ja))) + OpeningsText(s.Key, ja)))}
            """;
        return new MailTemplate(subject, html, text);
    }

    public IReadOnlyDictionary<string, string> Values(Alumnus recipient)
    {
        var values = new Dictionary<string, string>
        {
            [NameKey] = recipient.Locale == Locale.Japanese ? $"{recipient.FamilyName} {recipient.GivenName}" : $"{recipient.GivenName} {recipient.FamilyName}",
        };
        if (LinksOpenings)
        {
            values[OpeningsUrlKey] = openingsLink!(recipient).AbsoluteUri;
        }

        return values;
    }

    private string OpeningsHtml(NewsletterSectionKind section, bool ja) => section == NewsletterSectionKind.Openings && LinksOpenings
        ? $"<p><a href=\"{{{{{OpeningsUrlKey}}}}}\">{E(ja ? "募集の詳細を見て関心を伝える" : "See the openings and express interest")}</a></p>\n"
        : "";

    private string OpeningsText(NewsletterSectionKind section, bool ja) => section == NewsletterSectionKind.Openings && LinksOpenings
        ? $"\n{(ja ? "募集の詳細を見て関心を伝える" : "See the openings and express interest")}: {{{{{OpeningsUrlKey}}}}}\n"
        : "";

    private static string Heading(NewsletterSectionKind section, bool ja) => section switch
    {
        NewsletterSectionKind.News => ja ? "お知らせ" : "News",
        NewsletterSectionKind.Events => ja ? "今後のイベント" : "Upcoming events",
        _ => ja ? "募集中のポジション" : "Open positions",
    };

    private static string EntryHtml(NewsletterEntry e, bool ja)
    {
        var (title, body) = (Placeholders.Literal(ja ? e.TitleJa : e.TitleEn), Placeholders.Literal(ja ? e.TextJa : e.TextEn));
        var more = e.Link is null ? "" : $"""<br><a href="{E(e.Link.AbsoluteUri)}">{E(ja ? "詳しく見る" : "Read more")}</a>""";
        return $"""<h3 style="font-size: 1em; margin-bottom: 0.25em;">{E(title)}</h3><p style="margin-top: 0;">{E(body).ReplaceLineEndings("<br>")}{more}</p>""" + "\n";
    }

    private static string EntryText(NewsletterEntry e, bool ja)
    {
        var (title, body) = (Placeholders.Literal(ja ? e.TitleJa : e.TitleEn), Placeholders.Literal(ja ? e.TextJa : e.TextEn));
        return $"\n{title}\n{body}\n{(e.Link is null ? "" : e.Link.AbsoluteUri + "\n")}";
    }
}
