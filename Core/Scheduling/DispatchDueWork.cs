using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Scheduling;

/// <summary>Leases due work items and returns them as messages for their consumers.</summary>
public sealed partial class DispatchDueWork(
    IWorkItemStore store,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<DispatchDueWork> logger)
{
    /// <summary>Dispatches in a row that no handler reported on, after which each further one is logged as an error.</summary>
    public const int UnhandledWarning = 3;

    public async Task<IReadOnlyList<WorkMessage>> HandleAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var messages = new List<WorkMessage>();
        var unknown = new List<string>();
        await foreach (var item in store.QueryPendingAsync(now, cancellationToken))
        {
            if (messages.Count >= settings.BatchSize)
            {
                break;
            }

            if (!item.IsDispatchable(now))
            {
                continue;
            }

            if (!WorkKinds.All.Contains(item.Kind, StringComparer.Ordinal))
            {
                // A later version's work, left by a rollback: no queue here carries it. Left unleased, it waits for that version.
                unknown.Add(item.Kind);
                continue;
            }

            if (item.UnhandledDispatches >= UnhandledWarning)
            {
                // Never failed for this: the cause (a Service Bus outage, a message that keeps dead-lettering) may pass.
                LogUnhandled(item.Kind, WorkItemRunner.LoggedSubject(item.ToMessage()), item.UnhandledDispatches);
            }

            item.Lease(now, settings.LeaseDuration, settings.RetryMaxDelay);
            if (await store.TryUpdateAsync(item, cancellationToken))
            {
                messages.Add(item.ToMessage());
            }
        }

        if (messages.Count > 0)
        {
            LogDispatched(messages.Count);
        }

        if (unknown.Count > 0)
        {
            LogUnknownKinds(unknown.Count, string.Join(", ", unknown.Distinct(StringComparer.Ordinal)));
        }

        return messages;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatched {Count} due work items")]
    private partial void LogDispatched(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Left {Count} due work items pending: this version knows no queue for their kinds ({Kinds}); the version that wrote them dispatches them")]
    private partial void LogUnknownKinds(int count, string kinds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {Kind} for {Subject} was dispatched {Dispatches} times without a handler reporting; dispatching again later. Check the queue's dead letters")]
    private partial void LogUnhandled(string kind, string subject, int dispatches);
}
