using System.Globalization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Openings;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// One partition per opening: the opening row (<c>opening</c>) and the interest alumni expressed in it
/// (<c>interest-&lt;alumnusId&gt;</c>), so a recruiter's list of interest is one partition read.
/// </summary>
public sealed class TableOpeningStore(AlumniTables tables) : IOpeningStore
{
    private const string OpeningRow = "opening";
    private const string InterestPrefix = "interest-";

    public async Task<Opening?> GetAsync(string openingId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        return await table.FindAsync<TableEntity>(openingId, OpeningRow, cancellationToken) is { } row ? ToOpening(row) : null;
    }

    public async Task<bool> TryAddAsync(Opening opening, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        var entity = ToEntity(opening);
        if (!await table.TryAddAsync(entity, cancellationToken))
        {
            return false;
        }

        opening.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<bool> TryUpdateAsync(Opening opening, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(opening), opening.ETag, cancellationToken);
        opening.ETag = etag ?? opening.ETag;
        return etag is not null;
    }

    public async Task<IReadOnlyList<Opening>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        var openings = new List<Opening>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {OpeningRow}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            openings.Add(ToOpening(row));
        }

        return [.. openings.OrderByDescending(o => o.CreatedAt)];
    }

    public async Task<OpeningInterest?> GetInterestAsync(string openingId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        return await table.FindAsync<TableEntity>(openingId, RowOf(alumnusId), cancellationToken) is { } row ? ToInterest(row) : null;
    }

    public async Task<bool> TrySaveInterestAsync(OpeningInterest interest, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        var entity = ToEntity(interest);
        if (interest.ETag is null)
        {
            if (!await table.TryAddAsync(entity, cancellationToken))
            {
                return false;
            }

            interest.ETag = entity.ETag.ToString();
            return true;
        }

        var etag = await table.TryReplaceReadAsync(entity, interest.ETag, cancellationToken);
        interest.ETag = etag ?? interest.ETag;
        return etag is not null;
    }

    public Task<IReadOnlyList<OpeningInterest>> InterestsAsync(string openingId, CancellationToken cancellationToken) =>
        QueryInterestsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {openingId} and RowKey gt {InterestPrefix}"), cancellationToken);

    public Task<IReadOnlyList<OpeningInterest>> InterestsOfAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        QueryInterestsAsync(TableClient.CreateQueryFilter($"RowKey eq {RowOf(alumnusId)}"), cancellationToken);

    public async Task DeleteInterestAsync(OpeningInterest interest, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(interest.OpeningId, RowOf(interest.AlumnusId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed already.
        }
    }

    private async Task<IReadOnlyList<OpeningInterest>> QueryInterestsAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Openings, cancellationToken);
        var interests = new List<OpeningInterest>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(InterestPrefix, StringComparison.Ordinal))
            {
                interests.Add(ToInterest(row));
            }
        }

        return interests;
    }

    private static string RowOf(AlumnusId alumnusId) => InterestPrefix + alumnusId.Value;

    private static TableEntity ToEntity(Opening o)
    {
        var d = o.Details;
        return new TableEntity(o.Id, OpeningRow)
        {
            ["TitleJa"] = d.Title.Japanese,
            ["TitleEn"] = d.Title.English,
            ["DescriptionJa"] = d.Description.Japanese,
            ["DescriptionEn"] = d.Description.English,
            ["Kind"] = d.Kind.ToString(),
            ["Department"] = d.Department,
            ["Location"] = d.Location,
            ["Remote"] = d.Remote,
            // Skills hold no line breaks (the draft refuses control characters), so one per line.
            ["Skills"] = string.Join('\n', d.Skills),
            ["Start"] = d.Start?.ToString("O", CultureInfo.InvariantCulture),
            ["End"] = d.End?.ToString("O", CultureInfo.InvariantCulture),
            ["RecruiterMailbox"] = d.RecruiterMailbox.Value,
            ["Confidentiality"] = d.Confidentiality.ToString(),
            ["Status"] = d.Status.ToString(),
            ["CreatedAt"] = o.CreatedAt,
            ["CreatedBy"] = o.CreatedBy,
            ["UpdatedAt"] = o.UpdatedAt,
            ["SentAt"] = o.SentAt,
            ["ApprovedFlagged"] = string.Join(' ', o.ApprovedFlagged.Select(id => id.Value)),
            ["CreateHash"] = o.CreateHash,
        };
    }

    private static Opening ToOpening(TableEntity row) => new()
    {
        Id = row.PartitionKey,
        Details = new OpeningDetails(
            new LocalizedText(row.GetString("TitleJa"), row.GetString("TitleEn")),
            new LocalizedText(row.GetString("DescriptionJa") ?? "", row.GetString("DescriptionEn") ?? ""),
            Enum.Parse<OpeningKind>(row.GetString("Kind")),
            row.GetString("Department"),
            row.GetString("Location"),
            row.GetBoolean("Remote") ?? false,
            (row.GetString("Skills") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Date(row.GetString("Start")),
            Date(row.GetString("End")),
            EmailAddress.Parse(row.GetString("RecruiterMailbox")),
            Enum.Parse<Confidentiality>(row.GetString("Confidentiality")),
            Enum.Parse<OpeningStatus>(row.GetString("Status"))),
        CreatedAt = row.GetDateTimeOffset("CreatedAt")!.Value,
        CreatedBy = row.GetString("CreatedBy"),
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt")!.Value,
        SentAt = row.GetDateTimeOffset("SentAt"),
        ApprovedFlagged = (row.GetString("ApprovedFlagged") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(AlumnusId.Parse).ToArray(),
        CreateHash = row.GetString("CreateHash"),
        ETag = row.ETag.ToString(),
    };

    private static DateOnly? Date(string? text) => text is null ? null : DateOnly.Parse(text, CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(OpeningInterest i) => new(i.OpeningId, RowOf(i.AlumnusId))
    {
        ["Status"] = i.Status.ToString(),
        ["Note"] = i.Note,
        ["ExpressedAt"] = i.ExpressedAt,
        ["UpdatedAt"] = i.UpdatedAt,
        ["Version"] = i.Version,
        ["NoticedVersion"] = i.NoticedVersion,
        ["ToldVersion"] = i.ToldVersion,
    };

    private static OpeningInterest ToInterest(TableEntity row) => OpeningInterest.Restore(
        row.PartitionKey,
        AlumnusId.Parse(row.RowKey[InterestPrefix.Length..]),
        Enum.Parse<InterestStatus>(row.GetString("Status")),
        row.GetString("Note") ?? "",
        row.GetDateTimeOffset("ExpressedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
        row.GetInt32("Version") ?? 0,
        row.GetInt32("NoticedVersion") ?? 0,
        row.GetInt32("ToldVersion") ?? row.GetInt32("NoticedVersion") ?? 0, // rows from before the column: as they were read then
        row.ETag.ToString());
}
