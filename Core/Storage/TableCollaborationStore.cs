using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Cards one row each in the alumnus's id bucket (the directory scans them: a few thousand at most). Requests in one
/// partition per alumnus with a <c>limit</c> row: adding a request writes the request and bumps the limit row (ETag) in
/// one transaction, so of two requests counted against the same last place one fails and counts again.
/// </summary>
public sealed class TableCollaborationStore(AlumniTables tables) : ICollaborationStore
{
    private const string LimitRow = "limit";
    private const int MaxAttempts = 5;

    public async Task<CollaborationCard?> GetCardAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationCards, cancellationToken);
        return await table.FindAsync<TableEntity>(alumnusId.Bucket, alumnusId.Value, cancellationToken) is { } entity ? ToCard(entity) : null;
    }

    public async IAsyncEnumerable<CollaborationCard> ListCardsAsync(CardStatus? status, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationCards, cancellationToken);
        var filter = status is { } wanted ? TableClient.CreateQueryFilter($"Status eq {wanted.ToString()}") : null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return ToCard(entity);
        }
    }

    public async Task<CollaborationCard?> TrySaveCardAsync(CollaborationCard card, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationCards, cancellationToken);
        var entity = ToEntity(card);
        if (card.ETag is null)
        {
            try
            {
                var added = await table.AddEntityAsync(entity, cancellationToken);
                return card with { ETag = added.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return null;
            }
        }

        return await table.TryReplaceReadAsync(entity, card.ETag, cancellationToken) is { } etag ? card with { ETag = etag } : null;
    }

    public async Task DeleteCardAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationCards, cancellationToken);
        await table.DeleteEntityAsync(alumnusId.Bucket, alumnusId.Value, ETag.All, cancellationToken);
    }

    public async Task<CollaborationRequest?> GetRequestAsync(AlumnusId alumnusId, string requestId, CancellationToken cancellationToken)
    {
        if (!CollaborationRequest.IsId(requestId))
        {
            return null;
        }

        var table = await tables.GetAsync(AlumniTables.CollaborationRequests, cancellationToken);
        return await table.FindAsync<TableEntity>(alumnusId.Value, requestId, cancellationToken) is { } entity ? ToRequest(entity) : null;
    }

    public async Task<IReadOnlyList<CollaborationRequest>> RequestsToAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationRequests, cancellationToken);
        var requests = new List<CollaborationRequest>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            if (entity.RowKey != LimitRow)
            {
                requests.Add(ToRequest(entity));
            }
        }

        return requests.OrderByDescending(r => r.CreatedAt).ToArray();
    }

    public async Task<bool> TryAddRequestAsync(CollaborationRequest request, int limit, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationRequests, cancellationToken);
        var partition = request.AlumnusId.Value;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The limit row is read before the requests: a request added after this read changes its ETag, so the
            // transaction below fails and the count is taken again.
            var guard = await table.FindAsync<TableEntity>(partition, LimitRow, cancellationToken);
            if ((await RequestsToAsync(request.AlumnusId, cancellationToken)).Count(r => r.CountsSince(since)) >= limit)
            {
                return false;
            }

            var bumped = new TableEntity(partition, LimitRow) { ["Version"] = (guard?.GetInt64("Version") ?? 0) + 1 };
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, ToEntity(request)),
                guard is null ? new(TableTransactionActionType.Add, bumped) : new(TableTransactionActionType.UpdateReplace, bumped, guard.ETag),
            ];
            try
            {
                await tables.SubmitAsync(AlumniTables.CollaborationRequests, actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                if (await table.FindAsync<TableEntity>(partition, request.Id, cancellationToken) is not null)
                {
                    // A repeat of this very request (its idempotency key, ADR 0037) was added first.
                    return false;
                }

                // Another request took a place meanwhile: count again.
            }
        }

        throw new RequestFailedException(412, "The alumnus's collaboration requests kept changing while one was added.");
    }

    public async Task<bool> TryUpdateRequestAsync(CollaborationRequest request, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AlumniTables.CollaborationRequests, cancellationToken);
        return await table.TryReplaceReadAsync(ToEntity(request), request.ETag, cancellationToken) is not null;
    }

    public async Task RemoveAllAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await DeleteCardAsync(alumnusId, cancellationToken);
        var table = await tables.GetAsync(AlumniTables.CollaborationRequests, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {alumnusId.Value}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
        }
    }

    private static TableEntity ToEntity(CollaborationCard c)
    {
        var entity = new TableEntity(c.AlumnusId.Bucket, c.AlumnusId.Value)
        {
            ["FamilyName"] = c.FamilyName,
            ["GivenName"] = c.GivenName,
            ["Industry"] = c.Industry.ToString(),
            ["VisibleToMembers"] = c.VisibleToMembers,
            ["VisibleToEmployees"] = c.VisibleToEmployees,
            ["RequestsPaused"] = c.RequestsPaused,
            ["Status"] = c.Status.ToString(),
            ["SubmittedAt"] = c.SubmittedAt,
            ["ReviewedAt"] = c.ReviewedAt,
            ["ReviewedBy"] = c.ReviewedBy,
            ["RejectionReason"] = c.RejectionReason,
        };
        foreach (var field in Enum.GetValues<CardField>())
        {
            entity[field.ToString()] = c.ValueOf(field);
        }

        return entity;
    }

    private static CollaborationCard ToCard(TableEntity e) => new(
        AlumnusId.Parse(e.RowKey),
        Enum.GetValues<CardField>().Where(f => !string.IsNullOrEmpty(e.GetString(f.ToString()))).ToDictionary(f => f, f => e.GetString(f.ToString())),
        Enum.Parse<Industry>(e.GetString("Industry")),
        e.GetBoolean("VisibleToMembers") == true,
        e.GetBoolean("VisibleToEmployees") == true,
        e.GetBoolean("RequestsPaused") == true,
        Enum.Parse<CardStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("SubmittedAt") ?? DateTimeOffset.MinValue)
    {
        FamilyName = e.GetString("FamilyName") ?? "",
        GivenName = e.GetString("GivenName") ?? "",
        ReviewedAt = e.GetDateTimeOffset("ReviewedAt"),
        ReviewedBy = e.GetString("ReviewedBy"),
        RejectionReason = e.GetString("RejectionReason"),
        ETag = e.ETag.ToString(),
    };

    private static TableEntity ToEntity(CollaborationRequest r) => new(r.AlumnusId.Value, r.Id)
    {
        ["Kind"] = r.Kind.ToString(),
        ["RequesterName"] = r.RequesterName,
        ["RequesterDepartment"] = r.RequesterDepartment,
        ["RequesterEmail"] = r.RequesterEmail.Value,
        ["Reason"] = r.Reason,
        ["Confidentiality"] = r.Confidentiality.ToString(),
        ["Status"] = r.Status.ToString(),
        ["CreatedAt"] = r.CreatedAt,
        ["CreatedBy"] = r.CreatedBy,
        ["SentAt"] = r.SentAt,
        ["AnsweredAt"] = r.AnsweredAt,
        ["Outcome"] = r.Outcome,
        ["RequesterTold"] = r.RequesterTold,
        ["CreateHash"] = r.CreateHash,
    };

    private static CollaborationRequest ToRequest(TableEntity e) => new(
        e.RowKey,
        AlumnusId.Parse(e.PartitionKey),
        Enum.Parse<RequesterKind>(e.GetString("Kind")),
        e.GetString("RequesterName") ?? "",
        e.GetString("RequesterDepartment") ?? "",
        EmailAddress.Parse(e.GetString("RequesterEmail")),
        e.GetString("Reason") ?? "",
        Enum.Parse<Confidentiality>(e.GetString("Confidentiality")),
        Enum.Parse<RequestStatus>(e.GetString("Status")),
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        e.GetString("CreatedBy") ?? "")
    {
        SentAt = e.GetDateTimeOffset("SentAt"),
        AnsweredAt = e.GetDateTimeOffset("AnsweredAt"),
        Outcome = e.GetString("Outcome"),
        RequesterTold = e.GetBoolean("RequesterTold") == true,
        CreateHash = e.GetString("CreateHash"),
        ETag = e.ETag.ToString(),
    };
}
