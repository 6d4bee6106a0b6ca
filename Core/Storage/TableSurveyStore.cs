using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// Surveys in table <c>Surveys</c>: the survey rows in partition <c>survey</c> (row = id), and in the survey's own
/// partition its published versions (<c>v0001</c>…), its campaigns (<c>campaign-{id}</c>) and its pseudonym key
/// (<c>key</c>). Responses in table <c>SurveyResponses</c>, one partition per survey: guards <c>g-{version}-{wave}-{pseudonym}</c>,
/// responses <c>r-{version}-{wave}-{id}</c>, cells <c>c-{version}-{wave}-{cohort}</c> and free-text answers
/// <c>t-{version}-{question}-{row key}</c> (derived from the response's comment key and the question), so that one
/// transaction writes an answer, its guard, its cell and its comments; and each version's released snapshot of its cells
/// <c>s-{version}</c> (ADR 0035), one row so that a release is one write; and while the survey is open its marker
/// <c>open</c>, which every answer's transaction touches (merge, If-Match *) so that none lands once the close deleted it.
/// </summary>
public sealed class TableSurveyStore(AlumniTables tables) : ISurveyStore, ISurveyResponseStore
{
    private const string SurveyPartition = "survey";
    private const string KeyRow = "key";
    private const string CampaignPrefix = "campaign-";
    private const string OpenRow = "open";
    private const string AnsweredOnColumn = "AnsweredOn";

    /// <summary>A binary property holds 64 KiB; an entity 1 MiB (the snapshot of some 30,000 cells, gzipped).</summary>
    private const int SnapshotChunk = 60_000;
    private const int MaxWavesInFilter = 12;

    /// <summary>
    /// Storage only, never HTML: Japanese is written as it is, not as \uXXXX (six characters each), so a long free-text
    /// answer and a survey's two contents stay well inside a row's 1 MiB (<see cref="SurveyDraft.MaxFreeTextTotal"/>).
    /// </summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<bool> TryAddAsync(Survey survey, CancellationToken cancellationToken) =>
        await (await Surveys(cancellationToken)).TryAddAsync(ToEntity(survey), cancellationToken);

    public async Task<Survey?> GetAsync(string id, CancellationToken cancellationToken) =>
        Survey.IsId(id) && await (await Surveys(cancellationToken)).FindAsync<TableEntity>(SurveyPartition, id, cancellationToken) is { } e ? ToSurvey(e) : null;

    public async Task<bool> TryUpdateAsync(Survey survey, CancellationToken cancellationToken)
    {
        var entity = ToEntity(survey);
        entity.ETag = new ETag(survey.ETag!);
        if (!await (await Surveys(cancellationToken)).TryReplaceAsync(entity, cancellationToken))
        {
            return false;
        }

        survey.ETag = entity.ETag.ToString();
        return true;
    }

    public async Task<IReadOnlyList<Survey>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await Surveys(cancellationToken);
        var surveys = new List<Survey>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {SurveyPartition}"), cancellationToken: cancellationToken))
        {
            surveys.Add(ToSurvey(e));
        }

        return surveys.OrderByDescending(s => s.CreatedAt).ToArray();
    }

    public async Task<bool> TryAddVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken) =>
        await (await Surveys(cancellationToken)).TryAddAsync(VersionEntity(surveyId, version, content), cancellationToken);

    public async Task<string?> VersionETagAsync(string surveyId, int version, CancellationToken cancellationToken) =>
        (await (await Surveys(cancellationToken)).FindAsync<TableEntity>(surveyId, VersionRow(version), cancellationToken))?.ETag.ToString();

    public async Task<bool> WriteVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken, string? ifMatch = null)
    {
        var table = await Surveys(cancellationToken);
        var entity = VersionEntity(surveyId, version, content);
        if (ifMatch is not null)
        {
            entity.ETag = new ETag(ifMatch);
            return await table.TryReplaceAsync(entity, cancellationToken);
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return true;
    }

    private static TableEntity VersionEntity(string surveyId, int version, SurveyContent content)
    {
        var entity = new TableEntity(surveyId, VersionRow(version));
        TableJsonColumns.Write(entity, "Content", JsonSerializer.Serialize(content, Json));
        return entity;
    }

    public async Task<SurveyContent?> GetVersionAsync(string surveyId, int version, CancellationToken cancellationToken) =>
        await (await Surveys(cancellationToken)).FindAsync<TableEntity>(surveyId, VersionRow(version), cancellationToken) is { } e ? Content(e, "Content") : null;

    public async Task<byte[]?> KeyAsync(string surveyId, bool create, CancellationToken cancellationToken)
    {
        var table = await Surveys(cancellationToken);
        if (await table.FindAsync<TableEntity>(surveyId, KeyRow, cancellationToken) is { } found)
        {
            return found.GetBinary("Key");
        }

        // Only an open survey gets a key: a closed one's key is gone for good, and never comes back.
        if (!create || await GetAsync(surveyId, cancellationToken) is not { Status: SurveyStatus.Published })
        {
            return null;
        }

        await table.TryAddAsync(new TableEntity(surveyId, KeyRow) { ["Key"] = RandomNumberGenerator.GetBytes(32) }, cancellationToken);
        return (await table.FindAsync<TableEntity>(surveyId, KeyRow, cancellationToken))?.GetBinary("Key");
    }

    public async Task DestroyKeyAsync(string surveyId, CancellationToken cancellationToken) =>
        await (await Surveys(cancellationToken)).DeleteEntityAsync(surveyId, KeyRow, ETag.All, cancellationToken);

    public async Task<bool> TryAddCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken) =>
        await (await Surveys(cancellationToken)).TryAddAsync(ToEntity(surveyId, campaign), cancellationToken);

    public async Task<IReadOnlyList<SurveyCampaign>> CampaignsAsync(string surveyId, CancellationToken cancellationToken)
    {
        var table = await Surveys(cancellationToken);
        var campaigns = new List<SurveyCampaign>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {CampaignPrefix} and RowKey lt {"campaign."}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            campaigns.Add(ToCampaign(e));
        }

        return campaigns.OrderBy(c => c.StartedAt).ToArray();
    }

    public async Task<bool> TryUpdateCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken)
    {
        var entity = ToEntity(surveyId, campaign);
        entity.ETag = new ETag(campaign.ETag!);
        return await (await Surveys(cancellationToken)).TryReplaceAsync(entity, cancellationToken);
    }

    // Responses, guards and cells.

    public async Task<string?> GuardAsync(SurveyWave wave, string pseudonym, CancellationToken cancellationToken) =>
        (await (await Responses(cancellationToken)).FindAsync<TableEntity>(wave.SurveyId, GuardRow(wave, pseudonym), cancellationToken))?.GetString("Response");

    public async Task<SurveyResponse?> GetAsync(SurveyWave wave, string responseId, CancellationToken cancellationToken) =>
        await (await Responses(cancellationToken)).FindAsync<TableEntity>(wave.SurveyId, ResponseRow(wave, responseId), cancellationToken) is { } e ? ToResponse(e) : null;

    public async Task<SurveyCell?> CellAsync(SurveyWave wave, Cohort cohort, CancellationToken cancellationToken) =>
        await (await Responses(cancellationToken)).FindAsync<TableEntity>(wave.SurveyId, CellRow(wave, cohort), cancellationToken) is { } e ? ToCell(e) : null;

    public async Task<SurveySave> TrySaveAsync(SurveyGuard? guard, SurveyResponse response, SurveyCell cell, CommentChanges comments, CancellationToken cancellationToken)
    {
        var wave = response.Wave;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, new TableEntity(wave.SurveyId, OpenRow) { ["Open"] = true }, ETag.All),
        };
        if (guard is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(wave.SurveyId, GuardRow(wave, guard.Pseudonym))
            {
                ["Response"] = response.ResponseId,
                [AnsweredOnColumn] = guard.AnsweredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));
        }

        actions.Add(Write(ToEntity(response), response.ETag));
        actions.Add(Write(ToEntity(cell), cell.ETag));
        actions.AddRange(comments.Put.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(c))));
        actions.AddRange(comments.Removed.Select(RemoveComment));
        if (await TrySubmitAsync(actions, cancellationToken))
        {
            return SurveySave.Saved;
        }

        // A 404 may also be a response the close deleted: the marker alone says whether the survey is closed.
        return await (await Responses(cancellationToken)).FindAsync<TableEntity>(wave.SurveyId, OpenRow, cancellationToken) is null
            ? SurveySave.Closed
            : SurveySave.Changed;

        static TableTransactionAction Write(TableEntity entity, string? etag) => etag is null
            ? new(TableTransactionActionType.Add, entity)
            : new(TableTransactionActionType.UpdateReplace, entity, new ETag(etag));
    }

    public async Task MarkOpenAsync(string surveyId, CancellationToken cancellationToken) =>
        await (await Responses(cancellationToken)).TryAddAsync(new TableEntity(surveyId, OpenRow) { ["Open"] = true }, cancellationToken);

    public async Task MarkClosedAsync(string surveyId, CancellationToken cancellationToken) =>
        await (await Responses(cancellationToken)).DeleteEntityAsync(surveyId, OpenRow, ETag.All, cancellationToken);

    public async Task<IReadOnlyList<SurveyCell>> CellsAsync(string surveyId, CancellationToken cancellationToken)
    {
        var cells = new List<SurveyCell>();
        await foreach (var e in Range(surveyId, "c-", null, cancellationToken))
        {
            cells.Add(ToCell(e));
        }

        return cells;
    }

    public async Task<SurveySnapshot?> SnapshotAsync(string surveyId, int version, CancellationToken cancellationToken) =>
        await (await Responses(cancellationToken)).FindAsync<TableEntity>(surveyId, SnapshotRow(version), cancellationToken) is { } e ? ToSnapshot(e) : null;

    public async Task<bool> TryReleaseAsync(SurveySnapshot snapshot, CancellationToken cancellationToken)
    {
        var table = await Responses(cancellationToken);
        var entity = ToEntity(snapshot);
        if (snapshot.ETag is null)
        {
            return await table.TryAddAsync(entity, cancellationToken);
        }

        entity.ETag = new ETag(snapshot.ETag);
        return await table.TryReplaceAsync(entity, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> RespondentsAsync(SurveyWave wave, bool anonymous, CancellationToken cancellationToken)
    {
        var prefix = anonymous ? GuardRow(wave, "") : ResponseRow(wave, "");
        var respondents = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in Range(wave.SurveyId, prefix, ["RowKey"], cancellationToken))
        {
            respondents.Add(e.RowKey[prefix.Length..]);
        }

        return respondents;
    }

    public async Task<IReadOnlyList<SurveyComment>> CommentsAsync(
        string surveyId, int version, string questionId, IReadOnlyCollection<string> waves, string? after, int take, CancellationToken cancellationToken)
    {
        if (waves.Count == 0)
        {
            return [];
        }

        var prefix = CommentRow(version, questionId, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey gt {prefix + (after ?? "")} and RowKey lt {prefix + "\uffff"}");
        // The service takes at most 15 comparisons in a filter (three are the range's): more waves are filtered here alone.
        if (waves.Count <= MaxWavesInFilter)
        {
            filter += " and (" + string.Join(" or ", waves.Select(w => TableClient.CreateQueryFilter($"Wave eq {w}"))) + ")";
        }

        // A filter the service applies while reading the range may end a page short of take: read on until it is full.
        var comments = new List<SurveyComment>(take);
        var table = await Responses(cancellationToken);
        await foreach (var e in table.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken))
        {
            if (!waves.Contains(e.GetString("Wave")))
            {
                continue;
            }

            comments.Add(ToComment(e));
            if (comments.Count == take)
            {
                break;
            }
        }

        return comments;
    }

    public async Task<IReadOnlyList<SurveyResponse>> OfAlumnusAsync(string surveyId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        var table = await Responses(cancellationToken);
        var found = new List<SurveyResponse>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and AlumnusId eq {alumnusId.Value}"), cancellationToken: cancellationToken))
        {
            found.Add(ToResponse(e));
        }

        return found;
    }

    public async Task<bool> TryDeleteAsync(SurveyResponse response, IReadOnlyList<SurveyComment> comments, CancellationToken cancellationToken) =>
        await TrySubmitAsync(
            [
                new(TableTransactionActionType.Delete, new TableEntity(response.Wave.SurveyId, ResponseRow(response.Wave, response.ResponseId)), new ETag(response.ETag!)),
                .. comments.Select(RemoveComment),
            ],
            cancellationToken);

    public async Task<int> DeleteGuardsAsync(string surveyId, Func<SurveyWave, string, bool>? whose, CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        await foreach (var e in Range(surveyId, "g-", ["RowKey"], cancellationToken))
        {
            if (whose is null || whose(WaveOf(surveyId, e.RowKey), e.RowKey[(e.RowKey.LastIndexOf('-') + 1)..]))
            {
                rows.Add(e.RowKey);
            }
        }

        await DeleteRowsAsync(surveyId, rows, cancellationToken);
        return rows.Count;
    }

    public async Task<int> ForgetRespondentsAsync(SurveyWave wave, CancellationToken cancellationToken)
    {
        // The guards first: a response no guard points to is found by nobody, whatever a run cut short leaves.
        var guards = new List<string>();
        await foreach (var e in Range(wave.SurveyId, GuardRow(wave, ""), ["RowKey"], cancellationToken))
        {
            guards.Add(e.RowKey);
        }

        await DeleteRowsAsync(wave.SurveyId, guards, cancellationToken);
        return guards.Count + await DeleteAnonymousResponsesAsync(wave.SurveyId, ResponseRow(wave, ""), cancellationToken);
    }

    public async Task<int> ForgetRespondentsBeforeAsync(SurveyWave wave, DateOnly answeredBefore, CancellationToken cancellationToken)
    {
        // Each response before its guard: a run cut short leaves at worst a guard whose response is gone, which the next
        // run finds and deletes again, never a response no guard leads to any more.
        var rows = new List<string>();
        await foreach (var e in Range(wave.SurveyId, GuardRow(wave, ""), ["RowKey", "Response", AnsweredOnColumn], cancellationToken))
        {
            if (e.GetString(AnsweredOnColumn) is { } day && DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) < answeredBefore)
            {
                rows.AddRange([ResponseRow(wave, e.GetString("Response")), e.RowKey]);
            }
        }

        await DeleteRowsAsync(wave.SurveyId, rows, cancellationToken);
        return rows.Count;
    }

    public Task<int> DeleteAnonymousResponsesAsync(string surveyId, CancellationToken cancellationToken) =>
        DeleteAnonymousResponsesAsync(surveyId, "r-", cancellationToken);

    /// <summary>The responses naming no alumnus among those whose keys start with <paramref name="prefix"/> (a survey's or a wave's).</summary>
    private async Task<int> DeleteAnonymousResponsesAsync(string surveyId, string prefix, CancellationToken cancellationToken)
    {
        // An attributed response names its alumnus: it stays, on the person's record, until their erasure.
        var rows = new List<string>();
        await foreach (var e in Range(surveyId, prefix, ["RowKey", "AlumnusId"], cancellationToken))
        {
            if (e.GetString("AlumnusId") is null)
            {
                rows.Add(e.RowKey);
            }
        }

        await DeleteRowsAsync(surveyId, rows, cancellationToken);
        return rows.Count;
    }

    /// <summary>
    /// Deletes the rows a hundred to a transaction; a transaction one of whose rows went meanwhile (a close run twice at
    /// once) is done row by row, each delete of a missing row succeeding, so a run is never stopped by another.
    /// </summary>
    private async Task DeleteRowsAsync(string surveyId, IReadOnlyList<string> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            try
            {
                await tables.SubmitAsync(AlumniTables.SurveyResponses,
                    chunk.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(surveyId, row), ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                var table = await Responses(cancellationToken);
                foreach (var row in chunk)
                {
                    await table.DeleteEntityAsync(surveyId, row, ETag.All, cancellationToken);
                }
            }
        }
    }

    /// <summary>Submits one transaction; false, and nothing written, when a row it is conditional on changed, appeared or went.</summary>
    private async Task<bool> TrySubmitAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await tables.SubmitAsync(AlumniTables.SurveyResponses, actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    private static TableTransactionAction RemoveComment(SurveyComment c) =>
        new(TableTransactionActionType.Delete, new TableEntity(c.Wave.SurveyId, CommentRow(c.Wave.Version, c.QuestionId, c.Key)), ETag.All);

    private Task<TableClient> Surveys(CancellationToken cancellationToken) => tables.GetAsync(AlumniTables.Surveys, cancellationToken);

    private Task<TableClient> Responses(CancellationToken cancellationToken) => tables.GetAsync(AlumniTables.SurveyResponses, cancellationToken);

    /// <summary>The rows of a survey's partition whose keys start with <paramref name="prefix"/>.</summary>
    private async IAsyncEnumerable<TableEntity> Range(string surveyId, string prefix, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await Responses(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {surveyId} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
        {
            yield return e;
        }
    }

    private static string VersionRow(int version) => string.Create(CultureInfo.InvariantCulture, $"v{version:D4}");

    private static string Of(SurveyWave wave) => string.Create(CultureInfo.InvariantCulture, $"{wave.Version:D4}-{wave.Wave}");

    private static string GuardRow(SurveyWave wave, string pseudonym) => $"g-{Of(wave)}-{pseudonym}";

    private static string ResponseRow(SurveyWave wave, string id) => $"r-{Of(wave)}-{id}";

    private static string CellRow(SurveyWave wave, Cohort cohort) => $"c-{Of(wave)}-{cohort.Key}";

    private static string SnapshotRow(int version) => string.Create(CultureInfo.InvariantCulture, $"s-{version:D4}");

    private static string CommentRow(int version, string questionId, string key) => string.Create(CultureInfo.InvariantCulture, $"t-{version:D4}-{questionId}-{key}");

    private static SurveyWave WaveOf(string surveyId, string rowKey)
    {
        var parts = rowKey.Split('-');
        return new SurveyWave(surveyId, int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }

    private static TableEntity ToEntity(Survey s)
    {
        var entity = new TableEntity(SurveyPartition, s.Id)
        {
            ["Status"] = s.Status.ToString(),
            ["Version"] = s.Version,
            ["CreatedAt"] = s.CreatedAt,
            ["CreatedBy"] = s.CreatedBy,
            ["UpdatedAt"] = s.UpdatedAt,
            ["PublishedAt"] = s.PublishedAt,
            ["ClosedAt"] = s.ClosedAt,
            ["LifecycleDoneThrough"] = s.LifecycleDoneThrough?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["CreateHash"] = s.CreateHash,
        };
        TableJsonColumns.Write(entity, "Draft", s.Draft is null ? null : JsonSerializer.Serialize(s.Draft, Json));
        TableJsonColumns.Write(entity, "Current", s.Current is null ? null : JsonSerializer.Serialize(s.Current, Json));
        return entity;
    }

    private static Survey ToSurvey(TableEntity e) => Survey.Restore(
        e.RowKey, Enum.Parse<SurveyStatus>(e.GetString("Status")), Content(e, "Draft"), e.GetInt32("Version") ?? 0, Content(e, "Current"),
        e.GetDateTimeOffset("CreatedAt")!.Value, e.GetString("CreatedBy"), e.GetDateTimeOffset("UpdatedAt")!.Value, e.GetDateTimeOffset("PublishedAt"),
        e.GetDateTimeOffset("ClosedAt"),
        e.GetString("LifecycleDoneThrough") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.ETag.ToString(),
        e.GetString("CreateHash"));

    private static SurveyContent? Content(TableEntity e, string name) =>
        TableJsonColumns.Read(e, name) is { } json ? JsonSerializer.Deserialize<SurveyContent>(json, Json) : null;

    private static TableEntity ToEntity(string surveyId, SurveyCampaign c) => new(surveyId, CampaignPrefix + c.CampaignId)
    {
        ["Version"] = c.Wave.Version,
        ["Wave"] = c.Wave.Wave,
        ["Day"] = c.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Reminder"] = c.Reminder,
        ["Audience"] = JsonSerializer.Serialize(c.Audience, Json),
        ["StartedAt"] = c.StartedAt,
        ["StartedBy"] = c.StartedBy,
        ["Sent"] = c.Sent,
        ["Settled"] = c.Settled,
        ["ReminderStarted"] = c.ReminderStarted,
    };

    private static SurveyCampaign ToCampaign(TableEntity e) => new(
        e.RowKey[CampaignPrefix.Length..],
        new SurveyWave(e.PartitionKey, e.GetInt32("Version")!.Value, e.GetString("Wave")),
        e.GetString("Day") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.GetBoolean("Reminder") ?? false,
        JsonSerializer.Deserialize<AudienceSegment>(e.GetString("Audience"), Json) ?? AudienceSegment.Everyone,
        e.GetDateTimeOffset("StartedAt")!.Value,
        e.GetString("StartedBy"),
        e.GetInt32("Sent") ?? 0,
        e.GetBoolean("Settled") ?? false,
        e.GetBoolean("ReminderStarted") ?? false,
        e.ETag.ToString());

    private static TableEntity ToEntity(SurveyResponse r)
    {
        var entity = CohortEntity(r.Wave.SurveyId, ResponseRow(r.Wave, r.ResponseId), r.Cohort);
        TableJsonColumns.Write(entity, "Answers", JsonSerializer.Serialize(r.Answers.Values, Json));
        entity["CommentKey"] = r.CommentKey;
        if (r.AlumnusId is { } alumnus)
        {
            (entity["AlumnusId"], entity["AnsweredAt"]) = (alumnus.Value, r.AnsweredAt);
        }

        return entity;
    }

    private static SurveyResponse ToResponse(TableEntity e) => new(
        WaveOf(e.PartitionKey, e.RowKey),
        e.RowKey[(e.RowKey.LastIndexOf('-') + 1)..],
        CohortOf(e),
        new SurveyAnswers(JsonSerializer.Deserialize<Dictionary<string, string[]>>(TableJsonColumns.Read(e, "Answers") ?? "{}", Json)!
            .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal)),
        e.GetString("AlumnusId") is { } alumnus ? AlumnusId.Parse(alumnus) : null,
        e.GetDateTimeOffset("AnsweredAt"),
        e.ETag.ToString(),
        e.GetString("CommentKey"));

    /// <summary>A comment row: the text and the wave; nothing of the person, in either mode.</summary>
    private static TableEntity ToEntity(SurveyComment c)
    {
        // No cohort: comments are never listed by group, and a row that named one would be a group's list in waiting.
        return new TableEntity(c.Wave.SurveyId, CommentRow(c.Wave.Version, c.QuestionId, c.Key)) { ["Wave"] = c.Wave.Wave, ["Text"] = c.Text };
    }

    private static SurveyComment ToComment(TableEntity e)
    {
        var parts = e.RowKey.Split('-');
        return new SurveyComment(
            new SurveyWave(e.PartitionKey, int.Parse(parts[1], CultureInfo.InvariantCulture), e.GetString("Wave")), parts[2], parts[3], e.GetString("Text") ?? "");
    }

    private static TableEntity ToEntity(SurveyCell c)
    {
        var entity = CohortEntity(c.Wave.SurveyId, CellRow(c.Wave, c.Cohort), c.Cohort);
        TableJsonColumns.Write(entity, "Tally", c.Tally.ToJson());
        return entity;
    }

    private static SurveyCell ToCell(TableEntity e) =>
        new(WaveOf(e.PartitionKey, e.RowKey), CohortOf(e), ResponseTally.FromJson(TableJsonColumns.Read(e, "Tally")), e.ETag.ToString());

    /// <summary>The cells as gzipped JSON over as many binary properties as it takes (<c>Cells0</c>, <c>Cells1</c>…).</summary>
    private static TableEntity ToEntity(SurveySnapshot s)
    {
        var entity = new TableEntity(s.SurveyId, SnapshotRow(s.Version)) { ["ReleasedAt"] = s.ReleasedAt, ["Responses"] = s.Responses, ["Changes"] = s.Changes, ["Final"] = s.Final };
        var cells = s.Cells.Select(c => new SnapshotCell(c.Wave.Wave, c.Cohort.DepartureYear, c.Cohort.Department, c.Cohort.Reason, c.Cohort.Tenure, c.Tally));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            JsonSerializer.Serialize(gzip, cells, Json);
        }

        var bytes = buffer.ToArray();
        for (var i = 0; i * SnapshotChunk < bytes.Length; i++)
        {
            entity[$"Cells{i}"] = bytes[(i * SnapshotChunk)..Math.Min(bytes.Length, (i + 1) * SnapshotChunk)];
        }

        return entity;
    }

    private static SurveySnapshot ToSnapshot(TableEntity e)
    {
        using var buffer = new MemoryStream();
        for (var i = 0; e.GetBinary($"Cells{i}") is { } chunk; i++)
        {
            buffer.Write(chunk);
        }

        buffer.Position = 0;
        using var gzip = new GZipStream(buffer, CompressionMode.Decompress);
        var version = int.Parse(e.RowKey[2..], CultureInfo.InvariantCulture);
        var cells = (buffer.Length == 0 ? null : JsonSerializer.Deserialize<SnapshotCell[]>(gzip, Json)) ?? [];
        return new SurveySnapshot(
            e.PartitionKey, version, e.GetDateTimeOffset("ReleasedAt")!.Value, e.GetInt64("Responses") ?? 0, e.GetInt64("Changes") ?? 0,
            cells.Select(c => new SurveyCell(new SurveyWave(e.PartitionKey, version, c.Wave), new Cohort(c.DepartureYear, c.Department, c.Reason, c.Tenure), c.Tally)).ToArray(),
            e.ETag.ToString(),
            e.GetBoolean("Final") ?? false);
    }

    private sealed record SnapshotCell(string Wave, int DepartureYear, string Department, DepartureReason Reason, TenureBand Tenure, ResponseTally Tally);

    private static TableEntity CohortEntity(string partition, string row, Cohort cohort) => new(partition, row)
    {
        ["DepartureYear"] = cohort.DepartureYear,
        ["Department"] = cohort.Department,
        ["Reason"] = cohort.Reason.ToString(),
        ["Tenure"] = cohort.Tenure.ToString(),
    };

    private static Cohort CohortOf(TableEntity e) => new(
        e.GetInt32("DepartureYear") ?? 0, e.GetString("Department") ?? "",
        Enum.TryParse<DepartureReason>(e.GetString("Reason"), out var reason) ? reason : DepartureReason.Other,
        Enum.TryParse<TenureBand>(e.GetString("Tenure"), out var tenure) ? tenure : TenureBand.Unknown);
}
