using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Links;

public sealed class LinkTokenServiceTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly Alumnus alumnus = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IssuedToken_IsValidForItsAlumnus()
    {
        var service = new LinkTokenService(Builders.Links(), time);

        var check = service.Check(service.Issue(LinkPurpose.Join, alumnus), LinkPurpose.Join);

        Assert.Equal(LinkTokenStatus.Valid, check.Status);
        Assert.Equal(alumnus.Id, check.AlumnusId);
    }

    [Fact]
    public void AfterLifetime_TokenIsExpiredButStillNamesTheAlumnus()
    {
        var service = new LinkTokenService(Builders.Links(), time);
        var token = service.Issue(LinkPurpose.Join, alumnus);

        time.Advance(TimeSpan.FromDays(30));

        var check = service.Check(token, LinkPurpose.Join);
        Assert.Equal((LinkTokenStatus.Expired, (AlumnusId?)alumnus.Id), (check.Status, check.AlumnusId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void AnyTamperedPart_IsInvalid(int part)
    {
        var service = new LinkTokenService(Builders.Links(), time);
        var parts = service.Issue(LinkPurpose.Join, alumnus).Split('.');
        parts[part] = parts[part][..^2] + (parts[part][^2] == 'A' ? "B" : "A") + parts[part][^1];

        Assert.Equal(LinkTokenStatus.Invalid, service.Check(string.Join('.', parts), LinkPurpose.Join).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("k1.!!!.???")]
    [InlineData("unknown.e30.e30")]
    public void Garbage_IsInvalidNotThrown(string? token) =>
        Assert.Equal(LinkTokenStatus.Invalid, new LinkTokenService(Builders.Links(), time).Check(token, LinkPurpose.Join).Status);

    [Fact]
    public void SignedSubject_NamesTheAlumnusOfAGenuineTokenOfAnyPurposeEvenExpired()
    {
        var service = new LinkTokenService(Builders.Links(), time);
        var token = service.Issue(LinkPurpose.Unsubscribe, alumnus);
        time.Advance(TimeSpan.FromDays(1000));

        Assert.Equal(alumnus.Id, service.SignedSubject(token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("k1.forged.link")]
    public void SignedSubject_IsNullForAnythingButAGenuineToken(string? token) =>
        Assert.Null(new LinkTokenService(Builders.Links(), time).SignedSubject(token));

    [Fact]
    public void SignedSubject_IsNullForATamperedToken()
    {
        var service = new LinkTokenService(Builders.Links(), time);
        var token = service.Issue(LinkPurpose.Join, alumnus);

        Assert.Null(service.SignedSubject(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]));
    }

    [Fact]
    public void RotatedActiveKey_KeepsOlderLinksWorking()
    {
        var old = new LinkTokenService(Builders.Links("k1"), time).Issue(LinkPurpose.Join, alumnus);

        var rotated = new LinkTokenService(Builders.Links("k2"), time);

        Assert.Equal(LinkTokenStatus.Valid, rotated.Check(old, LinkPurpose.Join).Status);
        Assert.StartsWith("k2.", rotated.Issue(LinkPurpose.Join, alumnus), StringComparison.Ordinal);
    }

    [Fact]
    public void ScopedToken_CarriesItsScope()
    {
        var service = new LinkTokenService(Builders.Links(), time);

        var check = service.Check(service.Issue(LinkPurpose.Rsvp, alumnus, scope: "event:e1"), LinkPurpose.Rsvp);

        Assert.Equal((LinkTokenStatus.Valid, (AlumnusId?)alumnus.Id, "event:e1"), (check.Status, check.AlumnusId, check.Scope));
    }

    [Fact]
    public void ExplicitExpiry_OverridesThePurposeLifetime()
    {
        var service = new LinkTokenService(Builders.Links(), time);
        var token = service.Issue(LinkPurpose.Rsvp, alumnus, "event:e1", expiresAt: time.GetUtcNow().AddHours(1));

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(LinkTokenStatus.Expired, service.Check(token, LinkPurpose.Rsvp).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a|b")]
    [InlineData("event/1")]
    [InlineData("イベント")]
    public void UnsafeScope_IsRefusedWhenIssuing(string scope) =>
        Assert.Throws<ArgumentException>(() => new LinkTokenService(Builders.Links(), time).Issue(LinkPurpose.Rsvp, alumnus, scope));
}
