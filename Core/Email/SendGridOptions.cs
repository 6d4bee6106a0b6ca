using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Email;

public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    [Required]
    public string ApiKey { get; set; } = "";

    [Required]
    [EmailAddress]
    public string FromEmail { get; set; } = "";

    [Required]
    public string FromName { get; set; } = "";

    /// <summary>API host; empty means SendGrid itself. Development points it at the app's own sink.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Longest wait for SendGrid's answer to one <c>mail/send</c>, never retried (default 30 seconds). SendGrid usually
    /// answers in under a second, but slow answers of 5 to 20 seconds are reported; waiting longer than a caller would
    /// only holds a Service Bus lock. A call that runs out ends as an unknown outcome (ADR 0015), not a failure.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
