using System.Globalization;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Events;

/// <summary>One person on an event's lists, for hosts and admins.</summary>
public sealed record AttendeeView(
    string AlumnusId, string FamilyName, string GivenName, string PersonalEmail, string? Department, string Status, int? WaitlistPlace,
    DateTimeOffset RespondedAt, bool? Attended);

public sealed record AttendeeList(string EventId, int Capacity, IReadOnlyList<AttendeeView> Attending, IReadOnlyList<AttendeeView> Waitlist, int Declined);

/// <summary>
/// Admin: who is coming (attendees in order of registration, the waitlist in its order), the check-in sheet as CSV for
/// hosts (formula-safe, UTF-8 with BOM for Excel), and attendance marked after the event. Every read and mark is audited,
/// and recorded against each person it returned or marked, so their own export shows it (ADR 0014). Nobody whose erasure
/// is under way is listed or marked (ADR 0021).
/// </summary>
public sealed partial class EventAttendees(IEventStore events, IAlumniStore alumni, IAuditLog audit, TimeProvider time, ILogger<EventAttendees> logger)
{
    public const string ContentType = "text/csv; charset=utf-8";
    public const int ConcurrentReads = 50;

    /// <summary>
    /// Attendance can be marked from this long before the start, so hosts can check people in at the door as they
    /// arrive (ADR 0021); earlier than that nobody can have come yet.
    /// </summary>
    public static readonly TimeSpan MarkingOpensBeforeStart = TimeSpan.FromHours(1);

    /// <summary>The rule a refused mark names: only someone registered to attend can have come.</summary>
    public const string NotAttendingReason =
        "attendance can be marked only for a person registered to attend; nobody on the waitlist or who declined is counted as coming";

    /// <summary>The rule a refused mark names: only a published event that is under way or over has attendance.</summary>
    public const string NotHeldReason =
        "attendance can be marked only for a published event, from one hour before its start; a draft, a cancelled event or one that has not started yet has none";

    public static IReadOnlyList<string> Columns { get; } =
        ["status", "waitlistPlace", "familyName", "givenName", "personalEmail", "department", "respondedAt", "attended", "checkIn"];

    public async Task<AdminOutcome<AttendeeList>> ListAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!NetworkEvent.IsId(id) || await events.GetAsync(id, cancellationToken) is not { } e)
        {
            return new AdminOutcome<AttendeeList>.NotFound();
        }

        var list = await ReadAsync(e, cancellationToken);
        await AuditAsync(new AuditEntry(time.GetUtcNow(), actor, EventAuditActions.AttendeesRead, e.Id,
            $"attending={list.Attending.Count}; waitlisted={list.Waitlist.Count}"), list, cancellationToken);
        return new AdminOutcome<AttendeeList>.Done(list);
    }

    /// <summary>The check-in sheet: attendees, then the waitlist; a blank <c>checkIn</c> column for the door.</summary>
    /// <returns>Null when there is no such event (nothing written, nothing audited).</returns>
    public async Task<string?> CheckInCsvAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!NetworkEvent.IsId(id) || await events.GetAsync(id, cancellationToken) is not { } e)
        {
            return null;
        }

        var list = await ReadAsync(e, cancellationToken);
        await AuditAsync(new AuditEntry(time.GetUtcNow(), actor, EventAuditActions.AttendeesExported, e.Id,
            $"format=csv; rows={list.Attending.Count + list.Waitlist.Count}"), list, cancellationToken);
        var csv = new StringBuilder(Csv.Row(Columns));
        foreach (var a in list.Attending.Concat(list.Waitlist))
        {
            csv.Append(Csv.Row([a.Status, a.WaitlistPlace?.ToString(CultureInfo.InvariantCulture), a.FamilyName, a.GivenName, a.PersonalEmail,
                a.Department, a.RespondedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                a.Attended switch { true => "true", false => "false", null => null }, ""]));
        }

        return "\uFEFF" + csv;
    }

    public string FileName(string id) => $"event-{id}-checkin-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv";

    /// <summary>
    /// Marks whether one registered person came. Body: <c>{"attended": true}</c>. Only for an attendee of a published
    /// event that starts within <see cref="MarkingOpensBeforeStart"/> or has started; otherwise a conflict naming the rule.
    /// </summary>
    public async Task<AdminOutcome<AttendeeView>> MarkAsync(string id, string alumnusId, ReadOnlyMemory<byte> body, string actor, CancellationToken cancellationToken)
    {
        if (ParseAttended(body.Span) is not { } attended)
        {
            return new AdminOutcome<AttendeeView>.Invalid([new FieldError("attended", "is required and must be true or false; no other field is allowed")]);
        }

        if (!NetworkEvent.IsId(id) || !AlumnusId.TryParse(alumnusId, out var who) || await events.GetAsync(id, cancellationToken) is not { } e)
        {
            return new AdminOutcome<AttendeeView>.NotFound();
        }

        if (e.Status != EventStatus.Published || time.GetUtcNow() < e.Details.StartsAt - MarkingOpensBeforeStart)
        {
            return new AdminOutcome<AttendeeView>.Conflict(NotHeldReason, ConflictCode.EventNotHeld);
        }

        for (var attempt = 0; attempt < ManageEvents.MaxAttempts; attempt++)
        {
            // Someone whose erasure is under way (an event too busy to free the seat leaves the RSVP until the retry or the
            // purge finishes it) is not found, as everywhere else admins look: no details, no mark.
            if (await events.GetRsvpAsync(e.Id, who, cancellationToken) is not { } rsvp ||
                await alumni.GetAsync(who, cancellationToken) is not { ErasureStartedAt: null } person)
            {
                return new AdminOutcome<AttendeeView>.NotFound();
            }

            // The attendance figures count only attendees (EventAttendanceInsights): a mark on anyone else would be
            // answered 200 and then silently ignored.
            if (rsvp.Status != RsvpStatus.Attending)
            {
                return new AdminOutcome<AttendeeView>.Conflict(NotAttendingReason, ConflictCode.NotAttending);
            }

            if (rsvp.Attended != attended)
            {
                // Audited first, with the person as its subject (ADR 0005, 0014): before the mark is written and before
                // the person's details leave in the answer. An attempt lost to a conflict is audited as not saved.
                var entry = new AuditEntry(time.GetUtcNow(), actor, EventAuditActions.AttendanceMarked, e.Id, $"alumnus={who.Value}; attended={attended}");
                await audit.WriteAsync(entry, cancellationToken);
                await audit.RecordSubjectsAsync(entry, [who], cancellationToken);
                rsvp.MarkAttendance(attended);
                if (!await events.TryUpdateRsvpAsync(rsvp, cancellationToken))
                {
                    var notSaved = UnsavedChange.NotSaved(entry, time.GetUtcNow());
                    await audit.WriteAsync(notSaved, cancellationToken);
                    await audit.RecordSubjectsAsync(notSaved, [who], cancellationToken);
                    continue;
                }
            }

            LogMarked(e.Id, attended);
            return new AdminOutcome<AttendeeView>.Done(View(person, rsvp, null));
        }

        return new AdminOutcome<AttendeeView>.Conflict();
    }

    /// <summary>Writes the entry and records every person on the list against it, before the list leaves (ADR 0014).</summary>
    private async Task AuditAsync(AuditEntry entry, AttendeeList list, CancellationToken cancellationToken)
    {
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, [.. list.Attending.Concat(list.Waitlist).Select(a => AlumnusId.Parse(a.AlumnusId))], cancellationToken);
    }

    private async Task<AttendeeList> ReadAsync(NetworkEvent e, CancellationToken cancellationToken)
    {
        var rsvps = await events.RsvpsAsync(e.Id, cancellationToken);
        // One point read per person, a bounded number at a time: a 1,000-seat event is 20 rounds, not 1,000 at once.
        var people = new List<(Rsvp Rsvp, Alumnus? Alumnus)>();
        foreach (var chunk in rsvps.Where(r => r.Status != RsvpStatus.Declined).Chunk(ConcurrentReads))
        {
            people.AddRange(await Task.WhenAll(chunk.Select(async r => (r, await alumni.GetAsync(r.AlumnusId, cancellationToken)))));
        }

        // Leaves out anyone whose erasure is under way: their RSVP can outlive the flag while an event stays busy (ADR 0021).
        var known = people.Where(p => p.Alumnus is { ErasureStartedAt: null }).ToArray();
        var attending = known.Where(p => p.Rsvp.Status == RsvpStatus.Attending).OrderBy(p => p.Rsvp.Position).Select(p => View(p.Alumnus!, p.Rsvp, null));
        var waitlist = known.Where(p => p.Rsvp.Status == RsvpStatus.Waitlisted).OrderBy(p => p.Rsvp.Position).Select((p, i) => View(p.Alumnus!, p.Rsvp, i + 1));
        return new AttendeeList(e.Id, e.Details.Capacity, [.. attending], [.. waitlist], rsvps.Count(r => r.Status == RsvpStatus.Declined));
    }

    private static AttendeeView View(Alumnus a, Rsvp r, int? place) =>
        new(a.Id.Value, a.FamilyName, a.GivenName, a.PersonalEmail.Value, a.Department, r.Status.ToString(), place, r.RespondedAt, r.Attended);

    private static bool? ParseAttended(ReadOnlySpan<byte> body)
    {
        var (document, _) = StrictJson.Parse(body, maxDepth: 4, "must be a well-formed JSON object");
        using (document)
        {
            var root = document?.RootElement;
            return root is { ValueKind: JsonValueKind.Object } && root.Value.EnumerateObject().Count() == 1 &&
                root.Value.TryGetProperty("attended", out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attendance at event {EventId} marked {Attended}")]
    private partial void LogMarked(string eventId, bool attended);
}
