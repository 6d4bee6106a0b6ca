using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;

namespace AlumniNetwork.Core.Storage;

/// <summary>One row per suppressed address, keyed <c>email:&lt;pseudonym&gt;</c>: the list never holds an address.</summary>
public sealed class TableSuppressionList(AlumniTables tables, Pseudonyms pseudonyms) : ISuppressionList
{
    private const string Row = "all";

    public async Task<Suppression?> FindAsync(EmailAddress address, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Suppressions, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(Partition(address), Row, cancellationToken);
        return entity is null
            ? null
            : new Suppression(address, Enum.Parse<SuppressionReason>(entity.GetString("Reason")), entity.GetDateTimeOffset("At")!.Value);
    }

    public async Task AddAsync(Suppression suppression, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Suppressions, cancellationToken);
        await table.TryAddAsync(new TableEntity(Partition(suppression.Address), Row)
        {
            ["Reason"] = suppression.Reason.ToString(),
            ["At"] = suppression.At,
        }, cancellationToken);
    }

    private string Partition(EmailAddress address) => $"email:{pseudonyms.Of("email", address.Normalized)}";
}
