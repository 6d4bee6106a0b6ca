using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Events;

/// <summary>The scheduled work and the links events create, in one place so every use case makes them alike.</summary>
public static class EventWork
{
    /// <summary>
    /// Notices of the event are due now. Written before the change it announces (intent first): a crash after the change
    /// leaves the work item to send the notice; a crash before it leaves a work item that finds nothing pending. The
    /// subject names the person too, so two changes never share one row that might be completing while the other is written.
    /// </summary>
    /// It is due <see cref="WriteGrace"/> after <paramref name="now"/>, so it does not run before the write it announces
    /// lands and find nothing to send.
    public static WorkItem Notices(string eventId, DateTimeOffset now, AlumnusId? about = null) =>
        new() { Kind = WorkKinds.EventNotices, SubjectId = about is { } id ? $"{eventId}-{id}" : eventId, DueAt = now + WriteGrace };

    /// <summary>How long after its notice work a change is written, at most (<see cref="IntentWork.WriteGrace"/>).</summary>
    public static readonly TimeSpan WriteGrace = IntentWork.WriteGrace;

    /// <summary>The reminder of a published event, or null when its time has passed (no reminder right after publishing).</summary>
    public static WorkItem? Reminder(NetworkEvent e, TimeSpan lead, DateTimeOffset now) =>
        ReminderDue(e, lead) is var due && due > now && e.Status == EventStatus.Published
            ? new WorkItem { Kind = WorkKinds.EventReminder, SubjectId = e.Id, DueAt = due }
            : null;

    public static DateTimeOffset ReminderDue(NetworkEvent e, TimeSpan lead) => e.Details.StartsAt - lead;

    /// <summary>
    /// The reminder of a published event whose start moved (a move reminds again), or null once the new start is near or
    /// past. Moved to within the lead, the lead before it has passed: it is due <see cref="WriteGrace"/> from now instead
    /// (after the move's write lands), not dropped.
    /// </summary>
    public static WorkItem? MovedReminder(NetworkEvent e, TimeSpan lead, DateTimeOffset now)
    {
        if (e.Status != EventStatus.Published)
        {
            return null;
        }

        var earliest = now + WriteGrace;
        var due = ReminderDue(e, lead);
        var at = due > earliest ? due : earliest;
        if (at >= e.Details.StartsAt)
        {
            return null;
        }

        return new WorkItem { Kind = WorkKinds.EventReminder, SubjectId = e.Id, DueAt = at };
    }

    /// <summary>
    /// Whether a reminder due at <paramref name="dueAt"/> is for the event's start as it is: due the lead before it, or
    /// later but before it (a <see cref="MovedReminder"/> written after that time had passed). Any other is for a start
    /// the event has left. An item for an earlier start that falls in that window reminds of the current one under the
    /// same campaign id (<see cref="PendingNotice.ReminderId"/>), so the ledger sends nobody a second reminder.
    /// </summary>
    public static bool IsCurrentReminder(NetworkEvent e, TimeSpan lead, DateTimeOffset dueAt) =>
        dueAt >= ReminderDue(e, lead) && dueAt < e.Details.StartsAt;

    /// <summary>
    /// The start of the invitation campaign of an event being published. Written before the publication is saved (intent
    /// first) and due <see cref="WriteGrace"/> later, so a crash or a storage error after the save still starts it; the
    /// campaign cannot start before the save, as its planning would find a draft and stop it.
    /// </summary>
    public static WorkItem Published(string eventId, DateTimeOffset now) =>
        new() { Kind = WorkKinds.EventPublished, SubjectId = eventId, DueAt = now + WriteGrace };

    /// <summary>The event id a work item's subject names.</summary>
    public static string EventIdOf(WorkMessage message) => message.SubjectId.Length >= 32 ? message.SubjectId[..32] : message.SubjectId;

    /// <summary>
    /// The alumnus whose notice a work item is for, or null for the notices of a change of the whole event. A person's
    /// item sends only their own notice, so the items of a burst of answers do not all reach for the same mails.
    /// </summary>
    public static AlumnusId? AlumnusOf(WorkMessage message) =>
        message.SubjectId.Length > 33 && AlumnusId.TryParse(message.SubjectId[33..], out var id) ? id : null;

    /// <summary>
    /// How long after the event's end (as it is when the mail is composed) its RSVP links keep working: a postponement
    /// within a year does not break links already in inboxes. The page itself refuses answers after the deadline and for
    /// a cancelled event, so a long-lived link opens the person's own status, never a late answer.
    /// </summary>
    public static readonly TimeSpan RsvpLinkLife = TimeSpan.FromDays(365);

    /// <summary>The alumnus's RSVP page for the event; the link works for <see cref="RsvpLinkLife"/> after the event ends, whatever the deadline becomes.</summary>
    /// <param name="choice"><c>attend</c> or <c>decline</c> to preselect the answer (the page still asks to confirm).</param>
    public static Uri RsvpLink(this AlumniLinks links, NetworkEvent e, IRecipient alumnus, string? choice = null) =>
        links.RsvpLink(e.LinkScope, RsvpLinksExpireAt(e), alumnus, choice);

    /// <summary>An RSVP link bound to the event <paramref name="scope"/> names (<see cref="NetworkEvent.LinkScope"/>), as <see cref="RsvpLink(AlumniLinks, NetworkEvent, IRecipient, string?)"/> makes it.</summary>
    public static Uri RsvpLink(this AlumniLinks links, string scope, DateTimeOffset expiresAt, IRecipient alumnus, string? choice = null) =>
        links.Absolute(LinkPurpose.Rsvp, alumnus, choice is null ? null : $"choice={choice}", scope, expiresAt);

    /// <summary>When the event's RSVP links stop working: <see cref="RsvpLinkLife"/> after its end as it is now.</summary>
    public static DateTimeOffset RsvpLinksExpireAt(NetworkEvent e) => e.Details.EndsAt + RsvpLinkLife;
}
