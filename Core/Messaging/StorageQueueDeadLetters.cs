using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace AlumniNetwork.Core.Messaging;

/// <summary>
/// A dead letter as the local trigger host stores it on the <c>&lt;queue&gt;-deadletter</c> Storage queue: the original
/// body with what Service Bus would keep beside it (reason, description, delivery count).
/// </summary>
public sealed record StoredDeadLetter(string Body, string Reason, string? Description, int DeliveryCount, string MessageId, DateTimeOffset? EnqueuedAt)
{
    public const string QueueSuffix = "-deadletter";

    /// <summary>
    /// The time to live every local queue message is sent with, a dead letter and a re-driven copy too: never (Storage's
    /// <c>-1</c>). Azurite's default of 7 days would drop an unhandled message without a trace, where Service Bus keeps it
    /// for the queue's time to live (14 days) and then dead-letters it.
    /// </summary>
    public static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    /// <summary>Reads a stored dead letter; a message in any other shape is taken as a bare body.</summary>
    public static StoredDeadLetter Parse(QueueMessageText message)
    {
        try
        {
            if (JsonSerializer.Deserialize<StoredDeadLetter>(message.Text, JsonSerializerOptions.Web) is { Body: not null, Reason: not null } stored)
            {
                return stored;
            }
        }
        catch (JsonException)
        {
        }

        return new StoredDeadLetter(message.Text, "Unknown", null, 0, message.Id, message.InsertedOn);
    }
}

/// <summary>The text and identity of a Storage queue message, whether peeked or received.</summary>
public sealed record QueueMessageText(string Id, string Text, DateTimeOffset? InsertedOn);

/// <summary>
/// Dead letters of the local run: the local trigger host carries each Service Bus queue over an Azurite Storage queue and
/// dead-letters to <c>&lt;queue&gt;-deadletter</c>. A peek sees at most 32 messages (the Storage queue limit). A re-drive
/// takes at most as many as the count when it began, stops at a dead letter stored after it began, and moves a message
/// dead-lettered twice (the host stopped between its copy and its delete) once, removing both copies, when one re-drive
/// receives both; a copy past that re-drive's limit is moved by a later one (a second run of an idempotent handler, ADR 0002).
/// </summary>
public sealed class StorageQueueDeadLetters(QueueServiceClient service, TimeProvider time) : IDeadLetters
{
    public const int MaxPeek = 32;

    /// <summary>How long a dead letter being re-driven stays hidden; one left behind by a crash reappears after it.</summary>
    public static readonly TimeSpan RedriveLock = TimeSpan.FromSeconds(30);

    public async Task<long> CountAsync(string queue, CancellationToken cancellationToken)
    {
        var deadLetters = service.GetQueueClient(queue + StoredDeadLetter.QueueSuffix);
        return await deadLetters.ExistsAsync(cancellationToken) ? (await deadLetters.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount : 0;
    }

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int max, CancellationToken cancellationToken)
    {
        var deadLetters = service.GetQueueClient(queue + StoredDeadLetter.QueueSuffix);
        if (!await deadLetters.ExistsAsync(cancellationToken))
        {
            return [];
        }

        PeekedMessage[] peeked = (await deadLetters.PeekMessagesAsync(Math.Min(max, MaxPeek), cancellationToken)).Value;
        return peeked.Select(m => ToDeadLetter(StoredDeadLetter.Parse(new QueueMessageText(m.MessageId, m.MessageText, m.InsertedOn)))).ToArray();
    }

    public async Task RedriveAsync(string queue, int max, ICollection<string> moved, CancellationToken cancellationToken)
    {
        var deadLetters = service.GetQueueClient(queue + StoredDeadLetter.QueueSuffix);
        if (!await deadLetters.ExistsAsync(cancellationToken))
        {
            return;
        }

        // Only what was dead-lettered when the re-drive began: a copy that fails again is dead-lettered again, and taking
        // it would send the same poison message round until the limit (ADR 0017).
        var startedAt = time.GetUtcNow();
        var present = await CountAsync(queue, cancellationToken);
        var target = service.GetQueueClient(queue);
        await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var copies = new HashSet<string>(StringComparer.Ordinal);
        var redriven = new HashSet<string>(StringComparer.Ordinal);
        var (count, taken) = (0, 0L);
        while (count < max && taken < present)
        {
            QueueMessage[] batch = (await deadLetters.ReceiveMessagesAsync((int)Math.Min(Math.Min(max - count, present - taken), MaxPeek), RedriveLock, cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            var newer = false;
            foreach (var message in batch)
            {
                var stored = StoredDeadLetter.Parse(new QueueMessageText(message.MessageId, message.MessageText, message.InsertedOn));
                if (DeadLetteredSince(message.InsertedOn, startedAt) || copies.Contains(stored.MessageId))
                {
                    // A copy this re-drive sent, or a fresh failure: put back at once, not moved. A Storage queue is only
                    // roughly first in, first out, so the rest of the batch is still looked at, and the re-drive then stops.
                    await deadLetters.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
                    newer = true;
                    continue;
                }

                taken++;
                if (!redriven.Add(stored.MessageId))
                {
                    // A second dead letter of a message already moved: the local trigger host stopped between its copy and
                    // its delete, and the message came back and was dead-lettered again (ADR 0002). Removed, neither sent
                    // nor counted again, and not counted against the limit: one message failed, one is moved.
                    await deadLetters.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    continue;
                }

                var receipt = (await target.SendMessageAsync(stored.Body, visibilityTimeout: null, timeToLive: StoredDeadLetter.NeverExpires, cancellationToken)).Value;
                copies.Add(receipt.MessageId);
                // Counted once sent: the copy runs whether or not the dead letter is deleted after it (ADR 0014).
                moved.Add(DeadLetter.Preview(stored.Body));
                await deadLetters.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                count++;
            }

            if (newer)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Whether a dead letter was stored after <paramref name="startedAt"/>. A Storage queue gives insertion times in whole
    /// seconds, so only one from a later second surely is; one from the same second is caught by its message id instead,
    /// when it is a copy the re-drive sent (the local trigger host stores the id of the message that failed).
    /// </summary>
    private static bool DeadLetteredSince(DateTimeOffset? insertedOn, DateTimeOffset startedAt) =>
        insertedOn is { } inserted && inserted >= startedAt.AddTicks(-(startedAt.UtcTicks % TimeSpan.TicksPerSecond)).AddSeconds(1);

    private static DeadLetter ToDeadLetter(StoredDeadLetter stored) =>
        new(stored.MessageId, stored.EnqueuedAt, stored.DeliveryCount, stored.Reason, stored.Description, DeadLetter.Preview(stored.Body));
}
