using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Storage;

/// <summary>One row per suppressed address, keyed <c>email:&lt;sha256&gt;</c>: the list never holds an address.</summary>
public sealed class TableSuppressionList(AlumniTables tables) : ISuppressionList
{
    private const string Row = "all";

    public async Task<Suppression?> FindAsync(EmailAddress address, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Suppressions, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(Partition(address.Hash), Row, cancellationToken);
        return entity is null
            ? null
            : new Suppression(address.Hash, Enum.Parse<SuppressionReason>(entity.GetString("Reason")), entity.GetDateTimeOffset("At")!.Value);
    }

    public async Task AddAsync(Suppression suppression, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Suppressions, cancellationToken);
        await table.TryAddAsync(new TableEntity(Partition(suppression.EmailHash), Row)
        {
            ["Reason"] = suppression.Reason.ToString(),
            ["At"] = suppression.At,
        }, cancellationToken);
    }

    private static string Partition(string hash) => $"email:{hash}";
}
