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
    public async Task<IReadOnlyList<WorkMessage>> HandleAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var messages = new List<WorkMessage>();
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

            if (item.DispatchCount >= settings.MaxDispatches)
            {
                item.MarkFailed();
                if (await store.TryUpdateAsync(item, cancellationToken))
                {
                    LogWorkItemFailed(item.Kind, item.SubjectId, item.DispatchCount);
                }

                continue;
            }

            item.Lease(now, settings.LeaseDuration);
            if (await store.TryUpdateAsync(item, cancellationToken))
            {
                messages.Add(item.ToMessage());
            }
        }

        if (messages.Count > 0)
        {
            LogDispatched(messages.Count);
        }

        return messages;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dispatched {Count} due work items")]
    private partial void LogDispatched(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {Kind} for {SubjectId} failed after {Dispatches} dispatches; it will not be dispatched again")]
    private partial void LogWorkItemFailed(string kind, string subjectId, int dispatches);
}
