using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>How often an alumnus may be asked to collaborate, across every requester.</summary>
public sealed class CollaborationOptions : IValidatableObject
{
    public const string SectionName = "Collaboration";

    /// <summary>Most collaboration requests to one alumnus in <see cref="RequestWindow"/> (default 2), on top of the outreach cap.</summary>
    [Range(1, 20)]
    public int MaxRequestsPerWindow { get; set; } = 2;

    /// <summary>Cards on one page of the admins' directory and review queue (default 100); the next page follows a cursor.</summary>
    [Range(1, 1000)]
    public int AdminPageSize { get; set; } = 100;

    /// <summary>Rolling window of the request limit (default 30 days).</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RequestWindow < TimeSpan.FromDays(1) || RequestWindow > TimeSpan.FromDays(365))
        {
            yield return new ValidationResult("must be from 1.00:00:00 to 365.00:00:00", [nameof(RequestWindow)]);
        }
    }
}
