using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventInvitationComposerTests
{
    private readonly Mock<IEventStore> events = new();
    private readonly FakeTimeProvider time = new(EventBuilders.Now);
    private readonly NetworkEvent e = EventBuilders.Event();
    private readonly List<Rsvp> rsvps = [];

    public EventInvitationComposerTests()
    {
        events.Setup(s => s.GetAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(e);
        events.Setup(s => s.RsvpsAsync(e.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => rsvps);
    }

    private LinkTokenService Tokens => new(Builders.Links(), time);

    private EventInvitationComposer Composer() => new(events.Object, new AlumniLinks(Tokens, Builders.Company()), Builders.Company(), time);

    [Theory]
    [InlineData(Locale.Japanese, "【ご招待】アルムナイ講演会")]
    [InlineData(Locale.English, "Invitation: Alumni lecture")]
    public async Task Template_HasThePlaceholdersAndNoOnlineLink(Locale locale, string subject)
    {
        var template = (await Composer().LoadAsync(e.Id, CancellationToken.None))!.Template(locale);

        Assert.Equal(subject, template.Subject);
        foreach (var part in new[] { template.Html, template.Text })
        {
            Assert.Contains("{{name}}", part, StringComparison.Ordinal);
            Assert.Contains("{{attend_url}}", part, StringComparison.Ordinal);
            Assert.Contains("{{decline_url}}", part, StringComparison.Ordinal);
            Assert.DoesNotContain("meet.example.com", part, StringComparison.Ordinal);
        }

        Assert.Contains("本社ホール &lt;20F&gt;", template.Html.Replace("Head office", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_AreSignedRsvpLinksBoundToThisEventUntilAYearAfterItEnds()
    {
        var alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, Locale.English);

        var values = (await Composer().LoadAsync(e.Id, CancellationToken.None))!.Values(alumnus);

        Assert.Equal("Dear 花子 山田,", values["name"]);
        var attend = new Uri(values["attend_url"]);
        Assert.StartsWith("https://alumni.example.com/api/alumni/rsvp?token=", attend.AbsoluteUri, StringComparison.Ordinal);
        Assert.EndsWith("&choice=attend", attend.AbsoluteUri, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(attend.Query.Split('&')[0]["?token=".Length..]);
        var check = Tokens.Check(token, LinkPurpose.Rsvp);
        Assert.Equal((LinkTokenStatus.Valid, alumnus.Id, e.LinkScope), (check.Status, check.AlumnusId, check.Scope));
        time.SetUtcNow(e.Details.EndsAt + EventWork.RsvpLinkLife);
        Assert.Equal(LinkTokenStatus.Expired, Tokens.Check(token, LinkPurpose.Rsvp).Status);
    }

    [Theory]
    [InlineData(Locale.Japanese)]
    [InlineData(Locale.English)]
    public async Task InvitationAsSent_CarriesThePersonsOwnAnswerLinks_AndNoPlaceholderIsLeft(Locale locale)
    {
        var alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, locale);
        var campaign = Campaign.Start(new CampaignRequest($"event-{e.Id}", CampaignKind.EventInvitation, e.Id, e.Details.Audience, "admin-1"), EventBuilders.Now);
        var mail = (await Composer().LoadAsync(e.Id, CancellationToken.None))!;
        var builder = new CampaignMailBuilder(new PromotionalFooter(new AlumniLinks(Tokens, Builders.Company()), Builders.Company(), Builders.Outreach()));

        // One recipient rendered whole (previews, mixed-language batches), and a batch of one language as SendGrid gets it.
        var rendered = builder.Render(campaign, mail, alumnus, $"event-{e.Id}-b00001");
        var batch = new CampaignBatch { CampaignId = campaign.Id, Number = 1, Recipients = [alumnus.Id] };
        var request = Assert.Single(builder.Build(campaign, batch, mail, [alumnus])).Message();
        var substituted = request.Recipients.Single().Substitutions.Aggregate((Html: request.Html, Text: request.Text),
            (parts, s) => (parts.Html.Replace(s.Key, s.Value, StringComparison.Ordinal), parts.Text.Replace(s.Key, s.Value, StringComparison.Ordinal)));

        var values = mail.Values(alumnus);
        foreach (var (html, text) in new[] { (rendered.Html, rendered.Text), substituted })
        {
            Assert.DoesNotContain("{{", html + text, StringComparison.Ordinal);
            Assert.Contains(values[EventMail.AttendUrlKey], text, StringComparison.Ordinal);
            Assert.Contains(values[EventMail.DeclineUrlKey], text, StringComparison.Ordinal);
            Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(values[EventMail.AttendUrlKey])}\"", html, StringComparison.Ordinal);
            Assert.Contains($"href=\"{System.Net.WebUtility.HtmlEncode(values[EventMail.DeclineUrlKey])}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PeopleWhoAnswered_AreLeftOut()
    {
        var answered = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined);
        var other = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined);
        rsvps.Add(e.Decline(null, answered.Id, null, EventBuilders.Now).Changed.Single());

        var mail = (await Composer().LoadAsync(e.Id, CancellationToken.None))!;

        Assert.False(mail.Includes(answered, null));
        Assert.True(mail.Includes(other, null));
    }

    [Theory]
    [InlineData(EventStatus.Draft)]
    [InlineData(EventStatus.Cancelled)]
    public async Task UnpublishedOrCancelledEvent_LoadsNothing(EventStatus status)
    {
        var other = EventBuilders.Event(status: status);
        events.Setup(s => s.GetAsync(other.Id, It.IsAny<CancellationToken>())).ReturnsAsync(other);

        Assert.Null(await Composer().LoadAsync(other.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AfterTheDeadline_LoadsNothing()
    {
        time.SetUtcNow(e.Details.RegistrationDeadline);

        Assert.Null(await Composer().LoadAsync(e.Id, CancellationToken.None));
        Assert.Null(await Composer().LoadAsync("not-an-id", CancellationToken.None));
    }

    [Fact]
    public void TextAnAdminTyped_NeverBecomesAPlaceholderOfTheInvitation()
    {
        var typed = "{{name}} {{{attend_url}} {{decline_url}}";
        var typedEvent = EventBuilders.Event();
        typedEvent.Details = EventBuilders.Details(venue: typed) with
        {
            Title = new(typed, typed),
            Description = new(typed, typed),
            Hosts = [new EventHost(typed, HostRole.Employee, typed)],
        };

        foreach (var locale in new[] { Locale.Japanese, Locale.English })
        {
            var template = EventMail.Invitation(typedEvent, locale, typed);

            Assert.Empty(Placeholders.KeysIn(template.Subject));
            Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(template.Text, @"\{\{"));
            Assert.Equal(["attend_url", "decline_url", "name"], Placeholders.KeysIn(template.Text).Order());
            Assert.Equal(["attend_url", "decline_url", "name"], Placeholders.KeysIn(template.Html).Order());
        }
    }
}
