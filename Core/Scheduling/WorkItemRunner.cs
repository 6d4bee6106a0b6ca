using System.Net.Sockets;
using Azure;
using AlumniNetwork.Core.Email;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Scheduling;

/// <summary>What a handler's run of a work item came to.</summary>
public abstract record WorkStep
{
    private WorkStep() { }

    /// <summary>Done (or nothing left to do): the item is completed.</summary>
    public sealed record Done : WorkStep;

    /// <summary>Must wait (an outcome awaited, not due yet): the item is held until then. Not a failure.</summary>
    public sealed record Later(DateTimeOffset Until, string Reason) : WorkStep;
}

/// <summary>How a run ended, for the function's log line.</summary>
public enum WorkRunOutcome
{
    Completed,
    Deferred,
    RetryScheduled,
    Failed,
}

/// <summary>
/// Runs a handler for one dispatched work item and records how it ended in the item itself, so the message can always be
/// acknowledged (ADR 0016): done completes it; a wait holds it; a failure that may pass (storage or provider unavailable,
/// throttled, timing out; another sender busy) is retried with exponential backoff for as long as it lasts; a provider
/// refusal that waiting cannot cure marks it failed at once; an unexpected error, or a storage conflict (409, 412) that
/// passes in a retry or never, is retried with backoff and marks it failed once the item has failed
/// <see cref="DispatchOptions.MaxAttempts"/> times. Failed items wait for an operator (RetryFailedWork).
/// </summary>
public sealed partial class WorkItemRunner(IWorkItemStore store, IOptions<DispatchOptions> options, TimeProvider time, ILogger<WorkItemRunner> logger)
{
    private const int MaxConflicts = 5;

    public async Task<WorkRunOutcome> RunAsync(WorkMessage message, Func<CancellationToken, Task<WorkStep>> handler, CancellationToken cancellationToken)
    {
        WorkStep step;
        try
        {
            step = await handler(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return await RecordFailureAsync(message, e, cancellationToken);
        }

        if (step is WorkStep.Later later)
        {
            await ChangeAsync(message, item => item.Defer(later.Until), cancellationToken);
            var subject = LoggedSubject(message);
            LogDeferred(message.Kind, subject, message.DueAt, later.Reason, later.Until);
            return WorkRunOutcome.Deferred;
        }

        await store.CompleteAsync(message.PartitionKey, message.RowKey, cancellationToken);
        return WorkRunOutcome.Completed;
    }

    /// <summary>Whether waiting may cure the failure: outages, throttling, timeouts and conflicts, never a refusal or a defect.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        EmailNotAcceptedException refused => refused.IsTransient,
        RequestFailedException storage => storage.Status is 0 or 408 or 409 or 412 or 429 or >= 500,
        HttpRequestException or TimeoutException or IOException or SocketException or OperationCanceledException => true,
        AggregateException many => many.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>
    /// A storage conflict (409 Conflict, 412 Precondition Failed): another writer got there first, which a retry resolves,
    /// or a state the handler keeps colliding with, which no wait resolves. Retried, but counted toward
    /// <see cref="DispatchOptions.MaxAttempts"/> so the second kind reaches an operator.
    /// </summary>
    public static bool IsConflict(Exception e) => e is RequestFailedException { Status: 409 or 412 };

    private async Task<WorkRunOutcome> RecordFailureAsync(WorkMessage message, Exception e, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var error = e is EmailNotAcceptedException { Status: { } status } ? $"provider-refused:{(int)status}" : e.GetType().Name;
        var outcome = WorkRunOutcome.RetryScheduled;
        var attempts = 0;
        await ChangeAsync(message, item =>
        {
            var now = time.GetUtcNow();
            var counted = !IsTransient(e) || IsConflict(e);
            var fatal = e is EmailNotAcceptedException { IsTransient: false } || (counted && item.Attempts + 1 >= settings.MaxAttempts);
            if (fatal)
            {
                item.MarkFailed(error, now);
                outcome = WorkRunOutcome.Failed;
            }
            else
            {
                item.RecordFailure(error, RetryAt(e, item.Attempts + 1, now));
                outcome = WorkRunOutcome.RetryScheduled;
            }

            attempts = item.Attempts;
        }, cancellationToken);

        if (outcome == WorkRunOutcome.Failed)
        {
            LogFailed(message.Kind, LoggedSubject(message), message.DueAt, error, e);
        }
        else
        {
            LogRetryScheduled(message.Kind, LoggedSubject(message), message.DueAt, error, attempts, e);
        }

        return outcome;
    }

    /// <summary>The backoff, or later when the provider said how long to wait (its <c>Retry-After</c>), up to the longest backoff.</summary>
    private DateTimeOffset RetryAt(Exception e, int attempt, DateTimeOffset now)
    {
        var backoff = now + options.Value.RetryDelay(attempt);
        return AskedWaitEnd(e, now) is { } at && at > backoff ? at : backoff;
    }

    /// <summary>
    /// When the wait the provider asked for with its refusal (<c>Retry-After</c>, or <c>X-RateLimit-Reset</c>) ends, up to
    /// the longest backoff (<see cref="DispatchOptions.RetryMaxDelay"/>) as the item's retry is; null when it asked none.
    /// </summary>
    public DateTimeOffset? AskedWaitEnd(Exception e, DateTimeOffset now)
    {
        var asked = e is EmailNotAcceptedException { RetryAfter: { } retryAfter } ? SendGridEmailSender.RetryAt(retryAfter, now) : null;
        var latest = now + options.Value.RetryMaxDelay;
        return asked is { } at && at > latest ? latest : asked;
    }

    /// <summary>Applies a change to the stored item with its ETag, reading again on a conflict; nothing when it was completed.</summary>
    private async Task ChangeAsync(WorkMessage message, Action<WorkItem> change, CancellationToken cancellationToken)
    {
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            if (await store.FindAsync(message.PartitionKey, message.RowKey, cancellationToken) is not { } item)
            {
                return;
            }

            change(item);
            if (await store.TryUpdateAsync(item, cancellationToken))
            {
                return;
            }
        }

        throw new RequestFailedException(412, "The work item kept changing while its run was recorded.");
    }

    /// <summary>
    /// The subject as the logs may show it: an event's, campaign's or batch's id in full; in place of a subject that names
    /// an alumnus (their id, with a request's or opening's; a conflict check; an erasure's take-back), only "an alumnus",
    /// since next to the kind and the reason it would say what they did or that they are flagged. The kind and the due
    /// time still find the item in the failed-work list.
    /// </summary>
    internal static string LoggedSubject(WorkMessage message) => message.Kind switch
    {
        WorkKinds.CampaignPlan or WorkKinds.CampaignBatch or WorkKinds.EventPublished or WorkKinds.EventReminder or WorkKinds.ConflictRegister => message.SubjectId,
        WorkKinds.EventNotices => message.SubjectId.Split('-')[0] + (message.SubjectId.Contains('-', StringComparison.Ordinal) ? " (an alumnus)" : ""),
        _ => "an alumnus",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Work item {Kind} for {Subject} due {DueAt:O} waits ({Reason}) until {Until:O}")]
    private partial void LogDeferred(string kind, string subject, DateTimeOffset dueAt, string reason, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item {Kind} for {Subject} due {DueAt:O} failed ({Error}), attempt {Attempts}; retrying with backoff")]
    private partial void LogRetryScheduled(string kind, string subject, DateTimeOffset dueAt, string error, int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {Kind} for {Subject} due {DueAt:O} failed ({Error}) and waits for an operator to retry it")]
    private partial void LogFailed(string kind, string subject, DateTimeOffset dueAt, string error, Exception exception);
}
