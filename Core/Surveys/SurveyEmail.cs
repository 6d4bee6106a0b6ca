using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// A survey wave's email in the recipient's language: greeting, introduction, how the answers are kept (anonymous or
/// attributed, said before anyone answers), and, when the first question is a scale, that question with each number as
/// a link: one click records the score and opens the survey with it chosen. Every number carries the recipient's one
/// signed link (<see cref="UrlKey"/>) with the score added, which keeps each recipient's substitutions to one link
/// however long the scale. Text from admins is escaped in HTML and kept from forming placeholders.
/// </summary>
public static class SurveyEmail
{
    public const string NameKey = "name";
    public const string UrlKey = "survey_url";

    private const string Name = "{{" + NameKey + "}}";
    private const string Url = "{{" + UrlKey + "}}";

    public static MailTemplate Template(SurveyContent content, Locale locale, string companyName, bool reminder, DateTimeOffset? closesAt, CompanyCalendar calendar)
    {
        var ja = locale == Locale.Japanese;
        var company = Placeholders.Literal(companyName);
        var title = Placeholders.Literal(content.Title.In(locale));
        var intro = Placeholders.Literal(content.Introduction.In(locale));
        var subject = (ja, reminder) switch
        {
            (true, false) => $"【{company}】アンケートご協力のお願い: {title}",
            (true, true) => $"【{company}】リマインダー: {title}",
            (false, false) => $"{company}: {title}",
            (false, true) => $"Reminder from {company}: {title}",
        };
        // An anonymous survey's reminder goes to everyone the wave reached, who answered or not (nobody may know who did).
        var anonymousReminder = reminder && content.Mode == SurveyMode.Anonymous;
        var opening = (ja, reminder, anonymousReminder) switch
        {
            (true, false, _) => $"{company}アルムナイネットワークより、アンケートへのご協力をお願いいたします。",
            (true, true, false) => "先日お送りしたアンケートに、まだご回答いただいていないようです。数分で終わりますので、ご協力いただけますと幸いです。",
            (true, true, true) => "先日お送りしたアンケートについて、改めてご協力をお願いいたします。数分で終わります。ご回答済みの方は行き違いをご容赦ください。ご協力ありがとうございました。",
            (false, false, _) => $"The {company} alumni network would value your view, in a few minutes.",
            (false, true, false) => "We have not yet had your answer to the survey we sent recently. It takes a few minutes.",
            (false, true, true) => "A reminder of the survey we sent recently: it takes a few minutes. If you have already answered, thank you, and please disregard this message.",
        };
        var mode = ModeNote(content, locale);
        var open = ja ? "アンケートに回答する" : "Answer the survey";
        var until = closesAt is { } c ? Deadline(c, calendar, locale) : null;
        var embedded = content.EmbeddedQuestion;

        var html = $"""
            <!DOCTYPE html>
            <html lang="{locale.ToTag()}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1rem;">
            <p>{Name}</p>
            <p>{E(opening)}</p>
            <h1 style="font-size: 1.3em;">{E(title)}</h1>
            {(intro.Length == 0 ? "" : $"<p>{E(intro).ReplaceLineEndings("<br>")}</p>")}
            <p style="background: #f2f2f2; padding: 0.5rem;">{E(mode)}</p>
            {(embedded is null ? "" : ScaleHtml(embedded, locale))}
            <p><a href="{Url}" style="display: inline-block; background: #0b5394; color: #ffffff; padding: 0.6rem 1rem; text-decoration: none; border-radius: 4px;">{E(open)}</a></p>
            {(until is null ? "" : $"<p>{E(until)}</p>")}
            </body>
            </html>
            """;
        var text = $"""
            {Name}

            {opening}

            {title}
            {(intro.Length == 0 ? "" : intro + "\n")}
            {mode}
            {(embedded is null ? "" : ScaleText(embedded, locale))}
            {open}: {Url}
            {until}
            """;
        return new MailTemplate(subject, html, text);
    }

    /// <summary>
    /// How the answers are kept, as the email and the page say it before anyone answers: with the version's own threshold k,
    /// as its results read it (<see cref="AnonymityThreshold.For(int)"/>: a k stored below the floor is stated as the floor).
    /// </summary>
    /// <remarks>An anonymous version with a free-text question also says that written answers are read word for word.</remarks>
    public static string ModeNote(SurveyContent content, Locale locale) =>
        content.Mode == SurveyMode.Anonymous && content.Questions.Any(q => q.Kind == QuestionKind.FreeText)
            ? KeptAs(content, locale) + (locale == Locale.Japanese ? "" : " ") + FreeTextNote(locale)
            : KeptAs(content, locale);

    /// <summary>
    /// What becomes of a written answer in an anonymous survey: insights viewers read it as written (ADR 0026), so the
    /// totals-only promise does not cover it. Said in the mode note, and again under each free-text box.
    /// </summary>
    public static string FreeTextNote(Locale locale) => locale == Locale.Japanese
        ? "記述式のご回答は、お名前を除いたうえで、書かれたとおりに社内で読まれます。ご自身が特定される内容は書かないでください。"
        : "Written answers are read as you wrote them, without your name: leave out anything that identifies you.";

    private static string KeptAs(SurveyContent content, Locale locale) => (content.Mode, locale == Locale.Japanese) switch
    {
        (SurveyMode.Anonymous, true) =>
            $"このアンケートは匿名です。ご回答はお名前やメールアドレスと結び付けずに保存され、{AnonymityThreshold.For(content.MinimumGroupSize).K}件以上集まった集団の集計としてのみ社内で共有されます。",
        (SurveyMode.Anonymous, false) =>
            $"This survey is anonymous: your answers are stored without your name or email address and are only shared as totals of groups of at least {AnonymityThreshold.For(content.MinimumGroupSize).K} people.",
        (_, true) => "このアンケートは記名式です。ご回答はお名前とともにアルムナイ担当が記録し、ご自身のデータのダウンロードにも含まれます。",
        _ => "This survey is not anonymous: the alumni team keeps your answers with your name, and they are part of your data when you download it.",
    };

    /// <summary>When the survey closes, as the company's clocks show it, the zone named as event mail names it.</summary>
    public static string Deadline(DateTimeOffset closesAt, CompanyCalendar calendar, Locale locale)
    {
        var local = calendar.ToLocal(closesAt);
        return locale == Locale.Japanese
            ? $"回答期限: {local.ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture)} ({calendar.ZoneName})"
            : $"Answers are taken until {local.ToString("d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture)} ({calendar.ZoneName}).";
    }

    /// <summary>The scale's ends, as both the email and the page label them.</summary>
    public static (string Low, string High) Ends(SurveyQuestion question, Locale locale) => (question.Kind, locale == Locale.Japanese) switch
    {
        (QuestionKind.Scale0To10, true) => ("0 = まったくそう思わない", "10 = 非常にそう思う"),
        (QuestionKind.Scale0To10, false) => ("0 = not at all likely", "10 = extremely likely"),
        (_, true) => ("1 = とても不満", "5 = とても満足"),
        _ => ("1 = very poor", "5 = excellent"),
    };

    private static string ScaleHtml(SurveyQuestion question, Locale locale)
    {
        var (low, high) = Ends(question, locale);
        var cells = string.Concat(question.Values.Select(v =>
            $"""<td style="padding: 2px;"><a href="{Url}&amp;score={v}" style="display: block; min-width: 1.8em; padding: 0.4rem 0; text-align: center; border: 1px solid #0b5394; color: #0b5394; text-decoration: none; border-radius: 3px;">{v}</a></td>"""));
        return $"""
            <p><strong>{E(Placeholders.Literal(question.Text.In(locale)))}</strong></p>
            <table role="presentation" style="border-collapse: collapse;"><tr>{cells}</tr></table>
            <p style="font-size: 0.9em; color: #444444;">{E(low)} / {E(high)}<br>{E(locale == Locale.Japanese ? "数字を押すとその回答が記録され、アンケートのページが開きます。" : "Choosing a number records it and opens the survey.")}</p>
            """;
    }

    private static string ScaleText(SurveyQuestion question, Locale locale)
    {
        var (low, high) = Ends(question, locale);
        return $"{Placeholders.Literal(question.Text.In(locale))} ({low}, {high})\n" +
            string.Concat(question.Values.Select(v => $"{v}: {Url}&score={v}\n"));
    }
}
