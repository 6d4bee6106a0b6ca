namespace AlumniNetwork.Core.Admin;

/// <summary>
/// Names an <see cref="AdminOutcome{T}.Conflict"/> that its callers answer in a way of their own (a page of its own, the
/// field named in the problem details), so they switch on the code rather than on the reason's wording, which may change.
/// </summary>
public enum ConflictCode
{
    /// <summary>A conflict its callers answer like any other: by its reason, or as a race when it has none.</summary>
    Unnamed,

    /// <summary>Do-not-contact cannot be cleared: the alumnus asked for their erasure and it is not finished (<see cref="SetAlumnusFlags"/>).</summary>
    ErasurePending,

    /// <summary>Attendance cannot be marked: the person is not registered to attend (<see cref="Events.EventAttendees.NotAttendingReason"/>).</summary>
    NotAttending,

    /// <summary>Attendance cannot be marked: the event is not published or is more than an hour from its start (<see cref="Events.EventAttendees.NotHeldReason"/>).</summary>
    EventNotHeld,

    /// <summary>The opening cannot be sent again: closing it stopped its campaign, and a stop is final (<see cref="Openings.ManageOpenings.CampaignStopped"/>).</summary>
    CampaignStopped,

    /// <summary>An ad-hoc survey wave's name is taken by a wave of another version (<see cref="Surveys.ManageSurveys.WaveNameUsed"/>).</summary>
    WaveNameUsed,

    /// <summary>An ad-hoc survey wave of this name was started with another audience (<see cref="Surveys.ManageSurveys.WaveAudienceDiffers"/>).</summary>
    WaveAudienceDiffers,

    /// <summary>A survey cannot take another version: it has its last one (<see cref="Surveys.ManageSurveys.LastVersion"/>).</summary>
    LastVersion,

    /// <summary>A survey's draft cannot be published: its closing time has passed (<see cref="Surveys.ManageSurveys.ClosingTimePassed"/>).</summary>
    ClosingTimePassed,

    /// <summary>The create's idempotency key was used before with another body (<see cref="IdempotencyKey.ReusedRule"/>).</summary>
    IdempotencyKeyReused,

    /// <summary>A compliance approval was decided the other way already, and a decision is final (<see cref="Conflicts.ManageApprovals"/>).</summary>
    AlreadyDecided,

    /// <summary>A news item cannot be added: as many as allowed are live already (<see cref="Newsletters.ManageNewsItems.TooManyLive"/>).</summary>
    TooManyLiveNewsItems,
}
