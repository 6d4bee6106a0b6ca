using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

/// <summary>A work item that failed for a reason waiting would not cure; ids and reasons only.</summary>
public sealed record FailedWorkItem(string Kind, string SubjectId, DateTimeOffset DueAt, DateTimeOffset? FailedAt, string? Reason, int Attempts, int Dispatches);

public sealed record FailedWorkListing(int Total, IReadOnlyList<FailedWorkItem> Items);

public sealed record RetriedWork(int Retried, int Remaining);

/// <summary>Reads the optional work-kind filter.</summary>
internal static class WorkKindValue
{
    public static string? Read(string? value, List<FieldError> errors)
    {
        var kind = value?.Trim();
        if (string.IsNullOrEmpty(kind))
        {
            return null;
        }

        if (!WorkKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("kind", $"must be one of {string.Join(", ", WorkKinds.All)}"));
            return null;
        }

        return kind;
    }
}

/// <summary>Admin: work items marked failed, oldest due first, with why. Audited.</summary>
public sealed class ListFailedWork(IWorkItemStore work, IAuditLog audit, TimeProvider time)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task<AdminOutcome<FailedWorkListing>> HandleAsync(string? kind, string? limit, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var only = WorkKindValue.Read(kind, errors);
        var max = QueryValues.Int(limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        if (errors.Count > 0)
        {
            return new AdminOutcome<FailedWorkListing>.Invalid(errors);
        }

        var items = new List<FailedWorkItem>();
        var total = 0;
        await foreach (var item in work.QueryFailedAsync(cancellationToken))
        {
            if (only is not null && item.Kind != only)
            {
                continue;
            }

            if (total++ < max)
            {
                items.Add(new FailedWorkItem(item.Kind, item.SubjectId, item.DueAt, item.FailedAt, item.LastError, item.Attempts, item.DispatchCount));
            }
        }

        var entry = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.FailedWorkRead, only ?? "", $"results={items.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, SubjectsOf(items.Select(i => (i.Kind, i.SubjectId))), cancellationToken);
        return new AdminOutcome<FailedWorkListing>.Done(new FailedWorkListing(total, items));
    }

    /// <summary>
    /// The alumni the work items' subjects name, each once, for their audit trail; not for work whose kind alone would
    /// reveal a conflict-of-interest check, which their export withholds (<see cref="Collaboration.CollaborationData.IsWithheldKind"/>).
    /// </summary>
    internal static AlumnusId[] SubjectsOf(IEnumerable<(string Kind, string SubjectId)> items) =>
        [.. items.Where(i => !Collaboration.CollaborationData.IsWithheldKind(i.Kind)).SelectMany(i => WorkSubjects.AlumniOf(i.SubjectId)).Distinct()];
}

/// <summary>
/// Admin: puts failed work items back to pending (optionally of one kind), at most <c>limit</c> per call; the dispatcher
/// sends them on its next run with a fresh count of attempts. Audited first, and after, with the items retried, even
/// when the loop stops part-way. Safe to repeat: handlers are idempotent.
/// </summary>
public sealed partial class RetryFailedWork(IWorkItemStore work, IAuditLog audit, TimeProvider time, ILogger<RetryFailedWork> logger)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public async Task<AdminOutcome<RetriedWork>> HandleAsync(string? kind, string? limit, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var only = WorkKindValue.Read(kind, errors);
        var max = QueryValues.Int(limit, "limit", 1, MaxLimit, DefaultLimit, errors);
        if (errors.Count > 0)
        {
            return new AdminOutcome<RetriedWork>.Invalid(errors);
        }

        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.FailedWorkRetried, only ?? "", $"limit={max}"), cancellationToken);
        var (retried, remaining) = (0, 0);
        var subjects = new List<(string, string)>();
        var failed = true;
        try
        {
            await foreach (var item in work.QueryFailedAsync(cancellationToken))
            {
                if (only is not null && item.Kind != only)
                {
                    continue;
                }

                if (retried >= max)
                {
                    remaining++;
                    continue;
                }

                item.Retry();
                // A conflict means someone else changed it meanwhile (another retry): it is no longer ours to count.
                if (await work.TryUpdateAsync(item, cancellationToken))
                {
                    retried++;
                    subjects.Add((item.Kind, item.SubjectId));
                }
            }

            failed = false;
        }
        finally
        {
            // Which items and how many, once known: the entry before only says a retry was asked for. Written also when
            // the loop stops part-way (an error, the request cancelled), for the items already retried, whatever the
            // request's token says; how many remain is then unknown.
            var done = new AuditEntry(time.GetUtcNow(), actor, AdminAuditActions.FailedWorkRetryCompleted, only ?? "",
                failed ? $"limit={max}; retried={retried}; failed" : $"limit={max}; retried={retried}; remaining={remaining}");
            await audit.WriteAsync(done, CancellationToken.None);
            await audit.RecordSubjectsAsync(done, ListFailedWork.SubjectsOf(subjects), CancellationToken.None);
        }

        LogRetried(retried, only ?? "any");
        return new AdminOutcome<RetriedWork>.Done(new RetriedWork(retried, remaining));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin retried {Count} failed work items of kind {Kind}")]
    private partial void LogRetried(int count, string kind);
}
