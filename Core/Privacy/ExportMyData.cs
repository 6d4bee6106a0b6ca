using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Privacy;

public sealed record ExportResult(LinkAccess Access, object? Data);

/// <summary>
/// Everything held about the alumnus, machine-readable. HR's own assessments (rehire eligibility, do-not-contact)
/// are the company's employment records, not network data, and are not part of the network export.
/// </summary>
public sealed class ExportMyData(
    SignedLinkAccess links, IConsentLedger consents, IProfileStore profiles, ISendLedger sends, IOutreachLog outreach,
    Events.EventRegistrations registrations, IAuditLog audit, TimeProvider time)
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
        var profile = await profiles.GetAsync(a.Id, cancellationToken);
        var data = new
        {
            exportedAt = now,
            alumnus = new
            {
                id = a.Id.Value, a.EmployeeId, a.GivenName, a.FamilyName, personalEmail = a.PersonalEmail.Value, a.Department, a.JobTitle,
                a.HireDate, a.LastWorkingDay, reason = a.Reason.ToString(), locale = a.Locale.ToTag(), status = a.Status.ToString(),
                a.RecordedAt, a.InvitedAt, a.JoinedAt,
            },
            consents = (await consents.HistoryAsync(a.Id, cancellationToken))
                .Select(c => new { purpose = c.Purpose.ToString(), c.Granted, c.At, method = c.Method.ToString(), c.WordingVersion }),
            profile = profile is null ? null : new
            {
                fields = Profile.TextFields.Where(f => profile.ValueOf(f).Length > 0).ToDictionary(f => f.ToString(), profile.ValueOf),
                openToReturning = profile.OpenToReturning.ToString(),
                visibility = Enum.GetValues<ProfileField>().ToDictionary(f => f.ToString(), f => profile.VisibilityOf(f).ToString()),
                profile.UpdatedAt,
            },
            emailsSent = (await sends.ForAlumnusAsync(a.Id, cancellationToken)).Select(s => new { campaign = s.CampaignId, s.SentAt }),
            eventRegistrations = await registrations.ExportAsync(a.Id, cancellationToken),
            outreachDecisions = (await outreach.SinceAsync(a.Id, DateTimeOffset.MinValue, cancellationToken))
                .Select(d => new { campaign = d.CampaignId, purpose = d.Purpose?.ToString(), d.Allowed, d.Reason, d.At }),
        };
        await audit.WriteAsync(new AuditEntry(now, "alumnus-link", "alumnus.exported", a.Id.Value, "self-service export"), cancellationToken);
        return new ExportResult(access, data);
    }
}
