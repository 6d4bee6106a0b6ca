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
            .ResolveAsync(tokens.Issue(LinkPurpose.Rsvp, alumnus, "event-1"), LinkPurpose.Rsvp, CancellationToken.None, scope: "event-1");

        Assert.Equal(LinkAccessStatus.Valid, access.Status);
        Assert.Equal("event-1", access.Scope);
    }

    [Theory]
    [InlineData("event-2")]
    [InlineData(null)]
    public async Task LinkForAnotherScopeOrNone_IsInvalid(string? issuedScope)
    {
        var access = await new SignedLinkAccess(tokens, alumni.Object)
            .ResolveAsync(tokens.Issue(LinkPurpose.Rsvp, alumnus, issuedScope), LinkPurpose.Rsvp, CancellationToken.None, scope: "event-1");

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

        var access = await new SignedLinkAccess(tokens, alumni.Object).ResolveAsync(tokens.Issue(purpose, alumnus), purpose, CancellationToken.None);

        Assert.Equal(LinkAccessStatus.Gone, access.Status);
        Assert.Equal((null, null, alumnus.Id), (access.Alumnus, access.Erasing, access.GoneAlumnusId));
    }

    [Fact]
    public async Task EraseLink_OfSomeoneWhoseErasureBegan_IsGone_WithTheRowToFinishIt_EvenPastItsTime()
    {
        alumnus.ErasureStartedAt = time.GetUtcNow();
        var links = new SignedLinkAccess(tokens, alumni.Object);
        var token = tokens.Issue(LinkPurpose.Erase, alumnus);

        var access = await links.ResolveAsync(token, LinkPurpose.Erase, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, alumnus), (access.Status, access.Erasing));

        time.Advance(TimeSpan.FromDays(8));
        var expired = await links.ResolveAsync(token, LinkPurpose.Erase, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, alumnus), (expired.Status, expired.Erasing));

        var profile = await links.ResolveAsync(tokens.Issue(LinkPurpose.Profile, alumnus), LinkPurpose.Profile, CancellationToken.None);
        Assert.Equal((LinkAccessStatus.Gone, null), (profile.Status, profile.Erasing));
    }

    public static TheoryData<LinkPurpose> EveryPurpose
    {
        get
        {
            var data = new TheoryData<LinkPurpose>();
            foreach (var purpose in Enum.GetValues<LinkPurpose>())
            {
                data.Add(purpose);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryPurpose))]
    public async Task LinkMailedToAnAddressSinceCorrected_IsInvalid_AndOneForTheNewAddressWorks(LinkPurpose purpose)
    {
        // HR's typo got the welcome; whoever reads that mailbox is not the person.
        var old = tokens.Issue(purpose, alumnus, "scope-1");
        alumnus.PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net");
        var links = new SignedLinkAccess(tokens, alumni.Object);

        var stale = await links.ResolveAsync(old, purpose, CancellationToken.None, scope: "scope-1");
        var current = await links.ResolveAsync(tokens.Issue(purpose, alumnus, "scope-1"), purpose, CancellationToken.None, scope: "scope-1");

        Assert.Equal((LinkAccessStatus.Invalid, null, false), (stale.Status, stale.Alumnus, stale.WrongScope));
        Assert.Equal((LinkAccessStatus.Valid, alumnus), (current.Status, current.Alumnus));
    }

    [Fact]
    public async Task AddressDifferingOnlyInCase_KeepsTheLinkWorking()
    {
        var token = tokens.Issue(LinkPurpose.Join, alumnus);
        alumnus.PersonalEmail = EmailAddress.Parse(alumnus.PersonalEmail.Value.ToUpperInvariant());

        Assert.Equal(LinkAccessStatus.Valid, (await new SignedLinkAccess(tokens, alumni.Object).ResolveAsync(token, LinkPurpose.Join, CancellationToken.None)).Status);
    }

    [Fact]
    public void Token_CarriesNoAddress()
    {
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(tokens.Issue(LinkPurpose.Join, alumnus).Split('.')[1]));

        Assert.DoesNotContain("hanako", payload, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, payload.Split('|').Length);
    }
}
