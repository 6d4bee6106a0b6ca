using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

public sealed record DeadLetterQueueView(string Queue, long Count, IReadOnlyList<DeadLetter> Messages);

public sealed record DeadLetterListing(IReadOnlyList<DeadLetterQueueView> Queues);

public sealed record RedriveResult(string Queue, int Redriven, long Remaining);

/// <summary>Reads the queue name an operator gave: only queues the app consumes may be named.</summary>
internal static class QueueNameValue
{
    public static string? Read(string? value, MessageQueueNames queues, List<FieldError> errors)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (!queues.Names.Contains(name, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("queue", $"must be one of {string.Join(", ", queues.Names)}"));
            return null;
        }

        return name;
    }
}

/// <summary>Admin: how many messages each queue dead-lettered, with the oldest of them. Audited, with the alumni the shown bodies name.</summary>
public sealed class ListDeadLetters(IDeadLetters deadLetters, MessageQueueNames queues, IAuditLog audit, TimeProvider time)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public async Task<AdminOutcome<DeadLetterListing>> HandleAsync(string? queue, string? limit, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var only = QueueNameValue.Read(queue, queues, errors);
        var max = QueryValues.Int(limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        if (errors.Count > 0)
        {
            return new AdminOutcome<DeadLetterListing>.Invalid(errors);
        }

        var views = new List<DeadLetterQueueView>();
        foreach (var name in only is null ? queues.Names : [only])
        {
            views.Add(new DeadLetterQueueView(name, await deadLetters.CountAsync(name, cancellationToken), await deadLetters.PeekAsync(name, max, cancellationToken)));
        }

        var shown = views.SelectMany(v => v.Messages).ToArray();
        var entry = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeadLettersRead, only ?? "", $"messages={shown.Length}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, SubjectsOf(shown.Select(m => m.Body)), cancellationToken);
        return new AdminOutcome<DeadLetterListing>.Done(new DeadLetterListing(views));
    }

    /// <summary>
    /// The alumni dead-letter bodies name, read as work messages are and through the same rule as failed work; a body that
    /// is no work message names nobody.
    /// </summary>
    internal static AlumnusId[] SubjectsOf(IEnumerable<string> bodies) =>
        ListFailedWork.SubjectsOf(bodies.Select(MessageBody.WorkOf).OfType<(string, string)>());
}

/// <summary>
/// Admin: moves dead letters of one queue back onto it, oldest first, at most <c>limit</c> per call. An audit entry is
/// written first, so no re-drive happens unrecorded, and a second after the move with how many moved, recorded against
/// the alumni the moved bodies name (also when the move stops part-way, for what it moved). A message that can never
/// succeed dead-letters again.
/// </summary>
public sealed partial class RedriveDeadLetters(IDeadLetters deadLetters, MessageQueueNames queues, IAuditLog audit, TimeProvider time, ILogger<RedriveDeadLetters> logger)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task<AdminOutcome<RedriveResult>> HandleAsync(string queue, string? limit, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        // The queue is the path: one the app does not consume names nothing there (404), not a bad field.
        if (!queues.Names.Contains(queue, StringComparer.Ordinal))
        {
            return new AdminOutcome<RedriveResult>.NotFound();
        }

        var name = QueueNameValue.Read(queue, queues, errors);
        var max = QueryValues.Int(limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        if (name is null || errors.Count > 0)
        {
            return new AdminOutcome<RedriveResult>.Invalid(errors.Count > 0 ? errors : [new FieldError("queue", "is required")]);
        }

        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeadLettersRedriven, name, $"limit={max}"), cancellationToken);
        var moved = new List<string>();
        var failed = true;
        try
        {
            await deadLetters.RedriveAsync(name, max, moved, cancellationToken);
            failed = false;
        }
        finally
        {
            // Which messages and how many, once known: the entry before only says a re-drive was asked for. Written
            // also when the move stops part-way (an error, the request cancelled), for the messages already moved, and
            // whatever the request's token says: a move left unrecorded against the people it concerns would under-report.
            var done = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.DeadLettersRedriveCompleted, name, $"limit={max}; moved={moved.Count}{(failed ? "; failed" : "")}");
            await audit.WriteAsync(done, CancellationToken.None);
            await audit.RecordSubjectsAsync(done, ListDeadLetters.SubjectsOf(moved), CancellationToken.None);
        }

        LogRedriven(name, moved.Count);
        return new AdminOutcome<RedriveResult>.Done(new RedriveResult(name, moved.Count, await deadLetters.CountAsync(name, cancellationToken)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin re-drove {Count} dead letters of queue {Queue}")]
    private partial void LogRedriven(string queue, int count);
}
