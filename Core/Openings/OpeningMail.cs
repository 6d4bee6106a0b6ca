using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Options;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Openings;

/// <summary>How an opening reads in either language: one wording for the page, the mails and the newsletter.</summary>
public static class OpeningText
{
    public static string T(Locale l, string japanese, string english) => l == Locale.Japanese ? japanese : english;

    public static string KindLabel(OpeningKind kind, Locale l) => kind switch
    {
        OpeningKind.Comeback => T(l, "再入社（正社員）", "Comeback (full-time)"),
        OpeningKind.MidCareer => T(l, "中途採用（正社員）", "Mid-career position (full-time)"),
        OpeningKind.ShortTermProject => T(l, "短期プロジェクト", "Short-term project"),
        _ => T(l, "アドバイザー", "Advisory role"),
    };

    public static string Where(OpeningDetails d, Locale l) => (d.Location, d.Remote) switch
    {
        ({ } place, true) => T(l, $"{place}（リモート可）", $"{place} (remote possible)"),
        ({ } place, false) => place,
        _ => T(l, "リモート", "Remote"),
    };

    /// <summary>The period, or null when the opening names no dates.</summary>
    public static string? When(OpeningDetails d, Locale l) => (d.Start, d.End) switch
    {
        (null, null) => null,
        ({ } from, null) => T(l, $"{Day(from, l)}から", $"From {Day(from, l)}"),
        (null, { } to) => T(l, $"{Day(to, l)}まで", $"Until {Day(to, l)}"),
        ({ } from, { } to) => T(l, $"{Day(from, l)}〜{Day(to, l)}", $"{Day(from, l)} to {Day(to, l)}"),
    };

    public static string Day(DateOnly day, Locale l) => l == Locale.Japanese
        ? day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
        : day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The facts as label and value pairs, in order (kind, department, place, period, skills).</summary>
    public static IReadOnlyList<(string Label, string Value)> Facts(OpeningDetails d, Locale l)
    {
        var facts = new List<(string, string)> { (T(l, "種別", "Kind"), KindLabel(d.Kind, l)) };
        if (d.Department is { } department)
        {
            facts.Add((T(l, "部署", "Department"), department));
        }

        facts.Add((T(l, "勤務地", "Location"), Where(d, l)));
        if (When(d, l) is { } period)
        {
            facts.Add((T(l, "期間", "Period"), period));
        }

        if (d.Skills.Count > 0)
        {
            facts.Add((T(l, "求めるスキル", "Skills wanted"), string.Join(T(l, "、", ", "), d.Skills)));
        }

        return facts;
    }
}

/// <summary>
/// Renders an opening for the campaign engine: the template per language and, per recipient, the greeting and a signed
/// link to the opening's page, bound to it. The opening's matching rules decide who is included (<see cref="OpeningMatcher.Reaches"/>);
/// a closed or unknown opening sends nothing, so closing it stops batches not yet sent.
/// </summary>
public sealed class OpeningComposer(IOpeningStore openings, AlumniLinks links, IOptions<CompanyOptions> company) : ICampaignComposer
{
    public const string NameKey = "name";
    public const string OpeningUrlKey = "opening_url";

    public CampaignKind Kind => CampaignKind.Opening;

    public async Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken) =>
        Opening.IsId(sourceId) && await openings.GetAsync(sourceId, cancellationToken) is { IsOpen: true } opening
            ? new OpeningMail(opening, links, company.Value.Name)
            : null;

    private sealed class OpeningMail(Opening opening, AlumniLinks links, string companyName) : ICampaignMail
    {
        public bool Includes(IRecipient alumnus, Profile? profile) => OpeningMatcher.Reaches(opening, alumnus, profile);

        public IReadOnlyDictionary<string, string> Values(IRecipient recipient) => new Dictionary<string, string>
        {
            [NameKey] = recipient.Locale == Locale.Japanese ? $"{recipient.FamilyName} {recipient.GivenName} 様" : $"Dear {recipient.GivenName} {recipient.FamilyName},",
            [OpeningUrlKey] = links.OpeningsLink(recipient, opening).AbsoluteUri,
        };

        public MailTemplate Template(Locale l)
        {
            var d = opening.Details;
            var company = Placeholders.Literal(companyName);
            var title = Placeholders.Literal(d.Title.In(l));
            var subject = OpeningText.T(l, $"【{company}】募集のご案内: {title}", $"{company}: an opening for you: {title}");
            var lead = OpeningText.T(l,
                $"{company}から、あなたのご経験に合うかもしれない募集のご案内です。ご関心があれば、下のリンクから一言添えてお知らせください。担当の採用チームにお伝えします。",
                $"{company} has an opening that may fit your experience. If you are interested, tell us with a short note through the link below; we pass it to the recruiting team.");
            var facts = OpeningText.Facts(d, l).Select(f => (f.Label, Value: Placeholders.Literal(f.Value))).ToArray();
            var description = Placeholders.Literal(d.Description.In(l));
            var button = OpeningText.T(l, "募集内容を見て関心を伝える", "See the opening and express interest");
            var (nameTag, urlTag) = ("{{" + NameKey + "}}", "{{" + OpeningUrlKey + "}}");
            var html = $"""
                <!DOCTYPE html>
                <html lang="{l.ToTag()}">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
                <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1rem;">
                <p>{nameTag}</p>
                <p>{E(lead)}</p>
                <h2 style="font-size: 1.2em;">{E(title)}</h2>
                <dl>{string.Concat(facts.Select(f => $"<dt>{E(f.Label)}</dt><dd>{E(f.Value)}</dd>"))}</dl>
                <p style="white-space: pre-line;">{E(description)}</p>
                <p><a href="{urlTag}" style="display: inline-block; padding: 0.6em 1.2em; background: #0b5394; color: #ffffff; text-decoration: none; border-radius: 4px;">{E(button)}</a></p>
                </body>
                </html>
                """;
            var text = $"""
                {nameTag}

                {lead}

                {title}
                {string.Join('\n', facts.Select(f => $"{f.Label}: {f.Value}"))}

                {description}

                {button}: {urlTag}
                """;
            return new MailTemplate(subject, html, text);
        }
    }
}
