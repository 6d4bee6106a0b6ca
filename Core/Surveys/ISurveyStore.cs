using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// A campaign the survey started: which wave it is, when, for whom, and (once it settled) how many people it reached.
/// The survey's own index of its campaigns, so results count who was asked without listing every campaign, reminders
/// find what they remind of, and a start cut off by a crash is completed by the next run.
/// </summary>
/// <param name="Sent">People the campaign reached, as of <see cref="Settled"/>.</param>
/// <param name="Settled">The campaign is done: <see cref="Sent"/> no longer changes.</param>
/// <param name="ReminderStarted">Its reminder has been started (never for a reminder itself).</param>
public sealed record SurveyCampaign(
    string CampaignId, SurveyWave Wave, DateOnly? Day, bool Reminder, AudienceSegment Audience, DateTimeOffset StartedAt, string StartedBy,
    int Sent = 0, bool Settled = false, bool ReminderStarted = false, string? ETag = null);

/// <summary>Surveys, their published versions, their campaigns and their pseudonym keys (table <c>Surveys</c>).</summary>
public interface ISurveyStore
{
    /// <summary>Inserts the survey; false (nothing written) when a survey with its id is there.</summary>
    Task<bool> TryAddAsync(Survey survey, CancellationToken cancellationToken);

    Task<Survey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Writes the survey if unchanged since read (ETag); false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(Survey survey, CancellationToken cancellationToken);

    /// <summary>Every survey, newest first.</summary>
    Task<IReadOnlyList<Survey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes a published version unless one is stored under its number (answered <c>false</c>): either a publish that
    /// won the survey row already wrote it (and a slower, stale attempt must not replace it), or one cut short left
    /// its draft there, which nothing reads until the survey row names the version.
    /// </summary>
    Task<bool> TryAddVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken);

    /// <summary>The ETag of the row stored under the version's number, or null when there is none.</summary>
    Task<string?> VersionETagAsync(string surveyId, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a version, replacing what is stored under its number: the publish writes the survey row's
    /// <see cref="Survey.Current"/> again once that row names it (which never changes after), and replaces a draft
    /// left by an attempt cut short while no row names it, only as read (<paramref name="ifMatch"/>): false, and nothing
    /// written, when a concurrent publish wrote that row since.
    /// </summary>
    /// <param name="ifMatch">The ETag the row was read with; null: whatever is stored.</param>
    Task<bool> WriteVersionAsync(string surveyId, int version, SurveyContent content, CancellationToken cancellationToken, string? ifMatch = null);

    Task<SurveyContent?> GetVersionAsync(string surveyId, int version, CancellationToken cancellationToken);

    /// <summary>The survey's pseudonym key (anonymous surveys), created on first use; null once destroyed or for a closed survey.</summary>
    Task<byte[]?> KeyAsync(string surveyId, bool create, CancellationToken cancellationToken);

    /// <summary>Destroys the pseudonym key for good; harmless when it is gone.</summary>
    Task DestroyKeyAsync(string surveyId, CancellationToken cancellationToken);

    /// <summary>Records a campaign unless recorded; false (nothing changed) when it was.</summary>
    Task<bool> TryAddCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken);

    Task<IReadOnlyList<SurveyCampaign>> CampaignsAsync(string surveyId, CancellationToken cancellationToken);

    /// <summary>Writes the campaign record if unchanged since read (ETag).</summary>
    Task<bool> TryUpdateCampaignAsync(string surveyId, SurveyCampaign campaign, CancellationToken cancellationToken);
}

/// <summary>One stored response: its answers and its cohort; the person only in an attributed survey.</summary>
/// <param name="ResponseId">Random in an anonymous survey; the alumnus id in an attributed one.</param>
/// <param name="CommentKey">Random, given with the first answer: the secret the keys of the response's comment rows are derived from (<see cref="SurveyComments"/>).</param>
public sealed record SurveyResponse(
    SurveyWave Wave, string ResponseId, Cohort Cohort, SurveyAnswers Answers, AlumnusId? AlumnusId, DateTimeOffset? AnsweredAt, string? ETag = null, string? CommentKey = null);

/// <summary>
/// The guard a first anonymous answer writes: the respondent's pseudonym of the wave, and the UTC day of that first
/// answer, by which the daily run tells when every link the person could hold for the wave has expired (ADR 0025). The
/// day says less than the row's own timestamp, which the table keeps anyway.
/// </summary>
public sealed record SurveyGuard(string Pseudonym, DateOnly AnsweredOn);

/// <summary>What a save of an answer came to.</summary>
public enum SurveySave
{
    Saved,

    /// <summary>A row it was conditional on changed, appeared or went meanwhile: nothing written; read again and retry.</summary>
    Changed,

    /// <summary>The survey's open marker is gone (the close deletes it first): nothing written, and nothing will be.</summary>
    Closed,
}

/// <summary>
/// Responses, the guards that keep anonymous ones to one per person, the aggregate cells and the free-text answers'
/// comment rows (table <c>SurveyResponses</c>, one partition per survey so that an answer, its guard, its cell and its
/// comments change together).
/// </summary>
public interface ISurveyResponseStore
{
    /// <summary>The response an anonymous respondent's guard points to, or null when they have not answered the wave.</summary>
    Task<string?> GuardAsync(SurveyWave wave, string pseudonym, CancellationToken cancellationToken);

    Task<SurveyResponse?> GetAsync(SurveyWave wave, string responseId, CancellationToken cancellationToken);

    Task<SurveyCell?> CellAsync(SurveyWave wave, Cohort cohort, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the guard (when <paramref name="guard"/> is given: a first anonymous answer), the response
    /// (added when it has no ETag, else replaced if unchanged), its cell (the same) and its comment rows (written or
    /// removed as <paramref name="comments"/> says), on condition that the survey's open marker is there.
    /// <see cref="SurveySave.Changed"/>, and nothing written, when any of them changed or appeared meanwhile;
    /// <see cref="SurveySave.Closed"/> when the marker is gone.
    /// </summary>
    Task<SurveySave> TrySaveAsync(SurveyGuard? guard, SurveyResponse response, SurveyCell cell, CommentChanges comments, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the survey's open marker unless it is there: the publish writes it, and an answer to an open survey
    /// published before markers existed (ADR 0025). Every save is conditional on it.
    /// </summary>
    Task MarkOpenAsync(string surveyId, CancellationToken cancellationToken);

    /// <summary>Deletes the open marker, so that every save from then on answers <see cref="SurveySave.Closed"/>; harmless when gone.</summary>
    Task MarkClosedAsync(string surveyId, CancellationToken cancellationToken);

    /// <summary>Every cell of the survey, of every version and wave.</summary>
    Task<IReadOnlyList<SurveyCell>> CellsAsync(string surveyId, CancellationToken cancellationToken);

    /// <summary>The version's released snapshot (ADR 0035), or null before its first release.</summary>
    Task<SurveySnapshot?> SnapshotAsync(string surveyId, int version, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the snapshot as the version's released one: added when it has no ETag, else replacing the one read if
    /// unchanged since. False, and nothing written, when another release came first.
    /// </summary>
    Task<bool> TryReleaseAsync(SurveySnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>Who answered the wave: the guards' pseudonyms (anonymous) or the response ids, i.e. alumnus ids (attributed).</summary>
    Task<IReadOnlySet<string>> RespondentsAsync(SurveyWave wave, bool anonymous, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> free-text answers to one question of one version, in the order of their keys and
    /// after <paramref name="after"/> (a key), of the <paramref name="waves"/> named (none: nothing): one range read. Never
    /// by cohort (ADR 0026): the same text in several groups' lists would give its writer's whole cohort away.
    /// </summary>
    Task<IReadOnlyList<SurveyComment>> CommentsAsync(
        string surveyId, int version, string questionId, IReadOnlyCollection<string> waves, string? after, int take, CancellationToken cancellationToken);

    /// <summary>An attributed survey's responses of one person.</summary>
    Task<IReadOnlyList<SurveyResponse>> OfAlumnusAsync(string surveyId, AlumnusId alumnusId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a response and its comment rows in one transaction if the response is unchanged since read (ETag); its
    /// cell keeps counting it. False, and nothing deleted, when it changed or is gone.
    /// </summary>
    Task<bool> TryDeleteAsync(SurveyResponse response, IReadOnlyList<SurveyComment> comments, CancellationToken cancellationToken);

    /// <summary>Deletes every guard of the survey, or only those <paramref name="whose"/> picks by wave and pseudonym; returns how many went.</summary>
    Task<int> DeleteGuardsAsync(string surveyId, Func<SurveyWave, string, bool>? whose, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the wave's guards, then its responses that name no alumnus (leaving its cells and comment rows): what
    /// linked an anonymous answer to its author once the wave can no longer be answered. Returns how many rows went.
    /// Harmless to run again, or while another run deletes the same rows.
    /// </summary>
    Task<int> ForgetRespondentsAsync(SurveyWave wave, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the wave's guards whose first answer was given on a day before <paramref name="answeredBefore"/>, each
    /// with the anonymous response it points to (its cells and comment rows stay): who answered the campaigns of a
    /// lifecycle wave whose links expired, while later campaigns of the wave run on. A guard that records no day
    /// (written before guards did) stays. Returns how many rows went. Harmless to run again, or while another run
    /// deletes the same rows.
    /// </summary>
    Task<int> ForgetRespondentsBeforeAsync(SurveyWave wave, DateOnly answeredBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every response of the survey that names no alumnus (its anonymous ones), leaving their cells and comment
    /// rows; returns how many went. Harmless to run again, or while another run deletes the same rows.
    /// </summary>
    Task<int> DeleteAnonymousResponsesAsync(string surveyId, CancellationToken cancellationToken);
}
