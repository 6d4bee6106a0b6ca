using System.Globalization;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Alumni;

/// <summary>The transactional welcome invitation, in the alumnus's language, as HTML and text. All stored text is escaped.</summary>
public static class WelcomeEmail
{
    public const string Category = "welcome-invitation";

    /// <param name="linkValidThrough">The last day, in the company's time zone, on which the join link works: it must work until that day ends.</param>
    public static EmailMessage Render(Alumnus alumnus, string companyName, Uri joinLink, DateOnly linkValidThrough)
    {
        var copy = alumnus.Locale == Locale.Japanese ? Japanese(alumnus, companyName, linkValidThrough) : English(alumnus, companyName, linkValidThrough);
        var link = joinLink.AbsoluteUri;
        var html = $"""
            <!DOCTYPE html>
            <html lang="{alumnus.Locale.ToTag()}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(copy.Subject)}</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1rem;">
            <p>{E(copy.Greeting)}</p>
            <p>{E(copy.Body)}</p>
            <p><a href="{E(link)}" style="display: inline-block; background: #0b5394; color: #ffffff; padding: 0.75rem 1.25rem; text-decoration: none; border-radius: 4px;">{E(copy.Action)}</a></p>
            <p style="font-size: 0.9em; color: #444444;">{E(copy.Expiry)}</p>
            <p style="font-size: 0.9em; color: #444444;">{E(copy.NoAction)}</p>
            <hr><p style="font-size: 0.8em; color: #444444;">{E(companyName)}</p>
            </body>
            </html>
            """;
        var text = $"""
            {copy.Greeting}

            {copy.Body}

            {copy.Action}: {link}

            {copy.Expiry}
            {copy.NoAction}

            --
            {companyName}
            """;
        return new EmailMessage(
            alumnus.PersonalEmail,
            $"{alumnus.FamilyName} {alumnus.GivenName}",
            copy.Subject,
            html,
            text,
            [Category],
            new Dictionary<string, string> { ["campaign"] = "welcome", ["alumnusId"] = alumnus.Id.Value });
    }

    private static Copy Japanese(Alumnus a, string company, DateOnly validThrough) => new(
        $"{company} アルムナイネットワークへのご招待",
        $"{Placeholders.Literal(a.FamilyName)} {Placeholders.Literal(a.GivenName)} 様",
        $"{company}でのご活躍に心より感謝申し上げます。{company}のアルムナイネットワークにご招待いたします。イベントや講演会、ニュースレター、再入社やプロジェクトのご案内など、ご希望の内容だけをお選びいただけます。",
        "ネットワークに参加する",
        $"このリンクは {validThrough.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)} まで有効です。",
        "参加されない場合は、このメールへのご対応は不要です。ご同意なくご案内をお送りすることはありません。");

    private static Copy English(Alumnus a, string company, DateOnly validThrough) => new(
        $"Your invitation to the {company} alumni network",
        $"Dear {Placeholders.Literal(a.GivenName)} {Placeholders.Literal(a.FamilyName)},",
        $"Thank you for your time at {company}. We would like to invite you to the {company} alumni network. You choose what you hear about: events and talks, the newsletter, comeback roles and project work.",
        "Join the network",
        $"This link works until {validThrough.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}.",
        "If you do not wish to join, you need not do anything; we will not write to you again without your consent.");

    private sealed record Copy(string Subject, string Greeting, string Body, string Action, string Expiry, string NoAction);
}
