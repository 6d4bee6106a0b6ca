using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace AlumniNetwork.Core.Email;

/// <summary>
/// Sends through the SendGrid v3 client, against SendGrid or the local sink (same client, other host). Every failure is
/// reported as one of two things: the mail was certainly not accepted (<see cref="EmailNotAcceptedException"/>), or it
/// may have been (<see cref="EmailOutcomeUnknownException"/>: the request may have reached SendGrid).
/// </summary>
public sealed class SendGridEmailSender(HttpClient httpClient, IOptions<SendGridOptions> options) : IEmailSender
{
    private readonly SendGridClient client = CreateClient(httpClient, options.Value);

    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mail = MailHelper.CreateSingleEmail(
            new SendGrid.Helpers.Mail.EmailAddress(settings.FromEmail, settings.FromName),
            new SendGrid.Helpers.Mail.EmailAddress(message.To.Value, SendGridBulkEmailSender.SafeName(message.ToName)),
            message.Subject,
            message.Text,
            message.Html);
        mail.AddCategories([.. message.Categories]);
        mail.AddCustomArgs(message.CustomArgs.ToDictionary());
        if (message.Headers.Count > 0)
        {
            mail.AddHeaders(message.Headers.ToDictionary());
        }

        foreach (var file in message.Attachments)
        {
            // The type goes whole, parameters included: a calendar's method=REQUEST/CANCEL is what mail clients act on.
            mail.AddAttachment(file.FileName, Convert.ToBase64String(file.Content), file.ContentType, "attachment");
        }

        Response response;
        try
        {
            response = await client.SendEmailAsync(mail, cancellationToken);
        }
        catch (Exception e) when (NeverLeft(e))
        {
            throw new EmailNotAcceptedException(null, e);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or TimeoutException or ExecutionRejectedException or IOException)
        {
            // A timeout (ours, the resilience handler's or the caller's) or a broken connection after the request was
            // written: SendGrid may have accepted the mail.
            throw new EmailOutcomeUnknownException(e);
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK => response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.First() : "",
            var status when GatewayGaveUp(status) => throw new EmailOutcomeUnknownException(new HttpRequestException($"SendGrid answered {(int)status}.")),
            // Only a 400 naming the personalization alone refuses this recipient; any other field would refuse every mail alike.
            HttpStatusCode.BadRequest => throw new EmailNotAcceptedException(HttpStatusCode.BadRequest,
                recipientRefused: SendGridBulkEmailSender.NamesOnlyPersonalizations(await response.Body.ReadAsStringAsync(cancellationToken))),
            _ => throw new EmailNotAcceptedException(response.StatusCode, retryAfter: AskedWait(response.Headers)),
        };
    }

    /// <summary>
    /// A 502 or 504: a gateway that gave up waiting, which says nothing about whether SendGrid behind it accepted the
    /// mail (ADR 0015). Never repeated blindly; every other error answer means SendGrid did not take it.
    /// </summary>
    public static bool GatewayGaveUp(HttpStatusCode status) => status is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// How long SendGrid asks us to wait: its <c>Retry-After</c>, or failing that the <c>X-RateLimit-Reset</c> (the Unix
    /// second the rate limit resets) that SendGrid documents as the signal of its 429s; null with neither.
    /// </summary>
    public static RetryConditionHeaderValue? AskedWait(HttpResponseHeaders? headers) =>
        headers?.RetryAfter ?? (headers is not null && headers.TryGetValues("X-RateLimit-Reset", out var values) &&
            long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset) && reset <= LatestUnixSecond
                ? new RetryConditionHeaderValue(DateTimeOffset.FromUnixTimeSeconds(reset))
                : null);

    private const long LatestUnixSecond = 253_402_300_799;

    /// <summary>When a <c>Retry-After</c> (seconds or a date) allows the next try; null without one.</summary>
    public static DateTimeOffset? RetryAt(RetryConditionHeaderValue? retryAfter, DateTimeOffset now) =>
        retryAfter?.Delta is { } delta ? now + delta : retryAfter?.Date;

    /// <summary>Failures that happen before the request can have left: no connection, no name, no TLS, an open circuit.</summary>
    internal static bool NeverLeft(Exception e) => e switch
    {
        // An open circuit or a full rate limiter rejects before sending; only a timeout rejects after.
        ExecutionRejectedException and not TimeoutRejectedException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } => true,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound } } => true,
        _ => false,
    };

    internal static SendGridClient CreateClient(HttpClient httpClient, SendGridOptions settings) => new(httpClient, ClientOptions(settings));

    /// <summary>SendGrid's host (or the sink's) and the API key's authorization, as the official client uses them.</summary>
    internal static SendGridClientOptions ClientOptions(SendGridOptions settings)
    {
        var clientOptions = new SendGridClientOptions { ApiKey = settings.ApiKey };
        if (settings.BaseUrl is not null)
        {
            clientOptions.Host = settings.BaseUrl.ToString().TrimEnd('/');
        }

        return clientOptions;
    }
}

/// <summary>The provider certainly did not accept the mail: it answered with an error, or the request never left.</summary>
/// <param name="status">The provider's answer, or null when no connection was made.</param>
/// <param name="detail">What the answer said, when it helps an operator; never personal data.</param>
/// <param name="recipientRefused">A 400 that named the recipient's personalization and nothing else.</param>
/// <param name="retryAfter">The answer's <c>Retry-After</c>, when it had one.</param>
public sealed class EmailNotAcceptedException(HttpStatusCode? status, Exception? inner = null, string? detail = null, bool recipientRefused = false, RetryConditionHeaderValue? retryAfter = null)
    : Exception((status is { } s ? $"The email provider answered {(int)s} instead of 202 Accepted." : "The email provider could not be reached.") + (detail is null ? "" : " " + detail), inner)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>Worth trying again later: unreachable, throttled or failing on its side. Other answers (400, 401, 403, 413) are not.</summary>
    public bool IsTransient => Status is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)Status >= 500;

    /// <summary>
    /// This recipient was refused (a 400 naming their personalization alone): a mail to someone else may still go, unlike
    /// a refusal of the account (401, 403) or of what every mail carries (the from address, the content, its size).
    /// </summary>
    public bool IsAboutTheRecipient { get; } = recipientRefused;

    /// <summary>How long the provider asked us to wait before trying again (a throttling answer's <c>Retry-After</c>).</summary>
    public RetryConditionHeaderValue? RetryAfter { get; } = retryAfter;
}

/// <summary>The request may have reached the provider and no answer came back: the mail may or may not have gone out.</summary>
public sealed class EmailOutcomeUnknownException(Exception inner)
    : Exception("The email provider's answer did not arrive; the mail may have been accepted.", inner);
