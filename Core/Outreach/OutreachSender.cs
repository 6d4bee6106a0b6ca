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
/// The single path every email to an alumnus takes: a claim in the Sends ledger (at most once per campaign, even
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
    public async Task<SendOutcome> SendAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, Func<EmailMessage> compose, CancellationToken cancellationToken)
    {
        var claim = await sends.ClaimAsync(campaignId, alumnus.Id, time.GetUtcNow(), StaleClaim, cancellationToken);
        switch (claim.Status)
        {
            case SendClaim.AlreadySent:
                return new SendOutcome(SendStatus.AlreadySent, "already-sent");
            case SendClaim.InProgress:
                throw new SendInProgressException(campaignId);
        }

        var decision = await gate.DecideAsync(alumnus, campaignId, purpose, cancellationToken);
        if (!decision.Allowed)
        {
            await sends.ReleaseAsync(campaignId, alumnus.Id, claim.ClaimId, cancellationToken);
            return new SendOutcome(SendStatus.Refused, decision.Reason);
        }

        var message = compose();
        if (purpose is { } promotional)
        {
            message = footer.Apply(message, alumnus, promotional);
        }

        string providerId;
        try
        {
            providerId = await email.SendAsync(message, cancellationToken);
        }
        catch (EmailNotAcceptedException)
        {
            // The provider refused it: nothing was sent, so the next delivery may try again at once.
            // Other failures (timeouts) keep the claim until it is stale: the mail may have gone out.
            await sends.ReleaseAsync(campaignId, alumnus.Id, claim.ClaimId, cancellationToken);
            throw;
        }

        await RecordSentAsync(new SendRecord(campaignId, alumnus.Id, providerId, time.GetUtcNow()));
        return new SendOutcome(SendStatus.Sent, decision.Reason);
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
