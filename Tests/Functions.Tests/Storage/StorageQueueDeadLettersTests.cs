using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The local dead-letter adapter's re-drive on Azurite against a poison message: every copy it sends fails again at once
/// and is dead-lettered again, as the local trigger host would after its delivery attempts (ADR 0017); and against a
/// message dead-lettered twice, as a host stopped between its dead-letter copy and its delete leaves it (ADR 0002).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueDeadLettersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Queue = "redrive-poison";
    private QueueClient queue = null!;
    private QueueClient deadLetters = null!;

    public async Task InitializeAsync()
    {
        var service = new QueueServiceClient(azurite.ConnectionString);
        (queue, deadLetters) = (service.GetQueueClient(Queue), service.GetQueueClient(Queue + StoredDeadLetter.QueueSuffix));
        foreach (var each in new[] { queue, deadLetters })
        {
            await each.CreateIfNotExistsAsync();
            await each.ClearMessagesAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The adapter, with every message it sends to the queue dead-lettered again before the send returns.</summary>
    private StorageQueueDeadLetters PoisonedAdapter()
    {
        var options = new QueueClientOptions();
        options.AddPolicy(new DeadLetterEverySend(queue, deadLetters), HttpPipelinePosition.PerCall);
        return new StorageQueueDeadLetters(new QueueServiceClient(azurite.ConnectionString, options), TimeProvider.System);
    }

    /// <summary>Re-drives with the poisoned adapter, or with one whose copies stay on the queue.</summary>
    private async Task<List<string>> RedriveAsync(int max, bool poisoned = true)
    {
        var moved = new List<string>();
        var adapter = poisoned ? PoisonedAdapter() : new StorageQueueDeadLetters(new QueueServiceClient(azurite.ConnectionString), TimeProvider.System);
        await adapter.RedriveAsync(Queue, max, moved, CancellationToken.None);
        return moved;
    }

    [Fact]
    public async Task Redrive_OfPoisonMessages_MovesEachOriginalExactlyOnce()
    {
        await deadLetters.DeadLetterAsync("""{"n":1}""");
        await deadLetters.DeadLetterAsync("""{"n":2}""");

        var moved = await RedriveAsync(100);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], moved.Order().ToArray());
        // Both dead-lettered again, once each, and waiting for the next re-drive.
        var left = (await deadLetters.PeekMessagesAsync(32)).Value.Select(m => StoredDeadLetter.Parse(new QueueMessageText(m.MessageId, m.MessageText, m.InsertedOn)).Body);
        Assert.Equal(["""{"n":1}""", """{"n":2}"""], left.Order().ToArray());
    }

    [Fact]
    public async Task Redrive_StopsAtADeadLetterItsOwnCopyLeft_AndPutsItBackAtOnce()
    {
        await deadLetters.DeadLetterAsync("""{"n":1}""");
        await deadLetters.DeadLetterAsync("""{"n":2}""");
        // Counted when the re-drive begins but out of its reach (another re-drive holds it), so the count allows one more.
        await deadLetters.SendMessageAsync(new StoredDeadLetter("""{"n":3}""", "MaxDeliveryCountExceeded", null, 10, "held", null).ToJson(), visibilityTimeout: TimeSpan.FromMinutes(5));

        var moved = await RedriveAsync(100);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], moved.Order().ToArray());
        // The copies dead-lettered again are visible at once (none left hidden for the lock's 30 seconds), plus the held one.
        Assert.Equal(2, (await deadLetters.PeekMessagesAsync(32)).Value.Length);
        Assert.Equal(3, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Redrive_OfTwoDeadLettersOfOneMessage_SendsItOnce_CountsOne_AndRemovesBoth()
    {
        // The local trigger host stopped between its dead-letter copy and its delete: the message came back and was
        // dead-lettered again under the same MessageId.
        await deadLetters.DeadLetterAsync("""{"n":1}""", messageId: "twice");
        await deadLetters.DeadLetterAsync("""{"n":1}""", deliveries: 11, messageId: "twice");

        var moved = await RedriveAsync(100, poisoned: false);

        Assert.Equal(["""{"n":1}"""], moved);
        Assert.Equal(["""{"n":1}"""], (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText));
        Assert.Equal(0, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount); // hidden ones too
    }

    [Fact]
    public async Task Redrive_SecondDeadLetterOfAMovedMessage_DoesNotUseUpTheLimit()
    {
        await deadLetters.DeadLetterAsync("""{"n":1}""", messageId: "twice");
        await deadLetters.DeadLetterAsync("""{"n":1}""", deliveries: 11, messageId: "twice");
        await deadLetters.DeadLetterAsync("""{"n":2}""");

        var moved = await RedriveAsync(2, poisoned: false);

        Assert.Equal(["""{"n":1}""", """{"n":2}"""], moved);
        Assert.Equal(2, (await queue.PeekMessagesAsync(32)).Value.Length);
        Assert.Equal(0, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    /// <summary>
    /// After each message put on the queue, takes everything on the queue and dead-letters it the way the local trigger
    /// host does (the failed message's id and insertion time beside the body): a consumer that always fails.
    /// </summary>
    private sealed class DeadLetterEverySend(QueueClient queue, QueueClient deadLetters) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("the adapter is asynchronous");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method != RequestMethod.Post || !message.Request.Uri.Path.EndsWith($"/{Queue}/messages", StringComparison.Ordinal))
            {
                return;
            }

            foreach (var failed in (await queue.ReceiveMessagesAsync(32)).Value)
            {
                var stored = new StoredDeadLetter(failed.MessageText, "MaxDeliveryCountExceeded", "gave up", 10, failed.MessageId, failed.InsertedOn);
                await deadLetters.SendMessageAsync(stored.ToJson());
                await queue.DeleteMessageAsync(failed.MessageId, failed.PopReceipt);
            }
        }
    }
}
