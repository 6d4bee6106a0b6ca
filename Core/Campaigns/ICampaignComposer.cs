using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The content of one language, shared by every recipient of that language. <c>{{key}}</c> placeholders are filled per
/// recipient from <see cref="ICampaignMail.Values"/>; the engine escapes each value for HTML in <see cref="Html"/>, so
/// composers pass plain text. The engine adds the refusal footer and the one-click unsubscribe headers.
/// </summary>
public sealed record MailTemplate(string Subject, string Html, string Text);

/// <summary>
/// Renders the mails of one kind of campaign (event invitations, newsletters, survey waves, openings). A feature
/// registers one composer for its <see cref="CampaignKind"/>; the campaign engine does everything else (audience,
/// outreach gate, Sends ledger, batching, the provider).
/// </summary>
public interface ICampaignComposer
{
    CampaignKind Kind { get; }

    /// <summary>Loads what the campaign is about (the event, the newsletter issue…), once per batch.</summary>
    /// <returns>Null when it is gone or no longer sendable (a cancelled event): the batch then sends nothing.</returns>
    Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>
    /// What an admin's preview of the campaign shows (<see cref="ICampaigns.PreviewAsync"/>); default: what a batch
    /// would load now. A composer whose batches bring a stored snapshot up to date (the newsletter's issue) shows the
    /// snapshot itself, so a past campaign is seen as it was sent, not as today's records would make it.
    /// </summary>
    Task<ICampaignMail?> LoadForPreviewAsync(string sourceId, CancellationToken cancellationToken) => LoadAsync(sourceId, cancellationToken);
}

/// <summary>One campaign's mail, loaded for a batch.</summary>
public interface ICampaignMail
{
    MailTemplate Template(Locale locale);

    /// <summary>A rule of the feature on top of the audience segment (say, "not already registered"); default: everyone.</summary>
    bool Includes(IRecipient alumnus, Profile? profile) => true;

    /// <summary>
    /// Whether those <see cref="Includes"/> leaves out at send time are only counted on the batch, with no outreach
    /// decision per person (default: no, each is recorded as any skip is). Survey mail says yes: a reminder leaves out
    /// who answered since it was planned, and a dated decision per person would tell when an anonymous answer came (ADR 0025).
    /// </summary>
    bool ExclusionsArePrivate => false;

    /// <summary>Per-recipient values for the template's placeholders, as plain text: names, signed links.</summary>
    IReadOnlyDictionary<string, string> Values(IRecipient recipient);

    /// <summary>Whether the provider may rewrite links to count clicks (default: yes). Survey links say no (ADR 0025).</summary>
    bool TracksClicks => true;

    /// <summary>Whether the provider may add a pixel to count opens (default: yes). Survey mail says no (ADR 0025).</summary>
    bool TracksOpens => true;
}
