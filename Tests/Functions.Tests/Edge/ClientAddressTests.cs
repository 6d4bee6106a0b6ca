using System.Net;
using AlumniNetwork.Functions.Hosting.Edge;

namespace AlumniNetwork.Functions.Tests.Edge;

/// <summary>
/// Which entry of the forwarding header names the client: proxies append, so whatever the client sent comes first and
/// must never pick the partition.
/// </summary>
public sealed class ClientAddressTests
{
    private const string Header = "X-Forwarded-For";

    [Theory]
    [InlineData("203.0.113.9", 1, "203.0.113.9")]
    [InlineData("203.0.113.9:51234", 1, "203.0.113.9")]
    [InlineData("[2001:db8::7]:443", 1, "2001:db8::7")]
    // A forged prefix: the last entry is the one the (single) proxy appended.
    [InlineData("198.51.100.1, 203.0.113.9", 1, "203.0.113.9")]
    // Two proxies of ours: the client is the second entry from the end, and a forged prefix still does not count.
    [InlineData("203.0.113.9, 10.0.0.4", 2, "203.0.113.9")]
    [InlineData("198.51.100.1, 203.0.113.9, 10.0.0.4", 2, "203.0.113.9")]
    [InlineData("198.51.100.1,203.0.113.9:7000,10.0.0.4:8080", 2, "203.0.113.9")]
    // Fewer entries than hops: every one came from our proxies (a client can only add entries), so the first is taken.
    [InlineData("203.0.113.9", 2, "203.0.113.9")]
    public void TheEntryHopsFromTheEnd_IsTheClient(string forwardedFor, int hopsFromEnd, string expected) =>
        Assert.Equal(expected, RequestRateLimits.ClientAddress(Request(forwardedFor), Header, hopsFromEnd));

    [Fact]
    public void SeveralHeaderLines_AreOneList_InTheOrderTheyCame()
    {
        var context = Request("198.51.100.1");
        context.Request.Headers.Append(Header, "203.0.113.9");

        Assert.Equal("203.0.113.9", RequestRateLimits.ClientAddress(context, Header, 1));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    // A forged entry where ours should be, with an empty one appended: not taken for the client.
    [InlineData("198.51.100.1, ")]
    public void NoAddressWhereTheClientShouldBe_FallsBackToTheConnection(string forwardedFor) =>
        Assert.Equal("192.0.2.1", RequestRateLimits.ClientAddress(Request(forwardedFor), Header, 1));

    [Fact]
    public void NoHeader_IsTheConnectionsAddress()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.1");

        Assert.Equal("192.0.2.1", RequestRateLimits.ClientAddress(context, Header, 1));
    }

    private static DefaultHttpContext Request(string forwardedFor)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.1");
        context.Request.Headers[Header] = forwardedFor;
        return context;
    }
}
