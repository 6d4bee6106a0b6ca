using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;

namespace AlumniNetwork.Core.Storage;

/// <summary>Alumni rows partitioned by id bucket; <c>hris:&lt;employeeId&gt;</c> index rows make intake idempotent.</summary>
public sealed class TableAlumniStore(AlumniTables tables, Pseudonyms pseudonyms) : IAlumniStore
{
    private const string IndexRow = "id";

    public async Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var entity = await table.FindAsync<TableEntity>(id.Bucket, id.Value, cancellationToken);
        return entity is null ? null : ToAlumnus(entity);
    }

    public async Task<AlumnusId> ClaimEmployeeIdAsync(string employeeId, AlumnusId candidate, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var partition = $"hris:{employeeId}";
        if (await index.TryAddAsync(new TableEntity(partition, IndexRow) { ["AlumnusId"] = candidate.Value }, cancellationToken))
        {
            return candidate;
        }

        var holder = await index.FindAsync<TableEntity>(partition, IndexRow, cancellationToken)
            ?? throw new InvalidOperationException("The employee index row vanished while it was claimed.");
        return AlumnusId.Parse(holder.GetString("AlumnusId"));
    }

    public async Task AddAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var entity = ToEntity(alumnus);
        if (await table.TryAddAsync(entity, cancellationToken))
        {
            alumnus.ETag = entity.ETag.ToString();
        }
    }

    public async Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(alumnus), alumnus.ETag, cancellationToken);
        alumnus.ETag = etag ?? alumnus.ETag;
        return etag is not null;
    }

    public async IAsyncEnumerable<Alumnus> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToAlumnus(entity);
        }
    }

    public async IAsyncEnumerable<AlumnusId> IdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            yield return AlumnusId.Parse(entity.RowKey);
        }
    }

    public async Task EraseAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // Tombstone first: a crash after it leaves a record that a retry erases; the reverse could let a webhook resurrect it.
        await index.UpsertEntityAsync(new TableEntity(Tombstone(alumnus.EmployeeId), IndexRow), TableUpdateMode.Replace, cancellationToken);
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        await table.DeleteEntityAsync(alumnus.Id.Bucket, alumnus.Id.Value, ETag.All, cancellationToken);
        await index.DeleteEntityAsync($"hris:{alumnus.EmployeeId}", IndexRow, ETag.All, cancellationToken);
    }

    public async Task<bool> DeleteAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        try
        {
            // Row first: a crash after it leaves an index row pointing at nobody, which intake treats as a fresh claim.
            await table.DeleteEntityAsync(alumnus.Id.Bucket, alumnus.Id.Value, alumnus.ETag is null ? ETag.All : new ETag(alumnus.ETag), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }

        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        var holder = await index.FindAsync<TableEntity>($"hris:{alumnus.EmployeeId}", IndexRow, cancellationToken);
        if (holder is not null && holder.GetString("AlumnusId") == alumnus.Id.Value)
        {
            await index.DeleteEntityAsync(holder.PartitionKey, holder.RowKey, holder.ETag, cancellationToken);
        }

        return true;
    }

    public async Task<bool> IsErasedAsync(string employeeId, CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        return await index.FindAsync<TableEntity>(Tombstone(employeeId), IndexRow, cancellationToken) is not null;
    }

    public async Task<long> CountErasedAsync(CancellationToken cancellationToken)
    {
        var index = await tables.GetAsync(AlumniTables.AlumniIndex, cancellationToken);
        // Tombstone partitions are "erased:<pseudonym>": a range of partition keys, read keys only.
        var count = 0L;
        await foreach (var _ in index.QueryAsync<TableEntity>($"PartitionKey ge '{ErasedPrefix}' and PartitionKey lt 'erased;'", maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    private const string ErasedPrefix = "erased:";

    /// <summary>A keyed pseudonym, not the employee id: after erasure nothing identifies the person.</summary>
    private string Tombstone(string employeeId) => ErasedPrefix + pseudonyms.Of("employee", employeeId);

    private static TableEntity ToEntity(Alumnus a) => new(a.Id.Bucket, a.Id.Value)
    {
        ["EmployeeId"] = a.EmployeeId,
        ["GivenName"] = a.GivenName,
        ["FamilyName"] = a.FamilyName,
        ["PersonalEmail"] = a.PersonalEmail.Value,
        ["Department"] = a.Department,
        ["JobTitle"] = a.JobTitle,
        ["HireDate"] = a.HireDate?.ToString("O", CultureInfo.InvariantCulture),
        ["LastWorkingDay"] = a.LastWorkingDay.ToString("O", CultureInfo.InvariantCulture),
        ["Reason"] = a.Reason.ToString(),
        ["RehireEligible"] = a.RehireEligible,
        ["DoNotContact"] = a.DoNotContact,
        ["Locale"] = a.Locale.ToTag(),
        ["Status"] = a.Status.ToString(),
        ["WelcomeDueAt"] = a.WelcomeDueAt,
        ["RecordedAt"] = a.RecordedAt,
        ["InvitedAt"] = a.InvitedAt,
        ["JoinedAt"] = a.JoinedAt,
    };

    private static Alumnus ToAlumnus(TableEntity e)
    {
        var locale = Locales.TryParse(e.GetString("Locale"), out var tag) ? tag : Locale.Japanese;
        return new Alumnus
        {
            Id = AlumnusId.Parse(e.RowKey),
            EmployeeId = e.GetString("EmployeeId"),
            GivenName = e.GetString("GivenName"),
            FamilyName = e.GetString("FamilyName"),
            PersonalEmail = EmailAddress.Parse(e.GetString("PersonalEmail")),
            Department = e.GetString("Department"),
            JobTitle = e.GetString("JobTitle"),
            HireDate = e.GetString("HireDate") is { } hired ? DateOnly.Parse(hired, CultureInfo.InvariantCulture) : null,
            LastWorkingDay = DateOnly.Parse(e.GetString("LastWorkingDay"), CultureInfo.InvariantCulture),
            Reason = Enum.Parse<DepartureReason>(e.GetString("Reason")),
            RehireEligible = e.GetBoolean("RehireEligible"),
            DoNotContact = e.GetBoolean("DoNotContact") ?? false,
            Locale = locale,
            Status = Enum.Parse<AlumnusStatus>(e.GetString("Status")),
            WelcomeDueAt = e.GetDateTimeOffset("WelcomeDueAt")!.Value,
            RecordedAt = e.GetDateTimeOffset("RecordedAt")!.Value,
            InvitedAt = e.GetDateTimeOffset("InvitedAt"),
            JoinedAt = e.GetDateTimeOffset("JoinedAt"),
            ETag = e.ETag.ToString(),
        };
    }
}
