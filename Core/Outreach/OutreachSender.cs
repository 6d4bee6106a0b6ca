using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

public enum SendStatus
{
    Sent,
    AlreadySent,
    Refused,

    /// <summary>Not finished: another sender holds it, or its outcome is awaited. Ask again at <see cref="SendOutcome.RetryAt"/>.</summary>
    Deferred,
}

public sealed record SendOutcome(SendStatus Status, string Reason, DateTimeOffset? RetryAt = null);

/// <summary>
/// The single path every email to an alumnus takes (ADR 0006, ADR 0015): a claim in the Sends ledger, the recipient's
/// current state and the outreach gate, the refusal footer and one-click unsubscribe headers for promotional mail, then
/// the provider, the mail carrying its send id. A provider call whose answer is lost leaves the send
/// <see cref="SendState.Unknown"/>: it is never repeated blindly, but resolved by the provider's events, or by rule once
/// <see cref="SendingOptions.OutcomeWindow"/> has passed (transactional mail re-sent once if still wanted and allowed,
/// promotional mail treated as sent).
/// </summary>
public sealed partial class OutreachSender(
    OutreachGate gate,
    ISendLedger sends,
    Privacy.ErasureRecheck recheck,
    IEmailSender email,
    PromotionalFooter footer,
    IOptions<SendingOptions> options,
    IOptions<SendGridEventWebhookOptions> events,
    TimeProvider time,
    ILogger<OutreachSender> logger)
{
    /// <param name="purpose">The consent purpose of a promotional email; null for a transactional one.</param>
    /// <param name="stillWanted">
    /// Whether the recipient's current state still calls for this mail (a welcome invitation to someone who has not
    /// joined). Read fresh by the caller; decides every send, and so every re-send after an unknown outcome.
    /// </param>
    /// <param name="compose">Renders the email; called only when it will be sent.</param>
    /// <exception cref="EmailNotAcceptedException">The provider refused it; the send was given back for a later try.</exception>
    public async Task<SendOutcome> SendAsync(
        Alumnus alumnus, string campaignId, ConsentPurpose? purpose, bool stillWanted, Func<EmailMessage> compose, CancellationToken cancellationToken)
    {
        var outcome = await SendOnceAsync(campaignId, alumnus.Id.Value, purpose is not null, async () =>
            !stillWanted ? "no-longer-wanted"
            : await gate.DecideAsync(alumnus, campaignId, purpose, cancellationToken) is { Allowed: false } decision ? decision.Reason
            : null,
            () => purpose is { } promotional ? footer.Apply(compose(), alumnus, promotional) : compose(), cancellationToken);
        if (outcome.Status == SendStatus.Sent)
        {
            // The provider's message id finds the address in its activity log, and an erasure or a retention purge blanks
            // it: one written after that step, by a send that passed the gate before the flag or the purge, is read
            // against the row now and taken back when the row is flagged or gone (ADR 0008). The mail went either way.
            await recheck.WriteStandsAsync(alumnus.Id, ct => sends.ForgetMessageIdsAsync(alumnus.Id, ct), CancellationToken.None);
        }

        return outcome;
    }

    /// <summary>
    /// Company-internal mail to someone who is not an alumnus (a current employee's work address), once per campaign and
    /// address: outside the alumni consent rules (<see cref="OutreachGate.InternalDenialAsync"/>), never to a suppressed
    /// address. The ledger keys it by <paramref name="recipientKey"/>, a keyed pseudonym of the address, so no address is
    /// ever stored.
    /// </summary>
    public Task<SendOutcome> SendInternalAsync(EmailAddress to, string recipientKey, string campaignId, Func<EmailMessage> compose, CancellationToken cancellationToken) =>
        SendOnceAsync(campaignId, recipientKey, promotional: false, () => gate.InternalDenialAsync(to, cancellationToken), compose, cancellationToken);

    /// <param name="refusal">Why the mail must not go now, or null when it may: asked after the claim, before every attempt.</param>
    private async Task<SendOutcome> SendOnceAsync(
        string campaignId, string recipientKey, bool promotional, Func<Task<string?>> refusal, Func<EmailMessage> compose, CancellationToken cancellationToken)
    {
        var result = await sends.ClaimAsync(campaignId, recipientKey, time.GetUtcNow(), options.Value.PolicyFor(promotional, events.Value.IsConfigured), cancellationToken);
        switch (result.Status)
        {
            case ClaimStatus.Final:
                return new SendOutcome(SendStatus.AlreadySent, result.State == SendState.Unconfirmed ? "unconfirmed" : "already-sent");
            case ClaimStatus.Busy:
                return new SendOutcome(SendStatus.Deferred, result.State == SendState.Unknown ? "awaiting-evidence" : "in-progress", result.RetryAt);
        }

        var claim = result.Claim!;
        if (await refusal() is { } reason)
        {
            // A re-send that may no longer go ends the send: its earlier attempt may have arrived.
            await (claim.PriorAttempts == 0
                ? sends.ReleaseAsync(claim, cancellationToken)
                : sends.GiveUpAsync(claim, reason, time.GetUtcNow(), cancellationToken));
            return new SendOutcome(SendStatus.Refused, reason);
        }

        var message = compose();
        message = message with { CustomArgs = new Dictionary<string, string>(message.CustomArgs) { [SendId.CustomArg] = claim.SendId.ToString() } };
        if (await sends.BeginAttemptAsync(claim, time.GetUtcNow(), cancellationToken) is not { } attempt)
        {
            return new SendOutcome(SendStatus.Deferred, "claim-lost", time.GetUtcNow());
        }

        string providerId;
        try
        {
            providerId = await email.SendAsync(message, cancellationToken);
        }
        catch (EmailNotAcceptedException)
        {
            // Certainly not sent: give the send back so a later try may send it. Its place under the cap, claimed by the
            // gate, stays: a later try finds it there, and meanwhile the person gets fewer mails, never more.
            await sends.ReleaseAsync(attempt, CancellationToken.None);
            throw;
        }
        catch (EmailOutcomeUnknownException)
        {
            LogOutcomeUnknown(campaignId, recipientKey, claim.SendId.Attempt);
            return new SendOutcome(SendStatus.Deferred, "outcome-unknown", time.GetUtcNow() + options.Value.OutcomeWindow);
        }

        await RecordSentAsync(new SendRecord(campaignId, recipientKey, providerId, time.GetUtcNow()) { Attempts = claim.SendId.Attempt });
        return new SendOutcome(SendStatus.Sent, claim.PriorAttempts == 0 ? "sent" : "re-sent-after-unknown-outcome");
    }

    /// <summary>
    /// The mail is out: record it even if the invocation is being cancelled, and ride out a storage hiccup. If this
    /// still fails the send stays unknown, to be settled by the provider's events.
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send {CampaignId} to recipient {RecipientKey} (attempt {Attempt}): the provider's answer was lost; awaiting its events")]
    private partial void LogOutcomeUnknown(string campaignId, string recipientKey, int attempt);
}
