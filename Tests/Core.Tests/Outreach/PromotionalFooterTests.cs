using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class PromotionalFooterTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero));

    private static EmailMessage Apply(Locale locale)
    {
        var alumnus = Builders.Alumnus(Time.GetUtcNow(), AlumnusStatus.Joined, locale);
        var footer = new PromotionalFooter(new AlumniLinks(new LinkTokenService(Builders.Links(), Time), Builders.Company()), Builders.Company(), Builders.Outreach());
        var message = new EmailMessage(alumnus.PersonalEmail, "x", "News", "<html><body><p>News</p></body></html>", "News", [], new Dictionary<string, string>());
        return footer.Apply(message, alumnus, ConsentPurpose.Newsletter);
    }

    [Theory]
    [InlineData(Locale.Japanese, "送信者", "配信停止")]
    [InlineData(Locale.English, "Sender", "Unsubscribe")]
    public void PromotionalEmail_CarriesSenderAddressRefusalLinkAndContact(Locale locale, string senderLabel, string refusalLabel)
    {
        var mail = Apply(locale);

        foreach (var body in new[] { mail.Html, mail.Text })
        {
            Assert.Contains(senderLabel, body, StringComparison.Ordinal);
            Assert.Contains(refusalLabel, body, StringComparison.Ordinal);
            Assert.Contains("alumni-office@example.com", body, StringComparison.Ordinal);
            Assert.Contains("https://alumni.example.com/api/alumni/unsubscribe?token=", body, StringComparison.Ordinal);
        }

        Assert.Contains("1-1-1 Marunouchi &lt;Tokyo&gt;", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Example &lt;Holdings&gt; &amp; Co", mail.Html, StringComparison.Ordinal);
        Assert.EndsWith("</body></html>", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void PromotionalEmail_HasOneClickListUnsubscribeHeaders()
    {
        var mail = Apply(Locale.English);

        Assert.Matches("^<https://alumni.example.com/api/alumni/unsubscribe\\?token=[^>]+&category=Newsletter>$", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
    }
}
