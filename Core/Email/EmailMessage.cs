using System.Net.Http.Headers;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Email;

/// <summary>One email to one recipient, already rendered. Custom args carry ids only, never personal data.</summary>
public sealed record EmailMessage(
    EmailAddress To,
    string ToName,
    string Subject,
    string Html,
    string Text,
    IReadOnlyList<string> Categories,
    IReadOnlyDictionary<string, string> CustomArgs)
{
    /// <summary>Extra headers such as <c>List-Unsubscribe</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Files sent with the mail, such as an event's <c>.ics</c>.</summary>
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
}

/// <param name="ContentType">MIME type with the parameters its kind needs, as one header value, e.g.
/// <c>text/calendar; method=REQUEST</c> (RFC 6047 asks for the method; SendGrid refuses any other parameter). Anything that does not parse as
/// a media type is refused.</param>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content)
{
    public string ContentType { get; } = !ContentType.Any(char.IsControl) && MediaTypeHeaderValue.TryParse(ContentType, out var parsed) && parsed.MediaType is not null
        ? ContentType
        : throw new ArgumentException("An attachment's content type must be one media type value, such as text/calendar; method=REQUEST.", nameof(ContentType));
}

public interface IEmailSender
{
    /// <summary>Hands the email to the provider; returns the provider's message id. Throws when it was not accepted.</summary>
    Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
