using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace AlumniNetwork.Core.Messaging;

/// <summary>
/// Dead letters in Azure Service Bus: the queue's <c>$deadletterqueue</c> sub-queue, read with peek, re-driven by
/// receiving in peek-lock, sending a copy to the queue and completing the dead letter. The count comes from the queue's
/// runtime properties. A re-drive moves at most as many as the count when it began and stops at the first dead letter
/// enqueued after it began. Needs a role that may receive, send and read the queue (Azure Service Bus Data Owner).
/// </summary>
public sealed class ServiceBusDeadLetters(ServiceBusClient client, ServiceBusAdministrationClient administration, TimeProvider time) : IDeadLetters
{
    /// <summary>How long one receive waits for dead letters before the re-drive takes the sub-queue as empty.</summary>
    public static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most dead letters one receive locks: each is sent and completed in turn, and the lock lasts a minute
    /// (infra/modules/servicebus.bicep), so a receive of 1,000 could lose its locks before the last completes.
    /// </summary>
    public const int ReceiveChunk = 50;

    private static readonly string[] DeadLetterProperties = ["DeadLetterReason", "DeadLetterErrorDescription"];

    public async Task<long> CountAsync(string queue, CancellationToken cancellationToken) =>
        (await administration.GetQueueRuntimePropertiesAsync(queue, cancellationToken)).Value.DeadLetterMessageCount;

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int max, CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var messages = await receiver.PeekMessagesAsync(max, cancellationToken: cancellationToken);
        return messages.Select(m => new DeadLetter(m.MessageId, m.EnqueuedTime, m.DeliveryCount, m.DeadLetterReason, m.DeadLetterErrorDescription,
            DeadLetter.Preview(m.Body.ToString()))).ToArray();
    }

    public async Task RedriveAsync(string queue, int max, ICollection<string> moved, CancellationToken cancellationToken)
    {
        // Only what was dead-lettered when the re-drive began: a copy that fails again is dead-lettered again within
        // seconds, and taking it would send the same poison message round until the limit (ADR 0017).
        var startedAt = time.GetUtcNow();
        var limit = (int)Math.Min(max, await CountAsync(queue, cancellationToken));
        if (limit <= 0)
        {
            return;
        }

        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });
        await using var sender = client.CreateSender(queue);
        var count = 0;
        while (count < limit)
        {
            var batch = await receiver.ReceiveMessagesAsync(Math.Min(limit - count, ReceiveChunk), ReceiveWait, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            for (var index = 0; index < batch.Count; index++)
            {
                var message = batch[index];
                if (message.EnqueuedTime >= startedAt)
                {
                    // Sent after the re-drive began, so a copy it sent (the copy is a new message) or a fresh failure:
                    // the sub-queue is first in, first out, so the rest of the batch is newer still. Released, not moved.
                    foreach (var newer in batch.Skip(index))
                    {
                        await receiver.AbandonMessageAsync(newer, cancellationToken: cancellationToken);
                    }

                    return;
                }

                // A fresh message with the same body and properties; the dead-letter reason stays behind.
                var copy = new ServiceBusMessage(message);
                foreach (var property in DeadLetterProperties)
                {
                    copy.ApplicationProperties.Remove(property);
                }

                await sender.SendMessageAsync(copy, cancellationToken);
                // Counted once sent: the copy runs whether or not the dead letter is completed after it (ADR 0014).
                moved.Add(DeadLetter.Preview(message.Body.ToString()));
                await receiver.CompleteMessageAsync(message, cancellationToken);
                count++;
            }
        }
    }
}
