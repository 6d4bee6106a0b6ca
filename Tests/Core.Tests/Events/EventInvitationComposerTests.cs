using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
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
            Assert.Contains("{{attendUrl}}", part, StringComparison.Ordinal);
            Assert.Contains("{{declineUrl}}", part, StringComparison.Ordinal);
            Assert.DoesNotContain("meet.example.com", part, StringComparison.Ordinal);
        }

        Assert.Contains("本社ホール &lt;20F&gt;", template.Html.Replace("Head office", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_AreSignedRsvpLinksBoundToThisEventUntilItEnds()
    {
        var alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, Locale.English);

        var values = (await Composer().LoadAsync(e.Id, CancellationToken.None))!.Values(alumnus);

        Assert.Equal("Dear 花子 山田,", values["name"]);
        var attend = new Uri(values["attendUrl"]);
        Assert.StartsWith("https://alumni.example.com/api/alumni/rsvp?token=", attend.AbsoluteUri, StringComparison.Ordinal);
        Assert.EndsWith("&choice=attend", attend.AbsoluteUri, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(attend.Query.Split('&')[0]["?token=".Length..]);
        var check = Tokens.Check(token, LinkPurpose.Rsvp);
        Assert.Equal((LinkTokenStatus.Valid, alumnus.Id, e.LinkScope), (check.Status, check.AlumnusId, check.Scope));
        time.SetUtcNow(e.Details.EndsAt);
        Assert.Equal(LinkTokenStatus.Expired, Tokens.Check(token, LinkPurpose.Rsvp).Status);
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
}
