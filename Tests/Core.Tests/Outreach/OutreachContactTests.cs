using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class OutreachContactTests
{
    [Fact]
    public void Contacts_RoundTripThroughTheirStoredForm()
    {
        OutreachContact[] contacts =
        [
            new("newsletter-2027-01", 12, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000)),
            new("event-1-invitation", 0, DateTimeOffset.FromUnixTimeSeconds(1_790_000_000)),
        ];

        Assert.Equal(contacts, OutreachContact.Parse(OutreachContact.Format(contacts)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b@c;.1@2;x.1@")]
    public void DamagedEntries_AreSkippedNotThrown(string? stored) => Assert.Empty(OutreachContact.Parse(stored));
}
