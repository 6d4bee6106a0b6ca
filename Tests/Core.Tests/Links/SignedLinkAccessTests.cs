using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Links;

public sealed class SignedLinkAccessTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Alumnus alumnus = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly LinkTokenService tokens;

    public SignedLinkAccessTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
    }

    [Fact]
    public async Task LinkForTheExpectedScope_GivesAccessAndItsScope()
    {
        var access = await new SignedLinkAccess(tokens, alumni.Object)
            .ResolveAsync(tokens.Issue(LinkPurpose.Rsvp, alumnus.Id, "event-1"), LinkPurpose.Rsvp, CancellationToken.None, scope: "event-1");

        Assert.Equal(LinkAccessStatus.Valid, access.Status);
        Assert.Equal("event-1", access.Scope);
    }

    [Theory]
    [InlineData("event-2")]
    [InlineData(null)]
    public async Task LinkForAnotherScopeOrNone_IsInvalid(string? issuedScope)
    {
        var access = await new SignedLinkAccess(tokens, alumni.Object)
            .ResolveAsync(tokens.Issue(LinkPurpose.Rsvp, alumnus.Id, issuedScope), LinkPurpose.Rsvp, CancellationToken.None, scope: "event-1");

        Assert.Equal(LinkAccessStatus.Invalid, access.Status);
        Assert.Null(access.Alumnus);
    }

    [Theory]
    [InlineData(LinkPurpose.Openings)]
    [InlineData(LinkPurpose.CollaborationCard)]
    [InlineData(LinkPurpose.Rsvp)]
    [InlineData(LinkPurpose.Survey)]
    [InlineData(LinkPurpose.Profile)]
    [InlineData(LinkPurpose.Export)]
    public async Task AnyPage_OfSomeoneWhoseErasureBegan_IsGone_AndGivesNobodyToWriteFor(LinkPurpose purpose)
    {
        alumnus.ErasureStartedAt = time.GetUtcNow();

        var access = await new SignedLinkAccess(tokens, alumni.Object).ResolveAsync(tokens.Issue(purpose, alumnus.Id), purpose, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Gone, access.Status);
        Assert.Equal((null, null, alumnus.Id), (access.Alumnus, access.Erasing, access.GoneAlumnusId));
    }

    [Fact]
    public async Task EraseLink_OfSomeoneWhoseErasureBegan_IsGone_WithTheRowToFinishIt_EvenPastItsTime()
    {
        alumnus.ErasureStartedAt = time.GetUtcNow();
        var links = new SignedLinkAccess(tokens, alumni.Object);
        var token = tokens.Issue(LinkPurpose.Erase, alumnus.Id);

        var access = await links.ResolveAsync(token, LinkPurpose.Erase, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, alumnus), (access.Status, access.Erasing));

        time.Advance(TimeSpan.FromDays(8));
        var expired = await links.ResolveAsync(token, LinkPurpose.Erase, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, alumnus), (expired.Status, expired.Erasing));

        var profile = await links.ResolveAsync(tokens.Issue(LinkPurpose.Profile, alumnus.Id), LinkPurpose.Profile, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, null), (profile.Status, profile.Erasing));
    }
}
