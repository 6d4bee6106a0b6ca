using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Email;

/// <summary>
/// One recipient of a bulk message: their own subject, the values of the content's substitution tags, headers (such as
/// their <c>List-Unsubscribe</c>) and custom args (ids only, never personal data).
/// </summary>
public sealed record BulkRecipient(
    EmailAddress To,
    string ToName,
    string Subject,
    IReadOnlyDictionary<string, string> Substitutions,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> CustomArgs);

/// <summary>
/// One provider request for up to 1,000 recipients: content shared by all of them, with substitution tags each
/// recipient fills in (SendGrid v3 <c>personalizations</c>).
/// </summary>
public sealed record BulkMessage(string Html, string Text, IReadOnlyList<string> Categories, IReadOnlyList<BulkRecipient> Recipients)
{
    /// <summary>SendGrid's limit of personalizations (and of recipients) in one request.</summary>
    public const int MaxRecipients = 1000;

    /// <summary>SendGrid's limit on the substitutions of one personalization (the stricter of its published figures).</summary>
    public const int MaxSubstitutionBytes = 10_000;

    /// <summary>False: the provider must not rewrite the links to count clicks, whatever the account's default.</summary>
    public bool TrackClicks { get; init; } = true;

    /// <summary>False: the provider must not add a pixel to count opens, whatever the account's default.</summary>
    public bool TrackOpens { get; init; } = true;
}

/// <summary>
/// The provider refused the request (400) for its recipients: every error names a personalization. Nothing in it was
/// sent; the others may go in a request without the ones at fault.
/// </summary>
/// <param name="RecipientIndexes">Recipients the provider named as the cause (from fields such as <c>personalizations.3.to</c>);
/// empty when it named the personalizations but not which.</param>
public sealed class BulkEmailRejectedException(IReadOnlyList<int> recipientIndexes, string detail)
    : Exception($"The email provider refused the request: {detail}")
{
    public IReadOnlyList<int> RecipientIndexes { get; } = recipientIndexes;
}

public interface IBulkEmailSender
{
    /// <summary>Hands the message to the provider in one request; returns the provider's message id.</summary>
    /// <exception cref="BulkEmailRejectedException">The provider refused the request for some of its recipients: nothing was sent.</exception>
    /// <exception cref="EmailNotAcceptedException">The provider answered another error after retries (429, 5xx), refused the
    /// message itself (a 400 naming no recipient, or every one of several: what they share is at fault, which no split of
    /// it would cure), or could not be reached at all: nothing was sent.</exception>
    /// <exception cref="EmailOutcomeUnknownException">No answer (a timeout, a connection broken mid-request): the mail may have gone.</exception>
    /// <param name="deadline">No retry of a refused request waits past it: the refusal is reported instead, while the
    /// caller still has time to record it (a host cancelling mid-wait would leave a refused request looking as if it went).</param>
    Task<string> SendAsync(BulkMessage message, DateTimeOffset deadline, CancellationToken cancellationToken);
}
