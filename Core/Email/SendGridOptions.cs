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
}
