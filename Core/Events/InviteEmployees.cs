using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Events;

/// <param name="Refused">Suppressed addresses and addresses the provider refused for good.</param>
/// <param name="NotYetSent">Mails whose outcome is awaited or that could not be sent now: repeating the request sends what is missing.</param>
public sealed record StaffInvitationResult(int Sent, int AlreadySent, int Refused, int NotYetSent);

/// <summary>
/// Admin: invites current employees by work address. Company-internal, transactional mail outside the alumni consent
/// rules, labelled as such; only to addresses at the company's mail domains (a private address may be an alumnus's, who
/// must be reached under the consent rules or not at all), never to a suppressed address. Once per version of the event
/// (its calendar <see cref="NetworkEvent.Sequence"/>) and address: the Sends ledger keys each by a keyed pseudonym of
/// the address, and the addresses themselves are neither stored nor logged. Sent within the request (at most
/// <see cref="MaxAddresses"/>); a request that broke off is simply repeated and sends only what is missing, and a request
/// repeated after a change attendees hear of sends the changed invitation.
/// </summary>
/// <remarks>
/// The same request for a cancelled event that has not started sends the cancellation (with a calendar CANCEL) once to
/// each address that was sent an invitation before, and to nobody else: the addresses are not stored, so the admin
/// repeats the list the invitation went to.
/// </remarks>
public sealed partial class InviteEmployees(
    IEventStore events, OutreachSender sender, Pseudonyms pseudonyms, IAuditLog audit, IOptions<CompanyOptions> company,
    CompanyMailDomains mailDomains, IOptions<OutreachOptions> outreach, IOptions<SendGridOptions> sendGrid, ISendLedger sends, TimeProvider time,
    ILogger<InviteEmployees> logger)
{
    public const int MaxAddresses = 500;
    public const int Parallelism = 4;

    public async Task<AdminOutcome<StaffInvitationResult>> HandleAsync(string id, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        var (addresses, errors) = Parse(body.Span, mailDomains);
        if (addresses is null)
        {
            return new AdminOutcome<StaffInvitationResult>.Invalid(errors);
        }

        if (!NetworkEvent.IsId(id) || await events.GetAsync(id, cancellationToken) is not { } e)
        {
            return new AdminOutcome<StaffInvitationResult>.NotFound();
        }

        if (e.Status is not (EventStatus.Published or EventStatus.Cancelled) || time.GetUtcNow() >= e.Details.StartsAt)
        {
            return new AdminOutcome<StaffInvitationResult>.Conflict(
                "Only a published event that has not started can be announced to employees, or a cancelled one whose start has not passed (its cancellation goes to the employees invited before).");
        }

        var cancelled = e.Status == EventStatus.Cancelled;
        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, cancelled ? EventAuditActions.StaffCancelled : EventAuditActions.StaffInvited, e.Id,
            $"addresses={addresses.Count}"), cancellationToken);
        var tally = new SendTally();
        // What may have reached each address, in one range query for the whole list. Only a request still sending an earlier
        // version writes under an earlier id meanwhile, which would race a read per address alike; the current id is claimed.
        var recipients = addresses.Select(to => (To: to, Key: pseudonyms.Of("work-email", to.Normalized))).ToArray();
        var reached = (await sends.WhichMayHaveReachedAsync(StaffMail.IdPrefix(e), recipients.Select(r => r.Key).ToHashSet(StringComparer.Ordinal), cancellationToken))
            .ToLookup(s => s.RecipientKey, s => s.CampaignId, StringComparer.Ordinal);
        await Parallel.ForEachAsync(recipients, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (recipient, ct) =>
        {
            var (to, key) = recipient;
            try
            {
                tally.Add(StaffMail.For(e, reached[key]) switch
                {
                    StaffMailKind.Invitation => await sender.SendInternalAsync(to, key, StaffMail.SendId(e), () => EventMail.Internal(e, to, company.Value.Name,
                        outreach.Value.EnquiryContact, EventCalendar.RequestForStaff(e, to, e.Sequence, EmailAddress.Parse(sendGrid.Value.FromEmail),
                            sendGrid.Value.FromName, company.Value.PublicBaseUrl!, time.GetUtcNow())), ct),
                    StaffMailKind.Cancellation => await sender.SendInternalAsync(to, key, StaffMail.SendId(e), () => EventMail.InternalCancelled(e, to, company.Value.Name,
                        outreach.Value.EnquiryContact, EventCalendar.CancelForStaff(e, to, e.Sequence, EmailAddress.Parse(sendGrid.Value.FromEmail),
                            sendGrid.Value.FromName, company.Value.PublicBaseUrl!, time.GetUtcNow())), ct),
                    StaffMailKind.SentBeforeVersions => new SendOutcome(SendStatus.AlreadySent, "sent-before-versions"),
                    _ => new SendOutcome(SendStatus.Refused, "not-invited"),
                });
            }
            catch (Email.EmailNotAcceptedException refused) when (refused.IsAboutTheRecipient && !refused.IsTransient)
            {
                // The provider refused this address for good: repeating the request would not send it.
                tally.Add(new SendOutcome(SendStatus.Refused, "provider-refused"));
            }
            catch (Email.EmailNotAcceptedException notAccepted)
            {
                // Not sent now: unreachable or throttled, or a refusal that would refuse every address alike (the account, a
                // rotated key, the sender), which an operator fixes (ADR 0021). The send was given back, so repeating the
                // request sends what is missing.
                if (!notAccepted.IsTransient)
                {
                    LogProviderRefused(e.Id, (int?)notAccepted.Status);
                }

                tally.Add(new SendOutcome(SendStatus.Deferred, "provider-unavailable"));
            }
        });
        LogInvited(e.Id, tally.Sent, tally.AlreadySent, tally.Refused);
        return new AdminOutcome<StaffInvitationResult>.Done(new StaffInvitationResult(tally.Sent, tally.AlreadySent, tally.Refused, tally.Deferred));
    }

    /// <summary>
    /// <c>{"addresses": ["…", …]}</c>: 1 to 500 valid addresses at the company's mail domains; duplicates (ignoring case)
    /// count once. One address outside them refuses the whole request, so nothing is sent to anyone.
    /// </summary>
    private static (IReadOnlyList<EmailAddress>?, IReadOnlyList<FieldError>) Parse(ReadOnlySpan<byte> body, CompanyMailDomains mailDomains)
    {
        var (document, problems) = StrictJson.Parse(body, maxDepth: 4, "must be a well-formed JSON object");
        if (document is null)
        {
            return (null, problems);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Any(p => p.Name != "addresses"))
            {
                return (null, [new FieldError("$", "must be an object with only the field addresses")]);
            }

            if (!root.TryGetProperty("addresses", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxAddresses)
            {
                return (null, [new FieldError("addresses", $"must be an array of 1 to {MaxAddresses} work email addresses")]);
            }

            var errors = new List<FieldError>();
            var addresses = new List<EmailAddress>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !EmailAddress.TryParse(item.GetString(), out var address))
                {
                    errors.Add(new FieldError($"addresses[{index}]", "must be an email address"));
                }
                else if (!mailDomains.Contains(address))
                {
                    errors.Add(new FieldError($"addresses[{index}]", mailDomains.Rule));
                }
                else
                {
                    addresses.Add(address);
                }

                index++;
            }

            return errors.Count > 0 ? (null, errors) : (addresses.DistinctBy(a => a.Normalized).ToArray(), errors);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Employees invited to event {EventId}: {Sent} sent, {AlreadySent} already sent, {Refused} refused")]
    private partial void LogInvited(string eventId, int sent, int alreadySent, int refused);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Employee invitation to event {EventId} refused by the email provider ({Status}), not for its recipient: check the account and sender, then send again")]
    private partial void LogProviderRefused(string eventId, int? status);
}
