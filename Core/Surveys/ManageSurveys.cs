using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>The audit actions of the survey admin APIs (ids only).</summary>
public static class SurveyAuditActions
{
    public const string Created = "survey.created";
    public const string Edited = "survey.edited";
    public const string Published = "survey.published";
    public const string Closed = "survey.closed";
    public const string WaveStarted = "survey.wave.started";
}

/// <summary>A wave's campaign as admins see it: who was asked how (counts), never who.</summary>
public sealed record SurveyWaveView(string CampaignId, int Version, string Wave, DateOnly? Day, bool Reminder, DateTimeOffset StartedAt, int Sent, bool Settled)
{
    public static SurveyWaveView From(SurveyCampaign c) => new(c.CampaignId, c.Wave.Version, c.Wave.Wave, c.Day, c.Reminder, c.StartedAt, c.Sent, c.Settled);
}

public sealed record SurveyView(
    string Id, SurveyStatus Status, SurveyMode Mode, int Version, SurveyContent? Current, SurveyContent? Draft,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ClosedAt, IReadOnlyList<SurveyWaveView> Waves)
{
    public static SurveyView From(Survey s, IReadOnlyList<SurveyCampaign>? campaigns = null) => new(
        s.Id, s.Status, s.Shown.Mode, s.Version, s.Current, s.Draft, s.CreatedAt, s.UpdatedAt, s.PublishedAt, s.ClosedAt,
        (campaigns ?? []).Select(SurveyWaveView.From).ToArray());
}

/// <param name="IsNew">False when a wave of this name had been started before (the call changed nothing).</param>
public sealed record StartedWave(SurveyWaveView Wave, bool IsNew);

/// <summary>
/// Admin: create, edit, publish and close surveys, and start ad-hoc waves. A published version never changes: an edit
/// writes the draft of the next version, which publishing makes live (answers keep the version they answered). The
/// version row is written before the survey row names it, and an anonymous survey's key before its first wave, so a
/// crash between two writes leaves nothing that points at what is missing. Closing refuses answers first, then destroys
/// the guards, the anonymous responses and the pseudonym key (ADR 0025). Every change is audited, ids only.
/// </summary>
public sealed partial class ManageSurveys(
    ISurveyStore surveys,
    ISurveyResponseStore responses,
    ICampaigns campaigns,
    IAuditLog audit,
    IdempotentCreates creates,
    IOptions<OutreachOptions> outreach,
    TimeProvider time,
    ILogger<ManageSurveys> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>
    /// The rule an ad-hoc wave breaks by taking a name a wave of another version has (<see cref="ConflictCode.WaveNameUsed"/>):
    /// the wave would go to no one that wave asked (<see cref="SurveyWaveComposer"/> knows a wave by its name alone).
    /// </summary>
    public static readonly FieldError WaveNameUsed = new("name",
        "must not be the name of a wave of another version of this survey: the wave would skip everyone that wave asked; nothing was started");

    /// <summary>
    /// The rule a repeat of an ad-hoc wave breaks by naming another audience (<see cref="ConflictCode.WaveAudienceDiffers"/>):
    /// a repeat starts nothing, so the wave would silently not go to the audience the admin asked for.
    /// </summary>
    public static readonly FieldError WaveAudienceDiffers = new("audience",
        "must be the audience the wave of this name was started with: a repeat starts nothing; give a wave for another audience a new name; nothing was started");

    /// <summary>
    /// The rule an edit or publish breaks once the survey has its last version (<see cref="ConflictCode.LastVersion"/>,
    /// <see cref="Survey.HasLastVersion"/>): a next version's waves could not be read back from their campaign ids and links.
    /// </summary>
    public static readonly FieldError LastVersion = new("version",
        $"is {SurveyCampaigns.MaxVersion}, the last a survey can have (wave campaign ids and links hold three digits of it); create a new survey instead; nothing was saved");

    public const string CreateKind = "survey";

    /// <summary>
    /// The rule a publish breaks when the draft's closing time has passed (<see cref="ConflictCode.ClosingTimePassed"/>): the
    /// version would be live and closed at once, and the daily run would close the survey for good (a close is final).
    /// </summary>
    public static readonly FieldError ClosingTimePassed = new("closesAt",
        "of the draft has passed: published, the survey would close for good at once (a close is final); edit the draft's closesAt first; nothing was published");

    /// <param name="key">With a key, a repeat of the same create finds the first survey and changes nothing (ADR 0037).</param>
    public async Task<AdminOutcome<SurveyView>> CreateAsync(ReadOnlyMemory<byte> body, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (content, errors) = SurveyDraft.Parse(body.Span, now, outreach.Value.QuietPeriodDays);
        if (content is null)
        {
            return new AdminOutcome<SurveyView>.Invalid(errors);
        }

        var keyed = creates.Of(CreateKind, actor, key, body.Span);
        Task<AdminOutcome<SurveyView>?> RepeatOfStored() => KeyedCreate.RepeatOfStoredAsync(
            keyed, id => surveys.GetAsync(id, cancellationToken), s => s.CreateHash, async s => SurveyView.From(s, await surveys.CampaignsAsync(s.Id, cancellationToken)));
        if (await RepeatOfStored() is { } repeat)
        {
            return repeat;
        }

        var survey = Survey.Create(content, actor, now, keyed);
        var entry = new AuditEntry(now, actor, SurveyAuditActions.Created, survey.Id, $"mode={content.Mode}; questions={content.Questions.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        if (!await surveys.TryAddAsync(survey, cancellationToken))
        {
            // A repeat of this create (same key) was added between the read above and this insert: this one created nothing.
            return await KeyedCreate.NotSavedAsync(
                audit, KeyedCreate.NotSaved(entry, CreateKind, survey.Id, time.GetUtcNow()), RepeatOfStored, new AdminOutcome<SurveyView>.Conflict(), cancellationToken);
        }

        LogChanged(survey.Id, "created");
        return new AdminOutcome<SurveyView>.Done(SurveyView.From(survey));
    }

    public async Task<AdminOutcome<SurveyView>> GetAsync(string id, CancellationToken cancellationToken) =>
        Survey.IsId(id) && await surveys.GetAsync(id, cancellationToken) is { } survey
            ? new AdminOutcome<SurveyView>.Done(SurveyView.From(survey, await surveys.CampaignsAsync(id, cancellationToken)))
            : new AdminOutcome<SurveyView>.NotFound();

    public async Task<IReadOnlyList<SurveyView>> ListAsync(CancellationToken cancellationToken) =>
        (await surveys.ListAsync(cancellationToken)).Select(s => SurveyView.From(s)).ToArray();

    /// <param name="seen">The version the edit was built on: when the survey changed since (another admin's edit, a publish),
    /// nothing is written or audited, rather than one admin's draft silently replacing the other's. Null: any.</param>
    public async Task<AdminOutcome<SurveyView>> EditAsync(string id, ReadOnlyMemory<byte> body, RecordVersion? seen, string actor, CancellationToken cancellationToken)
    {
        var (content, errors) = SurveyDraft.Parse(body.Span, time.GetUtcNow(), outreach.Value.QuietPeriodDays);
        return content is null
            ? new AdminOutcome<SurveyView>.Invalid(errors)
            : await ChangeAsync(id, actor, SurveyAuditActions.Edited, (survey, now) => Task.FromResult<AdminOutcome<SurveyView>?>(
                seen is { } version && !version.Matches(survey.UpdatedAt) ? new AdminOutcome<SurveyView>.Stale()
                : survey.Status != SurveyStatus.Closed && survey.HasLastVersion ? LastVersionReached()
                : survey.Edit(content, now) is { } refusal ? new AdminOutcome<SurveyView>.Conflict(refusal)
                : null), cancellationToken);
    }

    /// <param name="seen">The version of the draft the admin reviewed: when it was edited since, nothing is published (the
    /// wave's emails would carry text nobody reviewed). With no draft left to publish the call changes nothing, whatever the
    /// version, so a double submit is harmless. Null: any.</param>
    public Task<AdminOutcome<SurveyView>> PublishAsync(string id, RecordVersion? seen, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, SurveyAuditActions.Published, async (survey, now) =>
        {
            if (survey.Status == SurveyStatus.Closed)
            {
                return new AdminOutcome<SurveyView>.Conflict("The survey is closed; it can no longer be published.");
            }

            if (survey.Draft is not null && seen is { } version && !version.Matches(survey.UpdatedAt))
            {
                return new AdminOutcome<SurveyView>.Stale();
            }

            if (survey.Draft is not null && survey.HasLastVersion)
            {
                return LastVersionReached();
            }

            if (survey.Draft is { ClosesAt: { } closes } && closes <= now)
            {
                return new AdminOutcome<SurveyView>.Conflict($"{ClosingTimePassed.Field} {ClosingTimePassed.Rule}", ConflictCode.ClosingTimePassed);
            }

            if (survey.Publish(now) is { } published
                && !await surveys.TryAddVersionAsync(survey.Id, published.Version, published.Content, cancellationToken)
                && await surveys.VersionETagAsync(survey.Id, published.Version, cancellationToken) is { } read
                && await surveys.GetAsync(survey.Id, cancellationToken) is { } stored && stored.Version < published.Version)
            {
                // Left by an attempt that lost the survey row and never came back: no row names it yet. One the row names
                // already (a concurrent publish won while this one was slow) stays; this attempt loses the row and retries.
                // Replaced only as read before that check: a concurrent publish that replaced it since, and may be about to
                // name it, keeps it, and this attempt goes on as one that lost it (whichever row wins is written again after).
                await surveys.WriteVersionAsync(survey.Id, published.Version, published.Content, cancellationToken, ifMatch: read);
            }

            return null;
        }, cancellationToken, after: async survey =>
        {
            // The version the stored survey row names, written again from that row: two attempts that both found a
            // draft left by an earlier one cut short may both have replaced it (the version is written before the row,
            // so that a crash between the two leaves no row naming a missing version).
            if (survey.Current is { } current)
            {
                await surveys.WriteVersionAsync(survey.Id, survey.Version, current, cancellationToken);
            }

            // Answers are saved only while the open marker is there (the close deletes it first, ADR 0025); not written back
            // for a survey closed since this publish saved its row.
            var open = await SurveyOpenMarker.MarkIfOpenAsync(surveys, responses, survey.Id, time, cancellationToken);

            // The key is made once the survey row says it is published (the store makes none for any other), before the
            // admin can start a wave; an answer arriving first would make it too.
            if (open && survey.Current?.Mode == SurveyMode.Anonymous)
            {
                await surveys.KeyAsync(survey.Id, create: true, cancellationToken);
            }
        });

    private static AdminOutcome<SurveyView>.Conflict LastVersionReached() => new($"{LastVersion.Field} {LastVersion.Rule}", ConflictCode.LastVersion);

    public Task<AdminOutcome<SurveyView>> CloseAsync(string id, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, SurveyAuditActions.Closed, (survey, now) =>
        {
            survey.Close(now);
            return Task.FromResult<AdminOutcome<SurveyView>?>(null);
        }, cancellationToken, after: survey => DestroyPseudonymsAsync(survey.Id, cancellationToken));

    /// <summary>
    /// First the open marker, so that no answer lands from then on (one read as open before the close, saved after its
    /// guard went, would be counted again beside the answer its cell still counts); then the guards, the anonymous
    /// response rows and the key of a closed survey go for good: a response row keeps its
    /// author's full cohort beside all their answers, which anyone who can read the tables could join to the alumni
    /// records, so only what the results read stays: the cells (counts per wave and cohort) and the comment rows (text and
    /// wave, no cohort). Each step deletes whatever is left, so a close cut short is finished by running it again: by the admin's
    /// close, repeated, or by the daily wave run for recently closed surveys, which also takes what an answer already
    /// under way at the close wrote.
    /// </summary>
    public async Task DestroyPseudonymsAsync(string surveyId, CancellationToken cancellationToken)
    {
        await responses.MarkClosedAsync(surveyId, cancellationToken);
        var guards = await responses.DeleteGuardsAsync(surveyId, null, cancellationToken);
        var anonymous = await responses.DeleteAnonymousResponsesAsync(surveyId, cancellationToken);
        await surveys.DestroyKeyAsync(surveyId, cancellationToken);
        LogPseudonymsDestroyed(surveyId, guards, anonymous);
    }

    /// <summary>
    /// Admin: sends the live version now to a segment, as an ad-hoc wave named by the admin (so repeating the call starts it
    /// once); a name a wave of another version has is refused (<see cref="WaveNameUsed"/>), before anything is audited or written,
    /// and so is a repeat with another audience (<see cref="WaveAudienceDiffers"/>; after the not-saved entry when the wave
    /// was recorded between the read and this start's insert).
    /// </summary>
    public async Task<AdminOutcome<StartedWave>> StartWaveAsync(string id, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var (request, errors) = WaveRequest.Parse(body.Span);
        if (request is null)
        {
            return new AdminOutcome<StartedWave>.Invalid(errors);
        }

        if (!Survey.IsId(id) || await surveys.GetAsync(id, cancellationToken) is not { } survey)
        {
            return new AdminOutcome<StartedWave>.NotFound();
        }

        var now = time.GetUtcNow();
        if (!survey.IsOpenAt(now))
        {
            return new AdminOutcome<StartedWave>.Conflict(survey.Status == SurveyStatus.Draft ? "The survey is not published yet." : "The survey is closed.");
        }

        var wave = new SurveyWave(id, survey.Version, SurveyWave.AdHocKey(request.Name));
        var named = (await surveys.CampaignsAsync(id, cancellationToken)).Where(c => !c.Reminder && c.Wave.Wave == wave.Wave).ToArray();
        var existing = named.FirstOrDefault(c => c.Wave.Version == wave.Version);
        if (existing is null && named.Length > 0)
        {
            return new AdminOutcome<StartedWave>.Conflict($"{WaveNameUsed.Field} {WaveNameUsed.Rule}", ConflictCode.WaveNameUsed);
        }

        var record = existing ?? new SurveyCampaign(SurveyCampaigns.IdOf(wave), wave, null, false, request.Audience, now, actor);
        var isNew = existing is null && await TryAddWaveAsync(id, record, actor, now, cancellationToken);
        if (existing is null && !isNew)
        {
            // Another start of the same name was recorded between the read and the insert: that one is the wave, as for a repeat.
            record = (await surveys.CampaignsAsync(id, cancellationToken)).FirstOrDefault(c => c.CampaignId == record.CampaignId) ?? record;
        }

        if (!isNew && !record.Audience.SameAs(request.Audience))
        {
            return new AdminOutcome<StartedWave>.Conflict($"{WaveAudienceDiffers.Field} {WaveAudienceDiffers.Rule}", ConflictCode.WaveAudienceDiffers);
        }

        var start = await StartCampaignAsync(record, cancellationToken);
        return start is CampaignStart.Invalid invalid
            ? new AdminOutcome<StartedWave>.Invalid(invalid.Errors)
            : new AdminOutcome<StartedWave>.Done(new StartedWave(SurveyWaveView.From(record), isNew));
    }

    /// <summary>
    /// Audited first (ADR 0005), then inserted; an insert refused because another start of the same name was recorded
    /// meanwhile is followed by its not-saved entry, so the log keeps one started entry standing per wave.
    /// </summary>
    private async Task<bool> TryAddWaveAsync(string id, SurveyCampaign record, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entry = new AuditEntry(now, actor, SurveyAuditActions.WaveStarted, id, $"campaign={record.CampaignId}");
        await audit.WriteAsync(entry, cancellationToken);
        if (await surveys.TryAddCampaignAsync(id, record, cancellationToken))
        {
            return true;
        }

        await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
        return false;
    }

    /// <summary>Starts a recorded campaign through the engine (idempotent on its id): the campaign's source is its own id.</summary>
    public Task<CampaignStart> StartCampaignAsync(SurveyCampaign record, CancellationToken cancellationToken) =>
        campaigns.StartAsync(new CampaignRequest(record.CampaignId, CampaignKind.Survey, record.CampaignId, record.Audience, record.StartedBy), cancellationToken);

    /// <summary>Read, decide (null, or the outcome that refuses it), audit, write with the ETag; again from the start when someone else wrote first.</summary>
    private async Task<AdminOutcome<SurveyView>> ChangeAsync(string id, string actor, string action, Func<Survey, DateTimeOffset, Task<AdminOutcome<SurveyView>?>> decide,
        CancellationToken cancellationToken, Func<Survey, Task>? after = null)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!Survey.IsId(id) || await surveys.GetAsync(id, cancellationToken) is not { } survey)
            {
                return new AdminOutcome<SurveyView>.NotFound();
            }

            var now = time.GetUtcNow();
            var before = (survey.Status, survey.Version, survey.UpdatedAt);
            if (await decide(survey, now) is { } refusal)
            {
                return refusal;
            }

            if (before != (survey.Status, survey.Version, survey.UpdatedAt))
            {
                // Audited before each attempt's write (ADR 0005); an attempt lost to another write is followed by its
                // not-saved entry, so every entry left standing was saved.
                var entry = new AuditEntry(now, actor, action, id, $"status={survey.Status}; version={survey.Version}");
                await audit.WriteAsync(entry, cancellationToken);
                if (!await surveys.TryUpdateAsync(survey, cancellationToken))
                {
                    await audit.WriteAsync(UnsavedChange.NotSaved(entry, time.GetUtcNow()), cancellationToken);
                    continue;
                }

                LogChanged(id, action);
            }

            if (after is not null)
            {
                await after(survey);
            }

            return new AdminOutcome<SurveyView>.Done(SurveyView.From(survey, await surveys.CampaignsAsync(id, cancellationToken)));
        }

        return new AdminOutcome<SurveyView>.Conflict();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId}: {Change}")]
    private partial void LogChanged(string surveyId, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey {SurveyId}: pseudonym key destroyed with {Guards} guards and {Responses} anonymous responses")]
    private partial void LogPseudonymsDestroyed(string surveyId, int guards, int responses);

    /// <summary>What an admin posts to start an ad-hoc wave: <c>{ "name": "spring27", "audience": { … } }</c>.</summary>
    private sealed record WaveRequest(string Name, AudienceSegment Audience)
    {
        public static (WaveRequest? Request, IReadOnlyList<FieldError> Errors) Parse(ReadOnlySpan<byte> body)
        {
            var (document, problems) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
            if (document is null)
            {
                return (null, problems);
            }

            using (document)
            {
                var reader = new Reader();
                var request = reader.Read(document.RootElement);
                return reader.Errors.Count > 0 ? (null, reader.Errors) : (request, reader.Errors);
            }
        }

        private sealed class Reader : JsonObjectReader
        {
            public WaveRequest? Read(JsonElement root)
            {
                if (Fields(root, "", "name", "audience") is not { } fields)
                {
                    return null;
                }

                var name = Text(Get(fields, "name"), "name", 10, required: true);
                if (name is not null && !SurveyWave.IsAdHocName(name))
                {
                    Errors.Add(new FieldError("name", "must be 1-10 lower-case letters or digits, e.g. spring27"));
                }

                var audience = this.Audience(Get(fields, "audience"), "audience") ?? AudienceSegment.Everyone;
                return Errors.Count > 0 ? null : new WaveRequest(name!, audience);
            }
        }
    }
}
