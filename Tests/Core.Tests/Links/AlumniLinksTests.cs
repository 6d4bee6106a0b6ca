using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Links;

public sealed class AlumniLinksTests
{
    private static readonly Alumnus Someone = Builders.Alumnus(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

    private static AlumniLinks Links(string publicBaseUrl) => new(
        new LinkTokenService(Builders.Links(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero))),
        Options.Create(new CompanyOptions { Name = "Example", PublicBaseUrl = new Uri(publicBaseUrl) }));

    [Theory]
    [InlineData("https://alumni.example.co.jp")]
    [InlineData("https://alumni.example.co.jp/")]
    public void HostOnlyBase_GivesTheRouteAtTheRoot(string publicBaseUrl) =>
        Assert.Equal("https://alumni.example.co.jp/api/alumni/join", Links(publicBaseUrl).Absolute(LinkPurpose.Join, Someone).GetLeftPart(UriPartial.Path));

    [Fact]
    public void AbsoluteLink_IsTheRelativeOneUnderTheHost_SameTokenAndQuery()
    {
        var links = Links("https://example.co.jp");

        var absolute = links.Absolute(LinkPurpose.Unsubscribe, Someone, extraQuery: "category=Newsletter");

        Assert.Equal("https://example.co.jp" + links.Relative(LinkPurpose.Unsubscribe, Someone, extraQuery: "category=Newsletter"), absolute.AbsoluteUri);
    }
}
