using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// How far ahead of our clock HR's event <c>timestamp</c> may be (ADR 0040). Bound to the <c>Hris</c> section, beside the
/// webhook's secrets: a time further ahead would order every later message as older until then.
/// </summary>
public sealed class HrisEventTimeOptions : IValidatableObject
{
    public const string SectionName = "Hris";

    /// <summary>Beyond this a wrong clock freezes an employee's record for as long.</summary>
    public static readonly TimeSpan MaxAllowedClockSkew = TimeSpan.FromHours(1);

    /// <summary>Accepted lead of HR's clock over ours (default 5 minutes, as for the signature's timestamp).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxClockSkew <= TimeSpan.Zero || MaxClockSkew > MaxAllowedClockSkew)
        {
            // Zero would refuse a message sent the instant it happened by a clock a second ahead.
            yield return new ValidationResult($"must be more than 00:00:00 and at most {MaxAllowedClockSkew:c}", [nameof(MaxClockSkew)]);
        }
    }
}

/// <summary>The latest event time an HRIS message may state: the time it is received plus the clock skew tolerated (ADR 0040).</summary>
public sealed record EventTimeLimit(DateTimeOffset ReceivedAt, TimeSpan MaxClockSkew)
{
    public static EventTimeLimit Now(TimeProvider time, HrisEventTimeOptions options) => new(time.GetUtcNow(), options.MaxClockSkew);

    public bool Allows(DateTimeOffset eventAt) => eventAt <= ReceivedAt + MaxClockSkew;

    /// <summary>The rule, as a field error states it.</summary>
    public string Rule =>
        $"must not be more than {MaxClockSkew:c} ahead of the time it is received: a later event time would make HR's next messages look older";
}
