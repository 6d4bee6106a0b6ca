namespace AlumniNetwork.Core.Messaging;

/// <summary>A message a queue gave up on, as an operator sees it. Bodies hold ids only (our messages never carry personal data).</summary>
/// <param name="Reason">Why it was dead-lettered, e.g. <c>MaxDeliveryCountExceeded</c>.</param>
/// <param name="Body">The message body, cut to at most <see cref="DeadLetter.MaxBodyLength"/> characters on a character boundary (<see cref="Validation.FreeText.Cut"/>).</param>
public sealed record DeadLetter(string MessageId, DateTimeOffset? EnqueuedAt, int DeliveryCount, string? Reason, string? Description, string Body)
{
    public const int MaxBodyLength = 2048;

    public static string Preview(string body) => Validation.FreeText.Cut(body, MaxBodyLength);
}

/// <summary>
/// The dead letters of our queues: Service Bus's <c>$deadletterqueue</c> sub-queue in Azure, the <c>&lt;queue&gt;-deadletter</c>
/// Storage queue of the local trigger host otherwise (ADR 0017). Only messages that could never be handled end there:
/// handlers record passing failures in the work item and acknowledge the message.
/// </summary>
public interface IDeadLetters
{
    /// <summary>How many messages of <paramref name="queue"/> are dead-lettered.</summary>
    Task<long> CountAsync(string queue, CancellationToken cancellationToken);

    /// <summary>The oldest dead letters, without taking them.</summary>
    Task<IReadOnlyList<DeadLetter>> PeekAsync(string queue, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Moves up to <paramref name="max"/> dead letters back onto the queue, oldest first, and only those there when the
    /// re-drive began: at most the count then, stopping at one dead-lettered since (a copy that failed again waits for the
    /// next re-drive). Each is sent before it is removed: a crash in between leaves a copy in both places, harmless because
    /// every consumer is idempotent.
    /// </summary>
    /// <param name="moved">
    /// Gets the body of each message as soon as it has moved, in the order moved, cut as <see cref="DeadLetter.Preview"/>
    /// cuts a listed one: the re-drive's audit reads whom they name, also when the move stops part-way with an exception.
    /// Bodies hold ids only, and are still never logged.
    /// </param>
    Task RedriveAsync(string queue, int max, ICollection<string> moved, CancellationToken cancellationToken);
}

/// <summary>The queues the app consumes (the Service Bus triggers' queue names): the only ones an operator may inspect.</summary>
public sealed record MessageQueueNames(IReadOnlyList<string> Names);
