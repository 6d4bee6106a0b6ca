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

/// <summary>
/// The single path every email to an alumnus takes: the Sends ledger (at most once per campaign), the outreach gate,
/// the refusal footer and one-click unsubscribe headers for promotional mail, then the provider.
/// </summary>
public sealed class OutreachSender(OutreachGate gate, ISendLedger sends, IEmailSender email, PromotionalFooter footer, TimeProvider time)
{
    /// <param name="purpose">The consent purpose of a promotional email; null for a transactional one.</param>
    /// <param name="compose">Renders the email; called only when it will be sent.</param>
    public async Task<SendOutcome> SendAsync(Alumnus alumnus, string campaignId, ConsentPurpose? purpose, Func<EmailMessage> compose, CancellationToken cancellationToken)
    {
        if (await sends.FindAsync(campaignId, alumnus.Id, cancellationToken) is not null)
        {
            return new SendOutcome(SendStatus.AlreadySent, "already-sent");
        }

        var decision = await gate.DecideAsync(alumnus, campaignId, purpose, cancellationToken);
        if (!decision.Allowed)
        {
            return new SendOutcome(SendStatus.Refused, decision.Reason);
        }

        var message = compose();
        if (purpose is { } promotional)
        {
            message = footer.Apply(message, alumnus, promotional);
        }

        var providerId = await email.SendAsync(message, cancellationToken);
        await sends.RecordAsync(new SendRecord(campaignId, alumnus.Id, providerId, time.GetUtcNow()), cancellationToken);
        return new SendOutcome(SendStatus.Sent, decision.Reason);
    }
}
