using Azure.Data.Tables;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// One row beside the webhook receipts (its partition no receipt hash can take) holding the current stretch of accepted
/// posts. Each instance writes it at most every <see cref="SilenceRule.NoteEvery"/>, with the row's ETag, so a burst of
/// posts costs one read and one write a minute, and two instances never move the stretch backwards.
/// </summary>
public sealed class TableEventWebhookHeartbeat(AlumniTables tables, IOptions<SendingOptions> options, TimeProvider time) : IEventWebhookHeartbeat
{
    private const string Partition = "sendgrid:heartbeat";
    private const string Row = "accepted";
    private const int MaxConflicts = 3;

    /// <summary>When this instance last knew the row to be noted through (UTC ticks); posts before the next note are not written.</summary>
    private long notedThrough;

    public async Task NoteAcceptedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rule = options.Value.Silence;
        if (now.UtcTicks < Volatile.Read(ref notedThrough) + rule.NoteEvery.Ticks)
        {
            return;
        }

        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        for (var conflict = 0; conflict < MaxConflicts; conflict++)
        {
            var row = await table.FindAsync<TableEntity>(Partition, Row, cancellationToken);
            var run = row is null ? null : Read(row);
            if (run is not null && now < run.Through + rule.NoteEvery)
            {
                Volatile.Write(ref notedThrough, run.Through.UtcTicks);
                return;
            }

            var since = run is not null && now - run.Through <= rule.Gap ? run.Since : now;
            var next = new TableEntity(Partition, Row) { ["Since"] = since, ["Through"] = now };
            var written = row is null ? await table.TryAddAsync(next, cancellationToken) : await table.TryReplaceReadAsync(next, row.ETag.ToString(), cancellationToken) is not null;
            if (written)
            {
                Volatile.Write(ref notedThrough, now.UtcTicks);
                return;
            }
        }

        // Other instances kept noting posts meanwhile: the stretch is being kept without this one.
    }

    public async Task<WebhookRun?> CurrentRunAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.WebhookReceipts, cancellationToken);
        return await table.FindAsync<TableEntity>(Partition, Row, cancellationToken) is { } row ? Read(row) : null;
    }

    private static WebhookRun Read(TableEntity row) => new(row.GetDateTimeOffset("Since")!.Value, row.GetDateTimeOffset("Through")!.Value);
}
