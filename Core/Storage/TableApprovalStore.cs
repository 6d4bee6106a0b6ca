using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Compliance approvals: one partition per alumnus (their erasure removes it), one row per subject. The queue of pending
/// ones is a filtered scan: approvals exist only for flagged alumni, a handful, so an index would cost more than it saves.
/// </summary>
public sealed class TableApprovalStore(AlumniTables tables) : IApprovalStore
{
    public async Task<Approval?> GetAsync(AlumnusId alumnusId, string subject, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ComplianceApprovals, cancellationToken);
        return await table.FindAsync<TableEntity>(alumnusId.Value, subject, cancellationToken) is { } entity ? ToApproval(entity) : null;
    }

    public Task<IReadOnlyList<Approval>> ListAsync(ApprovalStatus status, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"), cancellationToken);

    public Task<IReadOnlyList<Approval>> ForAlumnusAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {alumnusId.Value}"), cancellationToken);

    public async Task AddAsync(Approval approval, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ComplianceApprovals, cancellationToken);
        await table.TryAddAsync(ToEntity(approval), cancellationToken);
    }

    public async Task<bool> TryUpdateAsync(Approval approval, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ComplianceApprovals, cancellationToken);
        var entity = ToEntity(approval);
        entity.ETag = new ETag(approval.ETag!);
        return await table.TryReplaceAsync(entity, cancellationToken);
    }

    public async Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ComplianceApprovals, cancellationToken);
        foreach (var approval in await ForAlumnusAsync(alumnusId, cancellationToken))
        {
            await table.DeleteEntityAsync(alumnusId.Value, approval.Request.Subject, ETag.All, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<Approval>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ComplianceApprovals, cancellationToken);
        var all = new List<Approval>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            all.Add(ToApproval(entity));
        }

        return all.OrderBy(a => a.Request.RequestedAt).ToArray();
    }

    private static TableEntity ToEntity(Approval a) => new(a.Request.AlumnusId.Value, a.Request.Subject)
    {
        ["Summary"] = a.Request.Summary,
        ["RequestedBy"] = a.Request.RequestedBy,
        ["RequestedAt"] = a.Request.RequestedAt,
        ["FollowUpKind"] = a.Request.FollowUpKind,
        ["FollowUpSubject"] = a.Request.FollowUpSubject,
        ["Status"] = a.Status.ToString(),
        ["DecidedBy"] = a.DecidedBy,
        ["DecidedAt"] = a.DecidedAt,
        ["Reason"] = a.Reason,
    };

    private static Approval ToApproval(TableEntity e) => new(
        new ApprovalRequest(AlumnusId.Parse(e.PartitionKey), e.RowKey, e.GetString("Summary") ?? "", e.GetString("RequestedBy") ?? "",
            e.GetDateTimeOffset("RequestedAt") ?? DateTimeOffset.MinValue, e.GetString("FollowUpKind"), e.GetString("FollowUpSubject")),
        Enum.Parse<ApprovalStatus>(e.GetString("Status")),
        e.GetString("DecidedBy"),
        e.GetDateTimeOffset("DecidedAt"),
        e.GetString("Reason"))
    {
        ETag = e.ETag.ToString(),
    };
}
