using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// The clock difference tolerated between HR's system and us, bound to the <c>Hris</c> section beside the webhook's
/// secrets. One setting for both checks that need it (ADR 0040): the Standard Webhooks signature's
/// <c>webhook-timestamp</c>, either way, and how far ahead of our clock HR's event <c>timestamp</c> may be. Both stamps
/// come from the same sender's clock, so two settings could only disagree by mistake.
/// </summary>
public sealed class HrisClockOptions : IValidatableObject
{
    public const string SectionName = "Hris";

    /// <summary>
    /// Beyond this a captured delivery stays replayable for too long, and a wrong clock freezes an employee's record for
    /// as long (Standard Webhooks suggests 5 minutes).
    /// </summary>
    public static readonly TimeSpan MaxSignatureTolerance = TimeSpan.FromHours(1);

    /// <summary>Accepted clock difference between the HR system and us (default 5 minutes).</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SignatureTolerance <= TimeSpan.Zero || SignatureTolerance > MaxSignatureTolerance)
        {
            // Zero would refuse every webhook; a long one widens the replay window and how long a wrong clock holds a record.
            yield return new ValidationResult($"must be more than 00:00:00 and at most {MaxSignatureTolerance:c}", [nameof(SignatureTolerance)]);
        }
    }
}

/// <summary>The latest event time an HRIS message may state: the time it is received plus the clock difference tolerated (ADR 0040).</summary>
public sealed record EventTimeLimit(DateTimeOffset ReceivedAt, TimeSpan Tolerance)
{
    public static EventTimeLimit Now(TimeProvider time, HrisClockOptions options) => new(time.GetUtcNow(), options.SignatureTolerance);

    public bool Allows(DateTimeOffset eventAt) => eventAt <= ReceivedAt + Tolerance;

    /// <summary>The rule, as a field error states it.</summary>
    public string Rule =>
        $"must not be more than {Tolerance:c} ahead of the time it is received: a later event time would make HR's next messages look older";
}
