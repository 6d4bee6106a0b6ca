using System.Runtime.InteropServices;
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
/// partition is far from its limits and lets every write be all or nothing. Name rows written under an older key rule
/// are re-keyed when the register is read whole (<see cref="ListAsync"/>), which a process does once before its first
/// <see cref="FindAsync"/>, so finding is a point read.
/// </summary>
public sealed class TableConflictRegister(AlumniTables tables) : IConflictRegister
{
    private const string Partition = "register";
    private const string EntryPrefix = "entry-";
    private const string NamePrefix = "name-";

    /// <summary>
    /// Whether this process has re-keyed the register since it started. The key rule is code, so it changes only with a
    /// deployment: once a new process has re-keyed, every row is written under its rule. Set only when a pass ended;
    /// two first lookups at once may both re-key, which is harmless (<see cref="RekeyAsync"/> is idempotent).
    /// </summary>
    private volatile bool rekeyed;

    /// <summary>Every entry; one whose name rows are not those of its names' current keys is re-keyed on the way (<see cref="RekeyAsync"/>).</summary>
    public async Task<IReadOnlyList<RegisterEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var (entries, names) = await ReadAllAsync(cancellationToken);
        var listed = new List<RegisterEntry>(entries.Count);
        foreach (var entry in entries)
        {
            listed.Add(await RekeyAsync(entry, names.GetValueOrDefault(entry.Id) ?? [], cancellationToken));
        }

        rekeyed = true;
        return listed.OrderBy(e => e.Name, StringComparer.Ordinal).ToArray();
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

        if (!rekeyed)
        {
            await ListAsync(cancellationToken);
        }

        // A row whose entry no longer has the key is one an older rule left behind that could not be re-keyed yet.
        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        return await table.FindAsync<TableEntity>(Partition, NameRow(key), cancellationToken) is { } name && name.GetString("EntryId") is { } id
            && await GetAsync(id, cancellationToken) is { } entry && entry.Keys.Contains(key)
            ? entry
            : null;
    }

    public Task<RegisterWrite> AddAsync(RegisterEntry entry, CancellationToken cancellationToken) =>
        SubmitAsync(entry, [new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry))], entry.Keys, cancellationToken);

    /// <summary>
    /// Replaces the entry and rewrites its name rows to the current keys: the rows are found by the entry they name, not
    /// by keying the stored names again, so rows written under an older key rule are replaced too.
    /// </summary>
    public async Task<RegisterWrite> ReplaceAsync(RegisterEntry entry, CancellationToken cancellationToken)
    {
        var stored = await NameRowsAsync(entry.Id, cancellationToken);
        var wanted = entry.Keys.ToDictionary(NameRow, key => key);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(entry), new ETag(entry.ETag!)) };
        actions.AddRange(stored.Where(row => !wanted.ContainsKey(row.RowKey)).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)));
        return await SubmitAsync(entry, actions, wanted.Where(w => stored.All(row => row.RowKey != w.Key)).Select(w => w.Value), cancellationToken);
    }

    /// <summary>Removes the entry and every name row naming it, whatever key rule wrote them.</summary>
    public async Task<bool> RemoveAsync(RegisterEntry entry, CancellationToken cancellationToken)
    {
        var actions = (await NameRowsAsync(entry.Id, cancellationToken)).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All))
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

    /// <summary>
    /// Brings an entry's name rows to its names' current keys when a change of <see cref="OrganisationName.Key"/> left
    /// them stale: stale rows go, missing ones are added, and the entry row is touched with the ETag it was read with,
    /// all in one transaction, so an entry changed or removed meanwhile is left to that change (which rewrites the rows
    /// itself). A key another entry now holds is left out and the transaction tried again, so the entry's other names are
    /// still re-keyed (the admin sees the clash when they edit it; the next pass tries that key again).
    /// Idempotent: an entry whose rows are current is returned untouched.
    /// </summary>
    private async Task<RegisterEntry> RekeyAsync(RegisterEntry entry, IReadOnlyList<TableEntity> stored, CancellationToken cancellationToken)
    {
        var keys = entry.Keys.ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var wanted = keys.Select(NameRow).ToHashSet(StringComparer.Ordinal);
            if (wanted.SetEquals(stored.Select(row => row.RowKey)))
            {
                return entry;
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateMerge, new TableEntity(Partition, EntryPrefix + entry.Id), new ETag(entry.ETag!)) };
            actions.AddRange(stored.Where(row => !wanted.Contains(row.RowKey)).Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)));
            switch (await SubmitAsync(entry, actions, keys.Where(key => stored.All(row => row.RowKey != NameRow(key))), cancellationToken))
            {
                case RegisterWrite.Written written:
                    return written.Entry;
                case RegisterWrite.Duplicate duplicate when keys.Remove(OrganisationName.Key(duplicate.Name)):
                    continue;
                default:
                    return entry;
            }
        }
    }

    /// <summary>The entries and, by entry id, the name rows naming each: the whole partition in one query.</summary>
    private async Task<(IReadOnlyList<RegisterEntry> Entries, Dictionary<string, List<TableEntity>> Names)> ReadAllAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        var entries = new List<RegisterEntry>();
        var names = new Dictionary<string, List<TableEntity>>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.RowKey.StartsWith(EntryPrefix, StringComparison.Ordinal))
            {
                entries.Add(ToEntry(entity));
            }
            else if (entity.RowKey.StartsWith(NamePrefix, StringComparison.Ordinal) && entity.GetString("EntryId") is { } id)
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(names, id, out _) ??= []).Add(entity);
            }
        }

        return (entries, names);
    }

    /// <summary>The name rows naming the entry, whichever key rule wrote them.</summary>
    private async Task<IReadOnlyList<TableEntity>> NameRowsAsync(string entryId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.ConflictRegister, cancellationToken);
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {NamePrefix} and RowKey lt {"name."} and EntryId eq {entryId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
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
