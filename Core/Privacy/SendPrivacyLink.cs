using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Privacy;

public enum PrivacyLinkStatus
{
    /// <summary>Sent now, or already sent in this window (a double submit): the page says the same either way.</summary>
    Sent,

    /// <summary>The page's link gave no access (<see cref="PrivacyLinkResult.Access"/> says why).</summary>
    NoAccess,

    /// <summary>Erased or being erased: answered as for an erased person, nothing sent.</summary>
    Gone,

    /// <summary>The person takes no mail (do-not-contact, a suppressed address), or the provider refused it for now.</summary>
    NotSent,
}

public sealed record PrivacyLinkResult(PrivacyLinkStatus Status, LinkAccess Access);

/// <summary>
/// Mails a fresh export or erase link to the alumnus's own address on file, asked for from a page reached by a
/// low-value link (preferences, profile…), which no longer carries those links itself (ADR 0007): whoever holds a
/// forwarded newsletter can ask, but only the alumnus's inbox receives. Transactional, through the single send path;
/// the Sends ledger key names the kind and a <see cref="Window"/>, so a double submit or a script sends at most one
/// mail per kind and window.
/// </summary>
public sealed partial class SendPrivacyLink(
    SignedLinkAccess access,
    AlumniLinks links,
    OutreachSender sender,
    IOptions<CompanyOptions> company,
    IOptions<SignedLinkOptions> linkOptions,
    TimeProvider time,
    ILogger<SendPrivacyLink> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <param name="token">A preferences link token: what every alumni page's request form carries.</param>
    /// <param name="kind"><see cref="LinkPurpose.Export"/> or <see cref="LinkPurpose.Erase"/>.</param>
    public async Task<PrivacyLinkResult> SendAsync(string? token, LinkPurpose kind, CancellationToken cancellationToken)
    {
        if (kind is not (LinkPurpose.Export or LinkPurpose.Erase))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only export and erase links are mailed on request.");
        }

        var page = await access.ResolveAsync(token, LinkPurpose.Preferences, cancellationToken);
        if (page.Status != LinkAccessStatus.Valid)
        {
            return new PrivacyLinkResult(page.Status == LinkAccessStatus.Gone ? PrivacyLinkStatus.Gone : PrivacyLinkStatus.NoAccess, page);
        }

        // An erasure that began is answered as done (the link resolves as gone); an admin's do-not-contact flag means no
        // mail of any kind, but the data is still held, so the page sends the person to HR rather than saying none is.
        var alumnus = page.Required;

        if (alumnus.DoNotContact)
        {
            LogRefused(kind, "do-not-contact");
            return new PrivacyLinkResult(PrivacyLinkStatus.NotSent, page);
        }

        var campaignId = CampaignIdOf(kind, time.GetUtcNow());
        SendOutcome outcome;
        try
        {
            outcome = await sender.SendAsync(alumnus, campaignId, purpose: null, stillWanted: true, () => PrivacyLinkEmail.Render(
                alumnus, company.Value.Name, kind, links.Absolute(kind, alumnus), linkOptions.Value.LifetimeOf(kind), campaignId), cancellationToken);
        }
        catch (EmailNotAcceptedException)
        {
            // The ledger gave the send back: the next request may send it.
            outcome = new SendOutcome(SendStatus.Refused, "not-accepted");
        }

        LogOutcome(campaignId, outcome.Status, outcome.Reason);
        return new PrivacyLinkResult(outcome.Status is SendStatus.Refused ? PrivacyLinkStatus.NotSent : PrivacyLinkStatus.Sent, page);
    }

    /// <summary>The Sends ledger's key: kind and the window the request falls in, e.g. <c>export-link-2942</c>.</summary>
    public static string CampaignIdOf(LinkPurpose kind, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
        $"{kind.ToString().ToLowerInvariant()}-link-{now.ToUnixTimeSeconds() / (long)Window.TotalSeconds}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy link {CampaignId}: {Status} ({Reason})")]
    private partial void LogOutcome(string campaignId, SendStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Privacy link ({Kind}) not sent ({Reason})")]
    private partial void LogRefused(LinkPurpose kind, string reason);
}
