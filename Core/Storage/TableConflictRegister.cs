using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// The register in one partition: a row per entry (<c>entry-&lt;id&gt;</c>) and a row per name key (<c>name-&lt;sha256&gt;</c>)
/// naming the entry that holds it. An entry and its names are written in one transaction, so a name can belong to one
/// entry only, even when two admins add it at once. The register is a few hundred organisations changed by hand: one
/// partition is far from its limits and lets every write be all or nothing.
/// </summary>
public sealed class TableConflictRegister(AlumniTables tables) : IConflictRegister
{
    private const string Partition = "register";
    private const string EntryPrefix = "entry-";
    private const string NamePrefix = "name-";

    public async Task<IReadOnlyList<RegisterEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {EntryPrefix} and RowKey lt {"entry."}");
        var entries = new List<RegisterEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            entries.Add(ToEntry(entity));
        }

        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
    }

    public async Task<RegisterEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        return await table.FindAsync<TableEntity>(Partition, EntryPrefix + id, cancellationToken) is { } entity ? ToEntry(entity) : null;
    }

    public async Task<RegisterEntry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            return null;
        }

        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        return await table.FindAsync<TableEntity>(Partition, NameRow(key), cancellationToken) is { } name && name.GetString("EntryId") is { } id
            ? await GetAsync(id, cancellationToken)
            : null;
    }

    public Task<RegisterWrite> AddAsync(RegisterEntry entry, CancellationToken cancellationToken) =>
        SubmitAsync(entry, [new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry))], entry.Keys, cancellationToken);

    public async Task<RegisterWrite> ReplaceAsync(RegisterEntry entry, CancellationToken cancellationToken)
    {
        if (await GetAsync(entry.Id, cancellationToken) is not { } stored)
        {
            return new RegisterWrite.Changed();
        }

        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(entry), new ETag(entry.ETag!)) };
        actions.AddRange(stored.Keys.Except(entry.Keys).Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, NameRow(key)), ETag.All)));
        return await SubmitAsync(entry, actions, entry.Keys.Except(stored.Keys), cancellationToken);
    }

    public async Task<bool> RemoveAsync(RegisterEntry entry, CancellationToken cancellationToken)
    {
        var actions = entry.Keys.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, NameRow(key)), ETag.All))
            .Prepend(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, EntryPrefix + entry.Id), entry.ETag is null ? ETag.All : new ETag(entry.ETag)));
        try
        {
            await tables.SubmitAsync(AlumniTables.ConflictRegister, actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <param name="newKeys">The name rows to add: each fails the transaction if another entry holds it.</param>
    private async Task<RegisterWrite> SubmitAsync(RegisterEntry entry, List<TableTransactionAction> actions, IEnumerable<string> newKeys, CancellationToken cancellationToken)
    {
        var added = newKeys.ToArray();
        actions.AddRange(added.Select(key => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity(Partition, NameRow(key)) { ["EntryId"] = entry.Id, ["Key"] = key })));
        try
        {
            var response = await tables.SubmitAsync(AlumniTables.ConflictRegister, actions, cancellationToken);
            return new RegisterWrite.Written(entry with { ETag = response.Value[0].Headers.ETag?.ToString() });
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            var failed = e.FailedTransactionActionIndex is { } index && index >= actions.Count - added.Length ? added[index - (actions.Count - added.Length)] : null;
            return new RegisterWrite.Duplicate(failed is null ? entry.Name : entry.Names.First(n => OrganisationName.Key(n) == failed), null);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return new RegisterWrite.Changed();
        }
    }

    /// <summary>Name keys can hold any letter; row keys cannot hold every character, so the row is named by the key's hash.</summary>
    private static string NameRow(string key) => NamePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static TableEntity ToEntity(RegisterEntry e) => new(Partition, EntryPrefix + e.Id)
    {
        ["Name"] = e.Name,
        ["Category"] = e.Category.ToString(),
        ["Aliases"] = JsonSerializer.Serialize(e.Aliases),
        ["CoolingOffDays"] = e.CoolingOffDays,
        ["UpdatedBy"] = e.UpdatedBy,
        ["UpdatedAt"] = e.UpdatedAt,
        ["CreateHash"] = e.CreateHash,
    };

    private static RegisterEntry ToEntry(TableEntity e) => new(
        e.RowKey[EntryPrefix.Length..],
        e.GetString("Name"),
        Enum.Parse<ConflictCategory>(e.GetString("Category")),
        JsonSerializer.Deserialize<string[]>(e.GetString("Aliases") ?? "[]") ?? [],
        e.GetInt32("CoolingOffDays"),
        e.GetString("UpdatedBy") ?? "",
        e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue)
    {
        ETag = e.ETag.ToString(),
        CreateHash = e.GetString("CreateHash"),
    };
}
