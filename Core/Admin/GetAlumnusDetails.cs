using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Admin;

public sealed record ConsentHistoryEntry(string Purpose, bool Granted, DateTimeOffset At, string Method, string WordingVersion);

/// <summary>Whether a purpose is granted now (the latest ledger entry for it; none means not granted).</summary>
public sealed record CurrentConsent(string Purpose, bool Granted);

/// <summary>A profile field as current employees see it.</summary>
public sealed record SharedProfileField(string Field, string Value);

/// <summary>An email sent to the alumnus: which campaign, and when.</summary>
public sealed record SentEmail(string Campaign, DateTimeOffset SentAt);

/// <param name="Purpose">Null for a transactional email.</param>
public sealed record OutreachDecisionEntry(string Campaign, string? Purpose, bool Allowed, string Reason, DateTimeOffset At);

/// <summary>
/// Everything an admin sees about one alumnus, including the HR-only flags (<see cref="RehireEligible"/>,
/// <see cref="DoNotContact"/>) that no alumni-facing page shows.
/// </summary>
/// <param name="Consents">The consent ledger, oldest first.</param>
/// <param name="CurrentConsent">Every purpose with whether it is granted now, derived from the ledger.</param>
/// <param name="OutreachDecisions">Why emails did or did not go, newest first, over <see cref="GetAlumnusDetails.OutreachWindow"/>.</param>
/// <param name="SharedProfile">The profile as the alumnus shares it with current employees (<see cref="Profile.VisibleToEmployees"/>).</param>
/// <param name="Sends">Every email sent to the alumnus, newest first.</param>
public sealed record AlumnusDetails(
    string Id,
    string EmployeeId,
    string GivenName,
    string FamilyName,
    string PersonalEmail,
    string? Department,
    string? JobTitle,
    DateOnly? HireDate,
    DateOnly LastWorkingDay,
    string Reason,
    bool? RehireEligible,
    bool DoNotContact,
    string Locale,
    string Status,
    DateTimeOffset WelcomeDueAt,
    DateTimeOffset RecordedAt,
    DateTimeOffset? InvitedAt,
    DateTimeOffset? JoinedAt,
    IReadOnlyList<ConsentHistoryEntry> Consents,
    IReadOnlyList<CurrentConsent> CurrentConsent,
    IReadOnlyList<OutreachDecisionEntry> OutreachDecisions,
    IReadOnlyList<SharedProfileField> SharedProfile,
    IReadOnlyList<SentEmail> Sends)
{
    /// <summary>The conflict-of-interest flag (register entry, category, since when), or null; never shown to the alumnus.</summary>
    public ConflictFlag? ConflictOfInterest { get; init; }

    /// <summary>When HR withdrew the departure of this invited or joined alumnus (ADR 0041): an admin decides what follows. Null when it did not.</summary>
    public DateTimeOffset? DepartureWithdrawnAt { get; init; }

    public static AlumnusDetails From(
        Alumnus a, IReadOnlyList<ConsentRecord> history, IReadOnlyList<OutreachDecision> decisions, Profile? profile, IReadOnlyList<SendRecord> sends)
    {
        var state = ConsentState.From(history);
        return new AlumnusDetails(
            a.Id.Value, a.EmployeeId, a.GivenName, a.FamilyName, a.PersonalEmail.Value, a.Department, a.JobTitle, a.HireDate,
            a.LastWorkingDay, a.Reason.ToString(), a.RehireEligible, a.DoNotContact, a.Locale.ToTag(), a.Status.ToString(),
            a.WelcomeDueAt, a.RecordedAt, a.InvitedAt, a.JoinedAt,
            history.Select(c => new ConsentHistoryEntry(c.Purpose.ToString(), c.Granted, c.At, c.Method.ToString(), c.WordingVersion)).ToArray(),
            ConsentPurposes.All.Select(p => new CurrentConsent(p.ToString(), state.Has(p))).ToArray(),
            decisions.Select(d => new OutreachDecisionEntry(d.CampaignId, d.Purpose?.ToString(), d.Allowed, d.Reason, d.At)).ToArray(),
            (profile ?? Profile.Empty(a.Id)).VisibleToEmployees(state.Has(ConsentPurpose.EmployeeVisibility))
                .Select(f => new SharedProfileField(f.Field.ToString(), f.Value)).ToArray(),
            sends.OrderByDescending(s => s.SentAt).Select(s => new SentEmail(s.CampaignId, s.SentAt)).ToArray())
        {
            ConflictOfInterest = a.ConflictOfInterest,
            DepartureWithdrawnAt = a.DepartureWithdrawnAt,
        };
    }
}

/// <summary>
/// Admin: one alumnus with consent history, current consent, recent outreach decisions, the profile as shared with
/// employees and the emails sent. Audited. A person whose erasure is under way is answered as one already erased (not
/// found, nothing read, nothing audited): they asked to be gone, and the retention purge finishes it (ADR 0008).
/// </summary>
public sealed partial class GetAlumnusDetails(
    IAlumniStore alumni, IConsentLedger consents, IOutreachLog outreach, IProfileStore profiles, ISendLedger sends, IAuditLog audit,
    TimeProvider time, ILogger<GetAlumnusDetails> logger)
{
    public static readonly TimeSpan OutreachWindow = TimeSpan.FromDays(365);

    public async Task<AdminOutcome<AlumnusDetails>> HandleAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!AlumnusId.TryParse(id, out var alumnusId) || await alumni.GetAsync(alumnusId, cancellationToken) is not { ErasureStartedAt: null } alumnus)
        {
            return new AdminOutcome<AlumnusDetails>.NotFound();
        }

        var now = time.GetUtcNow();
        var history = await consents.HistoryAsync(alumnusId, cancellationToken);
        var decisions = await outreach.SinceAsync(alumnusId, now - OutreachWindow, cancellationToken);
        var profile = await profiles.GetAsync(alumnusId, cancellationToken);
        var sent = await sends.ForAlumnusAsync(alumnusId, cancellationToken);
        await audit.WriteAsync(new AuditEntry(now, actor, AdminAuditActions.AlumnusRead, alumnusId.Value, "view=details"), cancellationToken);
        LogRead(alumnusId.Value);
        return new AdminOutcome<AlumnusDetails>.Done(AlumnusDetails.From(alumnus, history, decisions, profile, sent));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin read alumnus {AlumnusId}")]
    private partial void LogRead(string alumnusId);
}
