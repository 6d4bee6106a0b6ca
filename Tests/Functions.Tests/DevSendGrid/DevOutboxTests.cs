using System.Text.Json;
using AlumniNetwork.Functions.DevSendGrid;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.DevSendGrid;

/// <summary>The sink's statistics, which the fan-out benchmark checks a campaign against.</summary>
public sealed class DevOutboxTests
{
    private static readonly DateTimeOffset At = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private static JsonElement Mail(params string[] to) => JsonSerializer.SerializeToElement(new
    {
        personalizations = to.Select(address => new { to = new[] { new { email = address } } }),
        from = new { email = "from@example.com" },
    });

    [Fact]
    public void Stats_CountDistinctRecipientsAndDuplicates_SoAMissingMailPlusADuplicateIsNotComplete()
    {
        var outbox = new DevOutbox(Options.Create(new DevOutboxOptions { OutboxCapacity = 0 }));

        outbox.Accept("m1", Mail("a@example.net", "b@example.net"), At);
        outbox.Accept("m2", Mail("B@example.net"), At.AddSeconds(1));

        Assert.Equal(new OutboxStats(2, 3, 2, 1, At, At.AddSeconds(1)), outbox.Stats);
        outbox.Clear();
        Assert.Equal(new OutboxStats(0, 0, 0, 0, null, null), outbox.Stats);
    }

    [Fact]
    public void Stats_KeepTheEarliestAndLatestAcceptance_WhenRequestsFinishOutOfOrder()
    {
        var outbox = new DevOutbox(Options.Create(new DevOutboxOptions()));

        outbox.Accept("m1", Mail("a@example.net"), At.AddSeconds(5));
        outbox.Accept("m2", Mail("b@example.net"), At);
        outbox.Accept("m3", Mail("c@example.net"), At.AddSeconds(2));

        Assert.Equal((At, At.AddSeconds(5)), (outbox.Stats.FirstAcceptedAt, outbox.Stats.LastAcceptedAt));
    }
}
