using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Campaigns;

public sealed class CampaignMailBuilderTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("attendUrl")]
    [InlineData("rsvp-link")]
    [InlineData("")]
    public void MailNamingAValueNoPlaceholderCanTake_FailsLoudlyInsteadOfSendingItUnfilled(string key)
    {
        var mail = new Mock<ICampaignMail>();
        mail.Setup(m => m.Template(It.IsAny<Locale>())).Returns(new MailTemplate("件名", $"<p>{{{{{key}}}}}</p>", $"{{{{{key}}}}}"));
        mail.Setup(m => m.Values(It.IsAny<Alumnus>())).Returns(new Dictionary<string, string> { [key] = "https://example.com/x" });
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), new FakeTimeProvider(Now)), Builders.Company());
        var builder = new CampaignMailBuilder(new PromotionalFooter(links, Builders.Company(), Builders.Outreach()));
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);

        var error = Assert.Throws<InvalidOperationException>(() => builder.Render(campaign, mail.Object, Builders.Alumnus(Now, AlumnusStatus.Joined), "newsletter-2027-01-b00001"));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedLanguageBatch_NoRecipientValueCanBringInAnotherRecipientsBodyTag()
    {
        var mail = new Mock<ICampaignMail>();
        mail.Setup(m => m.Template(It.IsAny<Locale>())).Returns(new MailTemplate("件名", "<p>{{name}}</p>", "{{name}}"));
        mail.Setup(m => m.Values(It.IsAny<Alumnus>())).Returns((Alumnus a) => new Dictionary<string, string> { ["name"] = a.GivenName });
        var links = new AlumniLinks(new LinkTokenService(Builders.Links(), new FakeTimeProvider(Now)), Builders.Company());
        var builder = new CampaignMailBuilder(new PromotionalFooter(links, Builders.Company(), Builders.Outreach()));
        var campaign = Campaign.Start(new CampaignRequest("newsletter-2027-01", CampaignKind.Newsletter, "2027-01", AudienceSegment.Everyone, "timer"), Now);
        var japanese = Builders.Alumnus(Now, AlumnusStatus.Joined, Locale.Japanese);
        var english = Builders.Alumnus(Now, AlumnusStatus.Joined, Locale.English);
        english.GivenName = "{{body}} {{{body|h}}";
        var batch = new CampaignBatch { CampaignId = campaign.Id, Number = 1, Recipients = [japanese.Id, english.Id] };

        var message = Assert.Single(builder.Build(campaign, batch, mail.Object, [japanese, english])).Message();

        Assert.All(message.Recipients.SelectMany(r => r.Substitutions.Values), value => Assert.DoesNotContain("{{", value, StringComparison.Ordinal));
    }
}
