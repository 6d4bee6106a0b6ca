using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;

namespace AlumniNetwork.Core.Campaigns;

/// <param name="CampaignId">Chosen by the feature and stable (e.g. <c>event-{id}-invitation</c>): starting the same
/// campaign twice starts it once. Lower-case letters, digits and '-' only, at most 60 characters.</param>
/// <param name="SourceId">What the campaign is about (event id, newsletter issue id, survey wave id, opening id); handed
/// to the kind's composer.</param>
/// <param name="RequestedBy">Who started it (an admin's subject id, or <c>timer</c>); for the audit trail, no personal data.</param>
public sealed record CampaignRequest(string CampaignId, CampaignKind Kind, string SourceId, AudienceSegment Audience, string RequestedBy);

public enum CampaignStatus
{
    /// <summary>The audience is being resolved into batches.</summary>
    Planning,

    /// <summary>Every batch is planned; some are still being sent.</summary>
    Sending,

    /// <summary>Every batch has been handled.</summary>
    Completed,

    /// <summary>Stopped before every batch was sent (say, the event was cancelled); unsent batches send nothing.</summary>
    Stopped,
}

/// <summary>
/// What admins see of a campaign. Counts are of people, each counted once: <see cref="AudienceSize"/> = skipped (all
/// reasons) + <see cref="Sent"/> + <see cref="Failed"/> + <see cref="Pending"/>. Engagement comes from the provider's events.
/// </summary>
/// <param name="AudienceSize">People in the segment when the campaign was planned.</param>
/// <param name="Skipped">
/// People the outreach gate refused, by reason (<c>no-consent:Events</c>, <c>cap</c>, <c>quiet-period</c>…), and those who got
/// no mail because they were erased (<see cref="ErasedReason"/>) or the campaign stopped (<see cref="StoppedReason"/>) first.
/// </param>
/// <param name="Pending">Not yet sent, failed or skipped: waiting for a batch, in flight, or in a batch given back for another attempt.</param>
public sealed record CampaignProgress(
    string CampaignId,
    CampaignKind Kind,
    string SourceId,
    CampaignStatus Status,
    DateTimeOffset StartedAt,
    int AudienceSize,
    IReadOnlyDictionary<string, int> Skipped,
    int Sent,
    int Failed,
    int Pending,
    int Delivered,
    int Opened,
    int Clicked,
    int Batches,
    int BatchesDone)
{
    /// <summary>Recipients of a finished batch who were erased before it was sent to them.</summary>
    public const string ErasedReason = "erased";

    /// <summary>Recipients of a batch the campaign's stop left unsent, and those a stop during planning left waiting for one.</summary>
    public const string StoppedReason = "stopped";
}

public abstract record CampaignStart
{
    private CampaignStart() { }

    /// <param name="IsNew">False when the campaign had been started before (the call changed nothing).</param>
    public sealed record Started(string CampaignId, bool IsNew) : CampaignStart;

    /// <summary>The request is malformed (bad id, no composer for the kind); nothing was stored.</summary>
    public sealed record Invalid(IReadOnlyList<Validation.FieldError> Errors) : CampaignStart;
}

/// <summary>
/// The campaign engine: the one path for every bulk email. Starting a campaign resolves its audience page by page and
/// fans out one message per batch of up to 1,000 recipients; each batch asks the outreach gate per person, claims the
/// Sends ledger and makes one provider request. Transactional one-to-one mail (confirmations, reminders) does not
/// come here: it takes <see cref="Outreach.OutreachSender"/>.
/// </summary>
public interface ICampaigns
{
    Task<CampaignStart> StartAsync(CampaignRequest request, CancellationToken cancellationToken);

    /// <summary>Stops sending batches not yet sent; harmless when the campaign is unknown, done or stopped.</summary>
    Task StopAsync(string campaignId, CancellationToken cancellationToken);

    Task<CampaignProgress?> GetProgressAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>The most recent campaigns with their progress, newest first.</summary>
    Task<IReadOnlyList<CampaignProgress>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The mail exactly as a recipient would get it (footer included), for an admin preview (<see cref="ICampaignComposer.LoadForPreviewAsync"/>).</summary>
    /// <returns>Null when the kind's composer finds no such source.</returns>
    Task<EmailMessage?> PreviewAsync(CampaignKind kind, string sourceId, Alumnus sample, CancellationToken cancellationToken);
}
