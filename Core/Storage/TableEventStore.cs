using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// One partition per event: the event row (<c>event</c>) and its RSVPs (<c>rsvp-&lt;alumnusId&gt;</c>). Seat changes write
/// the event row and the RSVPs they touch in one entity-group transaction, each conditional on its ETag.
/// </summary>
public sealed class TableEventStore(AlumniTables tables) : IEventStore
{
    private const string EventRow = "event";
    private const string RsvpPrefix = "rsvp-";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<NetworkEvent?> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        return await table.FindAsync<TableEntity>(eventId, EventRow, cancellationToken) is { } row ? ToEvent(row) : null;
    }

    public async Task<bool> TryAddAsync(NetworkEvent networkEvent, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        var entity = ToEntity(networkEvent);
        if (!await table.TryAddAsync(entity, cancellationToken))
        {
            return false;
        }

        networkEvent.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<bool> TrySaveAsync(NetworkEvent networkEvent, IReadOnlyCollection<Rsvp> rsvps, CancellationToken cancellationToken, Rsvp? removed = null)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, ToEntity(networkEvent), Tag(networkEvent.ETag)),
        };
        actions.AddRange(rsvps.Select(r => r.ETag is null
            ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(r))
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(r), new ETag(r.ETag))));
        if (removed is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(removed.EventId, RowOf(removed.AlumnusId)), Tag(removed.ETag)));
        }

        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken);
            networkEvent.ETag = response.Value[0].Headers.ETag?.ToString() ?? networkEvent.ETag;
            var index = 1;
            foreach (var rsvp in rsvps)
            {
                rsvp.ETag = response.Value[index++].Headers.ETag?.ToString();
            }

            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    public async Task<Rsvp?> GetRsvpAsync(string eventId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        return await table.FindAsync<TableEntity>(eventId, RowOf(alumnusId), cancellationToken) is { } row ? ToRsvp(row) : null;
    }

    public Task<IReadOnlyList<Rsvp>> RsvpsAsync(string eventId, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {eventId} and RowKey gt {RsvpPrefix}"), cancellationToken);

    public Task<IReadOnlyList<Rsvp>> WaitlistAsync(string eventId, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {eventId} and Status eq {nameof(RsvpStatus.Waitlisted)}"), cancellationToken);

    public Task<IReadOnlyList<Rsvp>> RsvpsOfAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {RowOf(alumnusId)}"), cancellationToken);

    public async Task<bool> TryUpdateRsvpAsync(Rsvp rsvp, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        var etag = await table.TryReplaceReadAsync(ToEntity(rsvp), rsvp.ETag, cancellationToken);
        rsvp.ETag = etag ?? rsvp.ETag;
        return etag is not null;
    }

    public async Task<IReadOnlyList<NetworkEvent>> UpcomingAsync(DateTimeOffset from, CancellationToken cancellationToken) =>
        [.. (await EventsAsync(TableClient.CreateQueryFilter($"RowKey eq {EventRow} and Status eq {nameof(EventStatus.Published)}"), cancellationToken))
            .Where(e => e.Details.StartsAt >= from)
            .OrderBy(e => e.Details.StartsAt)];

    public async Task<IReadOnlyList<NetworkEvent>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await EventsAsync(TableClient.CreateQueryFilter($"RowKey eq {EventRow}"), cancellationToken)).OrderByDescending(e => e.Details.StartsAt)];

    private async Task<List<NetworkEvent>> EventsAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        var events = new List<NetworkEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            events.Add(ToEvent(row));
        }

        return events;
    }

    private async Task<IReadOnlyList<Rsvp>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.Events, cancellationToken);
        var rsvps = new List<Rsvp>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(RsvpPrefix, StringComparison.Ordinal))
            {
                rsvps.Add(ToRsvp(row));
            }
        }

        return rsvps;
    }

    private static string RowOf(AlumnusId alumnusId) => RsvpPrefix + alumnusId.Value;

    private static ETag Tag(string? etag) => etag is null ? ETag.All : new ETag(etag);

    private static TableEntity ToEntity(NetworkEvent e)
    {
        var d = e.Details;
        return new TableEntity(e.Id, EventRow)
        {
            ["Status"] = e.Status.ToString(),
            ["Sequence"] = e.Sequence,
            ["TitleJa"] = d.Title.Japanese,
            ["TitleEn"] = d.Title.English,
            ["DescriptionJa"] = d.Description.Japanese,
            ["DescriptionEn"] = d.Description.English,
            ["Kind"] = d.Kind.ToString(),
            ["StartsAt"] = d.StartsAt,
            ["EndsAt"] = d.EndsAt,
            ["TimeZone"] = d.TimeZone,
            ["Venue"] = d.Venue,
            ["OnlineUrl"] = d.OnlineUrl?.AbsoluteUri,
            ["Capacity"] = d.Capacity,
            ["RegistrationDeadline"] = d.RegistrationDeadline,
            ["Hosts"] = JsonSerializer.Serialize(d.Hosts, Json),
            ["Audience"] = JsonSerializer.Serialize(d.Audience, Json),
            ["Attending"] = e.Attending,
            ["Waitlisted"] = e.Waitlisted,
            ["NextPosition"] = e.NextPosition,
            ["CreatedAt"] = e.CreatedAt,
            ["CreatedBy"] = e.CreatedBy,
            ["UpdatedAt"] = e.UpdatedAt,
            ["PublishedAt"] = e.PublishedAt,
            ["PublishedBy"] = e.PublishedBy,
            ["CancelledAt"] = e.CancelledAt,
            ["CreateHash"] = e.CreateHash,
        };
    }

    private static NetworkEvent ToEvent(TableEntity row) => new()
    {
        Id = row.PartitionKey,
        Details = new EventDetails(
            new LocalizedText(row.GetString("TitleJa"), row.GetString("TitleEn")),
            new LocalizedText(row.GetString("DescriptionJa") ?? "", row.GetString("DescriptionEn") ?? ""),
            Enum.Parse<EventKind>(row.GetString("Kind")),
            row.GetDateTimeOffset("StartsAt")!.Value,
            row.GetDateTimeOffset("EndsAt")!.Value,
            row.GetString("TimeZone"),
            row.GetString("Venue"),
            row.GetString("OnlineUrl") is { } url ? new Uri(url) : null,
            row.GetInt32("Capacity")!.Value,
            row.GetDateTimeOffset("RegistrationDeadline")!.Value,
            JsonSerializer.Deserialize<EventHost[]>(row.GetString("Hosts"), Json) ?? [],
            JsonSerializer.Deserialize<AudienceSegment>(row.GetString("Audience"), Json) ?? AudienceSegment.Everyone),
        Status = Enum.Parse<EventStatus>(row.GetString("Status")),
        Sequence = row.GetInt32("Sequence") ?? 0,
        Attending = row.GetInt32("Attending") ?? 0,
        Waitlisted = row.GetInt32("Waitlisted") ?? 0,
        NextPosition = row.GetInt64("NextPosition") ?? 1,
        CreatedAt = row.GetDateTimeOffset("CreatedAt")!.Value,
        CreatedBy = row.GetString("CreatedBy"),
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt")!.Value,
        PublishedAt = row.GetDateTimeOffset("PublishedAt"),
        PublishedBy = row.GetString("PublishedBy"),
        CancelledAt = row.GetDateTimeOffset("CancelledAt"),
        CreateHash = row.GetString("CreateHash"),
        ETag = row.ETag.ToString(),
    };

    private static TableEntity ToEntity(Rsvp r) => new(r.EventId, RowOf(r.AlumnusId))
    {
        ["Status"] = r.Status.ToString(),
        ["Position"] = r.Position,
        ["Promoted"] = r.Promoted,
        ["RespondedAt"] = r.RespondedAt,
        ["Version"] = r.Version,
        ["NoticedVersion"] = r.NoticedVersion,
        ["NoticedSequence"] = r.NoticedSequence,
        ["CalendarSent"] = r.CalendarSent,
        ["Attended"] = r.Attended,
    };

    private static Rsvp ToRsvp(TableEntity row) => new()
    {
        EventId = row.PartitionKey,
        AlumnusId = AlumnusId.Parse(row.RowKey[RsvpPrefix.Length..]),
        Status = Enum.Parse<RsvpStatus>(row.GetString("Status")),
        Position = row.GetInt64("Position") ?? 0,
        Promoted = row.GetBoolean("Promoted") ?? false,
        RespondedAt = row.GetDateTimeOffset("RespondedAt")!.Value,
        Version = row.GetInt32("Version") ?? 0,
        NoticedVersion = row.GetInt32("NoticedVersion") ?? 0,
        NoticedSequence = row.GetInt32("NoticedSequence") ?? 0,
        CalendarSent = row.GetBoolean("CalendarSent") ?? false,
        Attended = row.GetBoolean("Attended"),
        ETag = row.ETag.ToString(),
    };
}
