using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Alumni;

public enum AlumnusStatus
{
    /// <summary>Departure recorded; the welcome invitation is not yet due or not yet sent.</summary>
    Departed,

    /// <summary>The welcome invitation has been sent.</summary>
    Invited,

    /// <summary>Joined the network with consent.</summary>
    Joined,

    /// <summary>
    /// Rehired by the company (the HR system's <c>employee.hired</c>): an employee again, so promotional alumni outreach
    /// stops. Consent entries stay as they are; a later departure brings the person back to where they were.
    /// </summary>
    Returned,
}

public enum DepartureReason
{
    Voluntary,
    Retirement,
    ContractEnd,
    Involuntary,
    Other,
}

/// <summary>A former employee known to the network. Decides its own state changes.</summary>
public sealed class Alumnus : IRecipient
{
    public required AlumnusId Id { get; init; }
    public required string EmployeeId { get; init; }
    public required string GivenName { get; set; }
    public required string FamilyName { get; set; }
    public required EmailAddress PersonalEmail { get; set; }
    public string? Department { get; set; }
    public string? JobTitle { get; set; }
    public DateOnly? HireDate { get; set; }
    public required DateOnly LastWorkingDay { get; set; }
    public required DepartureReason Reason { get; set; }

    /// <summary>HR's view; never shown to the alumnus.</summary>
    public bool? RehireEligible { get; set; }

    /// <summary>Set by an admin: no email of any kind goes to this alumnus. Never shown to the alumnus.</summary>
    public bool DoNotContact { get; set; }

    /// <summary>
    /// When an erasure the alumnus asked for began: set in the same write that sets <see cref="DoNotContact"/> before
    /// anything is removed, and gone with the row when the erasure ends. Set, the erasure stopped part-way and their retry
    /// will finish it, so do-not-contact must stay. Never shown to the alumnus.
    /// </summary>
    public DateTimeOffset? ErasureStartedAt { get; set; }

    public required Locale Locale { get; set; }
    public AlumnusStatus Status { get; set; } = AlumnusStatus.Departed;

    /// <summary>When the welcome invitation may be sent; never before the last working day has ended.</summary>
    public required DateTimeOffset WelcomeDueAt { get; set; }

    /// <summary>
    /// Which welcome the record is owed: 1 at first, one more each time HR corrects the address before the person joined
    /// (the welcome may have gone, or be going, to the old one). It keys the welcome's Sends row, so each round gets
    /// exactly one welcome, without the key saying anything about the address.
    /// </summary>
    public int WelcomeRound { get; set; } = 1;

    public required DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? InvitedAt { get; set; }
    public DateTimeOffset? JoinedAt { get; set; }

    /// <summary>The day the company rehired the alumnus, while <see cref="AlumnusStatus.Returned"/>.</summary>
    public DateOnly? ReturnedOn { get; set; }

    /// <summary>
    /// The purposes the alumnus consents to now: a projection of the consent ledger kept on the row, so a campaign batch
    /// decides a thousand people from the rows it reads anyway. Null until first projected (rows from before it).
    /// </summary>
    public IReadOnlySet<ConsentPurpose>? Consented { get; set; }

    /// <summary>Why the personal address is suppressed (a bounce, a complaint), projected from the suppression list; null when it is not.</summary>
    public SuppressionReason? Suppressed { get; set; }

    /// <summary>
    /// Promotional campaigns that have claimed this alumnus in the last year, newest first. Written with the row's ETag,
    /// it is the promotional cap's counter (two campaigns cannot both take the last place) and what keeps one campaign
    /// from reaching a person twice, whichever batch they fall in.
    /// </summary>
    public IReadOnlyList<OutreachContact> Contacts { get; set; } = [];

    /// <summary>
    /// The conflict-of-interest flag, a projection kept on the row like <see cref="Consented"/> and written only by the
    /// conflict-of-interest evaluation; null when the alumnus is not flagged. Never shown to the alumnus.
    /// </summary>
    public ConflictFlag? ConflictOfInterest { get; set; }

    /// <summary>
    /// When HR withdrew the departure (its event time) after the alumnus was invited or joined: the record was kept and
    /// waits for an admin to decide (ADR 0041); null when no withdrawal came. Never shown to the alumnus.
    /// </summary>
    public DateTimeOffset? DepartureWithdrawnAt { get; set; }

    /// <summary>Optimistic-concurrency token of the stored row; null for a new alumnus.</summary>
    public string? ETag { get; set; }

    public static Alumnus FromDeparture(AlumnusId id, DepartureNotice notice, DateTimeOffset welcomeDueAt, DateTimeOffset now) => new()
    {
        Id = id,
        EmployeeId = notice.EmployeeId,
        GivenName = notice.GivenName,
        FamilyName = notice.FamilyName,
        PersonalEmail = notice.PersonalEmail,
        Department = notice.Department,
        JobTitle = notice.JobTitle,
        HireDate = notice.HireDate,
        LastWorkingDay = notice.LastWorkingDay,
        Reason = notice.Reason,
        RehireEligible = notice.RehireEligible,
        Locale = notice.Locale,
        WelcomeDueAt = welcomeDueAt,
        RecordedAt = now,
    };

    /// <summary>
    /// A repeated departure for the same employee. An earlier last working day changes nothing: HR systems resend old
    /// events, and an out-of-order retry must not move the date back. From a departure on the same day or later, HR's
    /// own fields (address, names, language, department, job title, hire date, reason, rehire eligibility) are taken
    /// while the person has not joined (a corrected typo in the address reaches the invitation), and on a new departure
    /// after a return; a member's record is otherwise theirs, and a replay leaves it alone (ADR 0012). A corrected address
    /// on someone invited but not joined takes them back to <see cref="AlumnusStatus.Departed"/> with the welcome due
    /// again (at <paramref name="welcomeDueAt"/>, or <paramref name="nextSendSlot"/> when that is later: the next send hour
    /// in company time, as a first welcome keeps): the person never received it.
    /// </summary>
    /// <returns>
    /// <c>Changed</c> when the record must be saved; <c>Rescheduled</c> when the welcome invitation, not yet sent,
    /// moves to <paramref name="welcomeDueAt"/>.
    /// </returns>
    public (bool Changed, bool Rescheduled) ApplyRepeatedDeparture(DepartureNotice notice, DateTimeOffset welcomeDueAt, DateTimeOffset? nextSendSlot = null)
    {
        if (notice.LastWorkingDay < LastWorkingDay)
        {
            return (false, false);
        }

        var later = notice.LastWorkingDay > LastWorkingDay;
        var address = PersonalEmail;
        var corrected = (Status is AlumnusStatus.Departed or AlumnusStatus.Invited || (later && Status == AlumnusStatus.Returned)) && TakeHrFields(notice);
        if (later)
        {
            LastWorkingDay = notice.LastWorkingDay;
            Reason = notice.Reason;
            RehireEligible = notice.RehireEligible ?? RehireEligible;
            if (Status == AlumnusStatus.Returned)
            {
                // Rehired and now leaving again: back to where they were before the return. A member's consents never went.
                Status = JoinedAt is not null ? AlumnusStatus.Joined : InvitedAt is not null ? AlumnusStatus.Invited : AlumnusStatus.Departed;
                ReturnedOn = null;
            }
        }

        var readdressed = address.Normalized != PersonalEmail.Normalized && Status is AlumnusStatus.Departed or AlumnusStatus.Invited;
        if (readdressed)
        {
            // A new welcome round: the one sent (or being sent) went to the old address. A resend of the same correction
            // changes no address, so it never starts another.
            WelcomeRound++;
        }

        if (Status == AlumnusStatus.Invited && readdressed)
        {
            // The welcome went to an address HR has since corrected: the person has not been invited. Its links stop
            // working (they carry the old address's fingerprint), and a welcome goes to the new address.
            (Status, InvitedAt) = (AlumnusStatus.Departed, null);
            WelcomeDueAt = nextSendSlot > welcomeDueAt ? nextSendSlot.Value : welcomeDueAt;
            return (true, true);
        }

        if (!later || Status != AlumnusStatus.Departed)
        {
            return (later || corrected, false);
        }

        WelcomeDueAt = welcomeDueAt;
        return (true, true);
    }

    /// <summary>
    /// Takes HR's corrections: a field the notice holds replaces the stored one; an optional field it left out (absent or
    /// null: the webhook cannot clear one, it refuses an empty string) keeps the stored value, as rehire eligibility
    /// always did, so a resend that omits the department does not blank it.
    /// </summary>
    /// <returns>True when any field differed.</returns>
    private bool TakeHrFields(DepartureNotice notice)
    {
        var (department, jobTitle, hireDate) = (notice.Department ?? Department, notice.JobTitle ?? JobTitle, notice.HireDate ?? HireDate);
        var locale = notice.LocaleStated ? notice.Locale : Locale;
        var rehireEligible = notice.RehireEligible ?? RehireEligible;
        var changed = GivenName != notice.GivenName || FamilyName != notice.FamilyName || PersonalEmail != notice.PersonalEmail ||
            Department != department || JobTitle != jobTitle || HireDate != hireDate || Locale != locale ||
            Reason != notice.Reason || RehireEligible != rehireEligible;
        GivenName = notice.GivenName;
        FamilyName = notice.FamilyName;
        PersonalEmail = notice.PersonalEmail;
        Department = department;
        JobTitle = jobTitle;
        HireDate = hireDate;
        Locale = locale;
        Reason = notice.Reason;
        RehireEligible = rehireEligible;
        return changed;
    }

    /// <summary>
    /// Whether HR's withdrawal of the departure takes the record away: only while nothing has reached the person (not
    /// invited, not joined, not rehired) and the record is this employee id's own, not reached through a rehire's.
    /// </summary>
    public bool IsRemovedByWithdrawal(string employeeId) =>
        Status == AlumnusStatus.Departed && InvitedAt is null && JoinedAt is null && ReturnedOn is null && EmployeeId == employeeId;

    /// <summary>Flags the record for an admin: HR withdrew the departure at <paramref name="withdrawnAt"/> (ADR 0041).</summary>
    /// <returns>False when flagged for this withdrawal, or a later one, already: nothing to write or audit again.</returns>
    public bool FlagWithdrawal(DateTimeOffset withdrawnAt)
    {
        if (DepartureWithdrawnAt >= withdrawnAt)
        {
            return false;
        }

        DepartureWithdrawnAt = withdrawnAt;
        return true;
    }

    /// <summary>Whether the welcome invitation should go out now.</summary>
    public bool IsWelcomeDue(DateTimeOffset now) => Status == AlumnusStatus.Departed && now >= WelcomeDueAt;

    public void MarkInvited(DateTimeOffset now)
    {
        if (Status == AlumnusStatus.Departed)
        {
            Status = AlumnusStatus.Invited;
            InvitedAt = now;
        }
    }

    /// <returns>False when already a member (or rehired meanwhile): a second submission changes nothing.</returns>
    public bool Join(DateTimeOffset now)
    {
        if (Status is AlumnusStatus.Joined or AlumnusStatus.Returned)
        {
            return false;
        }

        Status = AlumnusStatus.Joined;
        JoinedAt = now;
        return true;
    }

    /// <summary>The company rehired the alumnus on <paramref name="hiredOn"/> (after their last working day).</summary>
    /// <returns>False when nothing changed: already returned on that day, or the hire is not after the last working day.</returns>
    public bool Return(DateOnly hiredOn)
    {
        if (hiredOn <= LastWorkingDay || (Status == AlumnusStatus.Returned && ReturnedOn == hiredOn))
        {
            return false;
        }

        Status = AlumnusStatus.Returned;
        ReturnedOn = hiredOn;
        return true;
    }
}
