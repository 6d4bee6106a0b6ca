using System.Globalization;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// The version of a record an admin's edit was built on: the instant of its last edit as stored (<c>UpdatedAt</c>), which
/// the edit form carries back (hidden field <see cref="Field"/>). A use case given one refuses the edit
/// (<see cref="AdminOutcome{T}.Stale"/>) when the record it reads no longer has it, and writes with that read's ETag, so
/// a change saved by someone else after the page was loaded is never written over. The instant rather than the ETag:
/// an event's row is rewritten by every RSVP (its seat counters), which changes nothing the admin saw.
/// </summary>
public readonly record struct RecordVersion(long UtcTicks)
{
    public const string Field = "version";

    public static RecordVersion Of(DateTimeOffset updatedAt) => new(updatedAt.UtcTicks);

    /// <summary>The posted version, or null with an error naming <see cref="Field"/> when it is missing or not one.</summary>
    public static RecordVersion? Parse(string? posted, ICollection<FieldError> errors)
    {
        if (long.TryParse(posted, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
        {
            return new RecordVersion(ticks);
        }

        errors.Add(new FieldError(Field, "must be the version the page was loaded with (reload the page)"));
        return null;
    }

    public bool Matches(DateTimeOffset updatedAt) => updatedAt.UtcTicks == UtcTicks;

    public override string ToString() => UtcTicks.ToString(CultureInfo.InvariantCulture);
}
