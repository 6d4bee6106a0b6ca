using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
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

    public async Task<(IReadOnlyList<Alumnus> Page, string? Continuation)> ListMembersPageAsync(string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"Status eq {nameof(AlumnusStatus.Joined)}");
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize))
        {
            return (page.Values.Select(ToAlumnus).ToArray(), page.ContinuationToken);
        }

        return ([], null);
    }

    public async IAsyncEnumerable<Alumnus> ListRangeAsync(AlumnusId first, AlumnusId last, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (first.Bucket != last.Bucket)
        {
            throw new ArgumentException("A range lies within one bucket.", nameof(last));
        }

        var table = await tables.GetAsync(AlumniTables.Alumni, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {first.Bucket} and RowKey ge {first.Value} and RowKey le {last.Value}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToAlumnus(entity);
        }
    }

    public async Task<bool> TryUpdateAllAsync(IReadOnlyList<Alumnus> sameBucket, CancellationToken cancellationToken)
    {
        if (sameBucket.Count == 0)
        {
            return true;
        }

        var actions = sameBucket.Select(a => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(a), new ETag(a.ETag!))).ToArray();
        try
        {
            var response = await tables.SubmitAsync(AlumniTables.Alumni, actions, cancellationToken);
            for (var i = 0; i < sameBucket.Count; i++)
            {
                sameBucket[i].ETag = response.Value[i].Headers.ETag?.ToString() ?? sameBucket[i].ETag;
            }

            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return false;
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

    /// <summary>A keyed pseudonym, not the employee id: after erasure nothing identifies the person.</summary>
    private string Tombstone(string employeeId) => "erased:" + pseudonyms.Of("employee", employeeId);

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
        ["Consented"] = a.Consented is { } consented ? string.Join(',', consented.Order()) : null,
        ["Suppressed"] = a.Suppressed?.ToString(),
        ["Contacts"] = a.Contacts.Count > 0 ? OutreachContact.Format(a.Contacts) : null,
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
            Consented = e.GetString("Consented") is { } consented
                ? consented.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ConsentPurpose>).ToHashSet()
                : null,
            Suppressed = Enum.TryParse<SuppressionReason>(e.GetString("Suppressed"), out var suppressed) ? suppressed : null,
            Contacts = OutreachContact.Parse(e.GetString("Contacts")),
            ETag = e.ETag.ToString(),
        };
    }
}
