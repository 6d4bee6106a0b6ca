using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Outreach;

/// <summary>Limits on contacting alumni, and the sender details every promotional email must carry.</summary>
public sealed class OutreachOptions : IValidatableObject
{
    public const string SectionName = "Outreach";

    /// <summary>Most promotional emails to one alumnus, across all purposes, in <see cref="CapWindow"/> (default 4).</summary>
    [Range(1, 100)]
    public int MaxPromotionalEmails { get; set; } = 4;

    /// <summary>
    /// Rolling window of the cap (default 30 days): positive, or the cap would count nothing, and at most
    /// <see cref="OutreachContact.Kept"/>, or the contacts a row keeps would no longer cover it and the cap would undercount.
    /// </summary>
    public TimeSpan CapWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Days after the last working day during which no promotional email goes out (default 30).</summary>
    [Range(0, 365)]
    public int QuietPeriodDays { get; set; } = 30;

    /// <summary>Postal address of the sender, required in every promotional email (Act on Specified Electronic Mail).</summary>
    [Required]
    public string PostalAddress { get; set; } = "";

    /// <summary>Where alumni can ask questions or complain: an email address or a URL.</summary>
    [Required]
    public string EnquiryContact { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CapWindow <= TimeSpan.Zero || CapWindow > OutreachContact.Kept)
        {
            yield return new ValidationResult(
                $"Outreach:CapWindow must be positive and at most {OutreachContact.Kept.Days} days (how long a row keeps its contacts)", [nameof(CapWindow)]);
        }
    }
}
