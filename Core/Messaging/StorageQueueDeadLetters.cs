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
/// dead-letters to <c>&lt;queue&gt;-deadletter</c>. A peek sees at most 32 messages (the Storage queue limit).
/// </summary>
public sealed class StorageQueueDeadLetters(QueueServiceClient service) : IDeadLetters
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

        var target = service.GetQueueClient(queue);
        await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var count = 0;
        while (count < max)
        {
            QueueMessage[] batch = (await deadLetters.ReceiveMessagesAsync(Math.Min(max - count, MaxPeek), RedriveLock, cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var body = StoredDeadLetter.Parse(new QueueMessageText(message.MessageId, message.MessageText, message.InsertedOn)).Body;
                await target.SendMessageAsync(body, cancellationToken);
                // Counted once sent: the copy runs whether or not the dead letter is deleted after it (ADR 0014).
                moved.Add(DeadLetter.Preview(body));
                await deadLetters.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                count++;
            }
        }
    }

    private static DeadLetter ToDeadLetter(StoredDeadLetter stored) =>
        new(stored.MessageId, stored.EnqueuedAt, stored.DeliveryCount, stored.Reason, stored.Description, DeadLetter.Preview(stored.Body));
}
