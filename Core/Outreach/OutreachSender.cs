using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Outreach;

public enum SendStatus
{
    Sent,
    AlreadySent,
    Refused,
}

public sealed record SendOutcome(SendStatus Status, string Reason);

/// <summary>Another delivery of the same message is sending it now; failing makes the trigger retry a little later.</summary>
public sealed class SendInProgressException(string campaignId)
    : Exception($"Another delivery is sending campaign '{campaignId}' to this alumnus; retry later.");

/// <summary>
/// The single path every one-to-one email takes (to an alumnus, or company-internal to an employee): a claim in the Sends ledger (at most once per campaign, even
/// when two deliveries race), the outreach gate, the refusal footer and one-click unsubscribe headers for promotional
/// mail, then the provider. The only window for a duplicate is between the provider accepting the mail and the
/// ledger recording it, or a provider timeout after which the claim goes stale.
/// </summary>
public sealed class OutreachSender(OutreachGate gate, ISendLedger sends, IEmailSender email, PromotionalFooter footer, TimeProvider time)
{
    /// <summary>A claim older than this was left by a sender that died; another delivery takes it over.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(5);

    /// <param name="purpose">The consent purpose of a promotional email; null for a transactional one.</param>
    /// <param name="compose">Renders the email; called only when it will be sent.</param>
    public Task<SendOutcome> SendAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, Func<EmailMessage> compose, CancellationToken cancellationToken) =>
        SendOnceAsync(campaignId, alumnus.Id.Value, async () =>
        {
            var decision = await gate.DecideAsync(alumnus, campaignId, purpose, cancellationToken);
            return (decision.Allowed, decision.Reason);
        }, () => purpose is { } promotional ? footer.Apply(compose(), alumnus, promotional) : compose(), cancellationToken);

    /// <summary>
    /// Company-internal mail to a current employee's work address, once per campaign and address: outside the alumni
    /// consent rules (<see cref="OutreachGate.InternalDenialAsync"/>). The ledger keys it by <paramref name="recipientKey"/>,
    /// a keyed pseudonym of the address, so no address is ever stored.
    /// </summary>
    public Task<SendOutcome> SendInternalAsync(EmailAddress to, string recipientKey, string campaignId, Func<EmailMessage> compose, CancellationToken cancellationToken) =>
        SendOnceAsync(campaignId, recipientKey, async () =>
            await gate.InternalDenialAsync(to, cancellationToken) is { } denial ? (false, denial) : (true, "internal"), compose, cancellationToken);

    private async Task<SendOutcome> SendOnceAsync(
        string campaignId, string recipientKey, Func<Task<(bool Allowed, string Reason)>> decide, Func<EmailMessage> compose, CancellationToken cancellationToken)
    {
        var claim = await sends.ClaimAsync(campaignId, recipientKey, time.GetUtcNow(), StaleClaim, cancellationToken);
        switch (claim.Status)
        {
            case SendClaim.AlreadySent:
                return new SendOutcome(SendStatus.AlreadySent, "already-sent");
            case SendClaim.InProgress:
                throw new SendInProgressException(campaignId);
        }

        var (allowed, reason) = await decide();
        if (!allowed)
        {
            await sends.ReleaseAsync(campaignId, recipientKey, claim.ClaimId, cancellationToken);
            return new SendOutcome(SendStatus.Refused, reason);
        }

        string providerId;
        try
        {
            providerId = await email.SendAsync(compose(), cancellationToken);
        }
        catch (EmailNotAcceptedException)
        {
            // The provider refused it: nothing was sent, so the next delivery may try again at once.
            // Other failures (timeouts) keep the claim until it is stale: the mail may have gone out.
            await sends.ReleaseAsync(campaignId, recipientKey, claim.ClaimId, cancellationToken);
            throw;
        }

        await RecordSentAsync(new SendRecord(campaignId, recipientKey, providerId, time.GetUtcNow()));
        return new SendOutcome(SendStatus.Sent, reason);
    }

    /// <summary>
    /// The mail is out: record it even if the invocation is being cancelled, and ride out a storage hiccup, because a
    /// claim left pending would go stale and the mail would be sent again.
    /// </summary>
    private async Task RecordSentAsync(SendRecord record)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sends.RecordSentAsync(record, CancellationToken.None);
                return;
            }
            catch (Exception) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), time);
            }
        }
    }
}
