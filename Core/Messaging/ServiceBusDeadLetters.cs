using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace AlumniNetwork.Core.Messaging;

/// <summary>
/// Dead letters in Azure Service Bus: the queue's <c>$deadletterqueue</c> sub-queue, read with peek, re-driven by
/// receiving in peek-lock, sending a copy to the queue and completing the dead letter. The count comes from the queue's
/// runtime properties. Needs a role that may receive, send and read the queue (Azure Service Bus Data Owner).
/// </summary>
public sealed class ServiceBusDeadLetters(ServiceBusClient client, ServiceBusAdministrationClient administration) : IDeadLetters
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
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });
        await using var sender = client.CreateSender(queue);
        var count = 0;
        while (count < max)
        {
            var batch = await receiver.ReceiveMessagesAsync(Math.Min(max - count, ReceiveChunk), ReceiveWait, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
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
