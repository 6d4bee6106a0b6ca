using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Storage;

/// <summary>The assessments of flagged alumni, one row each in the alumnus's id bucket; rows exist only while someone is flagged.</summary>
public sealed class TableConflictAssessments(AlumniTables tables) : IConflictAssessments
{
    public async Task<ConflictAssessment?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictAssessments, cancellationToken);
        return await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken) is { } entity ? ToAssessment(entity) : null;
    }

    public async Task<IReadOnlyList<ConflictAssessment>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictAssessments, cancellationToken);
        var all = new List<ConflictAssessment>();
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            all.Add(ToAssessment(entity));
        }

        return all;
    }

    public async Task SaveAsync(ConflictAssessment assessment, CancellationToken cancellationToken)
    {
        var a = assessment;
        var table = await tables.GetAsync(AlumniTables.ConflictAssessments, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(a.AlumnusId.Bucket, a.AlumnusId.Value)
        {
            ["EntryId"] = a.EntryId,
            ["Category"] = a.Category.ToString(),
            ["EntryName"] = a.EntryName,
            ["MatchedName"] = a.MatchedName,
            ["Employer"] = a.Employer,
            ["Since"] = a.Since,
            ["CoolingOffUntil"] = a.CoolingOffUntil,
            ["Earlier"] = a.Earlier is null ? null : JsonSerializer.Serialize(a.Earlier.Chain().Select(EarlierFlag.Of)),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictAssessments, cancellationToken);
        await table.DeleteEntityAsync(alumnusId.Bucket, alumnusId.Value, ETag.All, cancellationToken);
    }

    private static ConflictAssessment ToAssessment(TableEntity e)
    {
        var id = AlumnusId.Parse(e.RowKey);
        var stored = JsonSerializer.Deserialize<EarlierFlag[]>(e.GetString("Earlier") ?? "[]") ?? [];
        ConflictAssessment? earlier = null;
        for (var i = stored.Length - 1; i >= 0; i--)
        {
            earlier = stored[i].ToAssessment(id, earlier);
        }

        return new(
            id,
            e.GetString("EntryId"),
            Enum.Parse<ConflictCategory>(e.GetString("Category")),
            e.GetString("EntryName") ?? "",
            e.GetString("MatchedName") ?? "",
            e.GetString("Employer") ?? "",
            e.GetDateTimeOffset("Since")!.Value,
            e.GetDateTimeOffset("CoolingOffUntil"),
            earlier);
    }

    /// <summary>An earlier flag as stored: the chain is kept in one column, most recently left first.</summary>
    private sealed record EarlierFlag(
        string EntryId, string Category, string EntryName, string MatchedName, string Employer, DateTimeOffset Since, DateTimeOffset? CoolingOffUntil)
    {
        public static EarlierFlag Of(ConflictAssessment a) =>
            new(a.EntryId, a.Category.ToString(), a.EntryName, a.MatchedName, a.Employer, a.Since, a.CoolingOffUntil);

        public ConflictAssessment ToAssessment(AlumnusId id, ConflictAssessment? earlier) =>
            new(id, EntryId, Enum.Parse<ConflictCategory>(Category), EntryName, MatchedName, Employer, Since, CoolingOffUntil, earlier);
    }
}
