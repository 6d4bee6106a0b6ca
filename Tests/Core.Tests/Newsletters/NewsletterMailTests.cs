using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Newsletters;

namespace AlumniNetwork.Core.Tests.Newsletters;

public sealed class NewsletterMailTests
{
    private static readonly NewsletterIssue Issue = new("2027-01", DateTimeOffset.UnixEpoch,
    [
        new(NewsletterSectionKind.Events, "event-1", "新年交流会", "New Year meetup", "1月20日 東京", "20 January, Tokyo", new Uri("https://alumni.example.com/e?a=1&b=2")),
        new(NewsletterSectionKind.News, "news-1", "<script>alert(1)</script>", "Say {{name}}", "一行目\n二行目", "Body", null),
    ]);

    private readonly Alumnus japanese = Builders.Alumnus(DateTimeOffset.UnixEpoch);
    private readonly Alumnus english = Builders.Alumnus(DateTimeOffset.UnixEpoch, locale: Locale.English);

    private static (string Subject, string Html, string Text) Render(Alumnus recipient)
    {
        var mail = new NewsletterMail(Issue, "Example & Co");
        var template = mail.Template(recipient.Locale);
        var values = mail.Values(recipient);
        return (Placeholders.Fill(template.Subject, values, false), Placeholders.Fill(template.Html, values, true), Placeholders.Fill(template.Text, values, false));
    }

    [Fact]
    public void Japanese_GreetsByFamilyNameWithSamaAndOrdersSections()
    {
        var (subject, html, text) = Render(japanese);

        Assert.Equal("Example & Co アルムナイ通信 2027年1月号", subject);
        Assert.Contains("山田 花子 様", text, StringComparison.Ordinal);
        Assert.True(html.IndexOf("お知らせ", StringComparison.Ordinal) < html.IndexOf("今後のイベント", StringComparison.Ordinal));
        Assert.Contains("一行目<br>二行目", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://alumni.example.com/e?a=1&amp;b=2\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void English_GreetsByGivenNameFirst()
    {
        var (subject, _, text) = Render(english);

        Assert.Equal("Example & Co alumni newsletter, January 2027", subject);
        Assert.Contains("Dear 花子 山田,", text, StringComparison.Ordinal);
        Assert.Contains("Upcoming events", text, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredText_IsEscapedAndNeverFilledAsAPlaceholder()
    {
        var (_, html, _) = Render(japanese);
        var (_, _, englishText) = Render(english);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Say 花子", englishText, StringComparison.Ordinal);
    }
}
