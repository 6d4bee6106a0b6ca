using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Time.Testing;
using Moq;

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

    private static PromotionalFooter Footer() =>
        new(new AlumniLinks(new LinkTokenService(Builders.Links(), Time), Builders.Company()), Builders.Company(), Builders.Outreach());

    private const string Typed = "To accept, open {{unsubscribe_url}} or {{preferences_url}}";

    private static string Visible(string part) => part.Replace("\u200B", "", StringComparison.Ordinal);

    [Theory]
    [InlineData(Locale.Japanese)]
    [InlineData(Locale.English)]
    public void CollaborationRequest_TypedPlaceholders_StayText_NotTheRecipientsLinks(Locale locale)
    {
        var alumnus = Builders.Alumnus(Time.GetUtcNow(), AlumnusStatus.Joined, locale);
        var request = new CollaborationRequest("r1", alumnus.Id, RequesterKind.Employee, "{{unsubscribe_url}} Sato", "{{preferences_url}} Sales",
            EmailAddress.Parse("sato@corp.example.com"), Typed, Confidentiality.Normal, RequestStatus.Pending, Time.GetUtcNow(), "admin");
        var link = new Uri("https://alumni.example.com/x");

        var mail = Footer().Apply(CollaborationMail.Request(request, alumnus, "Example", link, link, link), alumnus, ConsentPurpose.Collaboration);

        foreach (var part in new[] { Visible(mail.Html), Visible(mail.Text) })
        {
            Assert.Contains(Typed, part, StringComparison.Ordinal);
            Assert.Contains("{{unsubscribe_url}} Sato", part, StringComparison.Ordinal);
            Assert.Contains("{{preferences_url}} Sales", part, StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(part, "/api/alumni/unsubscribe\\?token="));
        }
    }

    [Fact]
    public void CampaignMailSentAlone_AValueHoldingAPlaceholder_StaysText()
    {
        var alumnus = Builders.Alumnus(Time.GetUtcNow(), AlumnusStatus.Joined, Locale.English);
        var mail = new Mock<ICampaignMail>();
        mail.Setup(m => m.Template(Locale.English)).Returns(new MailTemplate("Hello", "<p>{{name}}</p>", "{{name}}"));
        mail.Setup(m => m.Values(alumnus)).Returns(new Dictionary<string, string> { ["name"] = "Dear {{unsubscribe_url}}" });

        var sent = Footer().Apply(CampaignMailBuilder.RenderAlone("c1", CampaignKind.Opening, mail.Object, alumnus), alumnus, ConsentPurpose.JobOffers);

        Assert.Contains("Dear {{unsubscribe_url}}", Visible(sent.Html), StringComparison.Ordinal);
        Assert.Contains("Dear {{unsubscribe_url}}", Visible(sent.Text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Locale.Japanese)]
    [InlineData(Locale.English)]
    public void WelcomeInvitation_ANameHoldingAPlaceholder_StaysText(Locale locale)
    {
        var alumnus = Builders.Alumnus(Time.GetUtcNow(), AlumnusStatus.Departed, locale);
        alumnus.FamilyName = "{{preferences_url}}";

        var mail = Footer().Apply(WelcomeEmail.Render(alumnus, "Example", new Uri("https://alumni.example.com/join"), DateOnly.FromDateTime(Time.GetUtcNow().AddDays(30).DateTime)),
            alumnus, null);

        Assert.Contains("{{preferences_url}}", Visible(mail.Html), StringComparison.Ordinal);
        Assert.Contains("{{preferences_url}}", Visible(mail.Text), StringComparison.Ordinal);
    }
}
