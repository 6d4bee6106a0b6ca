using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Privacy;

public sealed record ExportResult(LinkAccess Access, object? Data);

/// <summary>
/// Everything held about the alumnus, machine-readable: the record with the HR flags (and HR's withdrawal of the
/// departure, ADR 0041), consent ledger, profile, emails
/// sent with the provider's message ids, outreach decisions, engagement counts, the suppression of their address
/// (found by its keyed pseudonym), the surveys sent and attributed answers, open scheduled work about them (whatever
/// form its subject takes), and the audit trail of who read or changed their data,
/// including admin searches and exports that returned them. The export is audited before it is assembled, so it lists
/// itself. The exceptions are stated in the file under <c>withheld</c> with the reason: rehire eligibility, an HR
/// assessment never shown to the alumnus unless the company chooses to (<see cref="PrivacyOptions.WithholdRehireEligibility"/>,
/// on by default), and the conflict-of-interest checks.
/// </summary>
public sealed class ExportMyData(
    SignedLinkAccess links, IConsentLedger consents, IProfileStore profiles, ISendLedger sends, IOutreachLog outreach,
    IEngagementCounters engagement, ISuppressionList suppressions, IWorkItemStore work, Events.EventRegistrations registrations, IAuditLog audit,
    Surveys.SurveyRecords surveys, Openings.OpeningsPersonalData openings, Collaboration.CollaborationData collaboration, IOptions<PrivacyOptions> privacy,
    TimeProvider time)
{
    public Task<LinkAccess> ShowAsync(string? token, CancellationToken cancellationToken) =>
        links.ResolveAsync(token, LinkPurpose.Export, cancellationToken);

    public async Task<ExportResult> ExportAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Export, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return new ExportResult(access, null);
        }

        var a = access.Required;
        var now = time.GetUtcNow();
        await audit.WriteAsync(new AuditEntry(now, "alumnus-link", "alumnus.exported", a.Id.Value, "self-service export"), cancellationToken);
        var withholdRehire = privacy.Value.WithholdRehireEligibility;
        var profile = await profiles.GetAsync(a.Id, cancellationToken);
        var counts = await engagement.GetAsync(a.Id, cancellationToken);
        var suppression = await suppressions.FindAsync(a.PersonalEmail, cancellationToken);
        var (interests, returns) = await openings.ExportAsync(a.Id, cancellationToken);
        var data = new
        {
            exportedAt = now,
            alumnus = new
            {
                id = a.Id.Value, a.EmployeeId, a.GivenName, a.FamilyName, personalEmail = a.PersonalEmail.Value, a.Department, a.JobTitle,
                a.HireDate, a.LastWorkingDay, reason = a.Reason.ToString(), locale = a.Locale.ToTag(), status = a.Status.ToString(),
                rehireEligible = withholdRehire ? null : a.RehireEligible, a.DoNotContact,
                a.WelcomeDueAt, a.WelcomeRound, a.RecordedAt, a.InvitedAt, a.JoinedAt, a.ReturnedOn, a.DepartureWithdrawnAt,
                consentedNow = a.Consented?.Select(p => p.ToString()).Order(StringComparer.Ordinal),
                suppressed = a.Suppressed?.ToString(),
                campaignContacts = a.Contacts.Select(c => new { campaign = c.CampaignId, c.At }),
            },
            withheld = (withholdRehire
                ? new[] { new { field = "alumnus.rehireEligible", reason = privacy.Value.RehireEligibilityWithholdingReason } }
                : []).Append(new { field = "conflictOfInterest", reason = Collaboration.CollaborationData.WithheldReason }),
            consents = (await consents.HistoryAsync(a.Id, cancellationToken))
                .Select(c => new { purpose = c.Purpose.ToString(), c.Granted, c.At, method = c.Method.ToString(), c.WordingVersion }),
            profile = profile is null ? null : new
            {
                fields = Profile.TextFields.Where(f => profile.ValueOf(f).Length > 0).ToDictionary(f => f.ToString(), profile.ValueOf),
                openToReturning = profile.OpenToReturning.ToString(),
                visibility = Enum.GetValues<ProfileField>().ToDictionary(f => f.ToString(), f => profile.VisibilityOf(f).ToString()),
                profile.UpdatedAt,
            },
            emailsSent = (await sends.ForAlumnusAsync(a.Id, cancellationToken))
                .Select(s => new
                {
                    campaign = s.CampaignId, providerMessageId = Collaboration.CollaborationData.ExportedMessageId(s), s.SentAt, state = s.State.ToString(),
                    engaged = s.Engaged.Select(k => k.ToString()),
                }),
            eventRegistrations = await registrations.ExportAsync(a.Id, cancellationToken),
            surveys = await surveys.ExportAsync(a, cancellationToken),
            openingInterests = interests,
            returnsToTheCompany = returns,
            collaboration = await collaboration.ExportAsync(a.Id, cancellationToken),
            outreachDecisions = (await outreach.SinceAsync(a.Id, DateTimeOffset.MinValue, cancellationToken))
                .Where(d => !Collaboration.CollaborationData.IsWithheld(d))
                .Select(d => new { campaign = d.CampaignId, purpose = d.Purpose?.ToString(), d.Allowed, d.Reason, d.At }),
            engagement = counts is null ? null : new { counts.Delivered, counts.Opened, counts.Clicked, counts.LastEventAt },
            suppression = suppression is null ? null : new { reason = suppression.Reason.ToString(), suppression.At },
            scheduledWork = (await work.AboutAsync(a.Id, cancellationToken))
                .Where(w => !Collaboration.CollaborationData.IsWithheld(w))
                .Select(w => new { w.Kind, w.DueAt, status = w.Status.ToString(), w.LeasedUntil, w.DispatchCount }),
            auditTrail = (await audit.AboutAsync(a.Id, cancellationToken))
                .Where(e => !Collaboration.CollaborationData.IsWithheld(e))
                .Select(e => new { e.At, e.Actor, e.Action, e.Detail }),
        };
        return new ExportResult(access, data);
    }
}
