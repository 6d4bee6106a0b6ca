using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Events;

public sealed class EventOptions : IValidatableObject
{
    public const string SectionName = "Events";

    /// <summary>How long before the start attendees are reminded (default 24 hours; 1 hour to 14 days).</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReminderLead < TimeSpan.FromHours(1) || ReminderLead > TimeSpan.FromDays(14))
        {
            yield return new ValidationResult("must be from 01:00:00 to 14.00:00:00", [nameof(ReminderLead)]);
        }
    }
}
