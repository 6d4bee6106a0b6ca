using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Storage;

/// <summary>One row per alumnus, in the alumnus's id bucket; each field and its visibility as columns.</summary>
public sealed class TableProfileStore(AlumniTables tables) : IProfileStore
{
    public async Task<Profile?> GetAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Profiles, cancellationToken);
        return await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken) is { } e ? ToProfile(alumnusId, e) : null;
    }

    public async IAsyncEnumerable<Profile> ListRangeAsync(AlumnusId first, AlumnusId last, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Profiles, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {first.Bucket} and RowKey ge {first.Value} and RowKey le {last.Value}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToProfile(AlumnusId.Parse(entity.RowKey), entity);
        }
    }

    private static Profile ToProfile(AlumnusId alumnusId, TableEntity e)
    {
        var values = Profile.TextFields.Where(f => !string.IsNullOrEmpty(e.GetString(f.ToString()))).ToDictionary(f => f, f => e.GetString(f.ToString()));
        var visibility = Enum.GetValues<ProfileField>().ToDictionary(f => f,
            f => Enum.TryParse<FieldVisibility>(e.GetString(f + "Visibility"), out var v) ? v : FieldVisibility.Private);
        var returning = Enum.TryParse<ReturnInterest>(e.GetString(nameof(ProfileField.OpenToReturning)), out var r) ? r : ReturnInterest.Unspecified;
        return new Profile(alumnusId, values, returning, visibility, e.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue);
    }

    public async Task SaveAsync(Profile profile, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Profiles, cancellationToken);
        var entity = new TableEntity(profile.AlumnusId.Bucket, profile.AlumnusId.Value)
        {
            [nameof(ProfileField.OpenToReturning)] = profile.OpenToReturning.ToString(),
            ["UpdatedAt"] = profile.UpdatedAt,
        };
        foreach (var field in Profile.TextFields)
        {
            entity[field.ToString()] = profile.ValueOf(field);
        }

        foreach (var field in Enum.GetValues<ProfileField>())
        {
            entity[field + "Visibility"] = profile.VisibilityOf(field).ToString();
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task DeleteAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Profiles, cancellationToken);
        await table.DeleteEntityAsync(alumnusId.Bucket, alumnusId.Value, ETag.All, cancellationToken);
    }
}
