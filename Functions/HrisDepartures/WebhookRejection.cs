using System.Globalization;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Core.Webhooks;

namespace AlumniNetwork.Functions.HrisDepartures;

/// <summary>Names the Standard Webhooks header a rejected delivery got wrong, so the sender's operator can tell which; never echoes a value.</summary>
public static class WebhookRejection
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static IReadOnlyList<FieldError> Fields(WebhookVerification verification, IHeaderDictionary headers, TimeSpan tolerance) => verification switch
    {
        WebhookVerification.MissingHeaders => [.. new[] { IdHeader, TimestampHeader, SignatureHeader }
            .Where(name => string.IsNullOrEmpty(headers[name].ToString()))
            .Select(name => new FieldError(name, "is required"))],
        WebhookVerification.TimestampOutOfTolerance => [new FieldError(TimestampHeader,
            string.Create(CultureInfo.InvariantCulture, $"must be Unix seconds within ±{tolerance.TotalSeconds:0} seconds of now"))],
        WebhookVerification.BadSignature => [new FieldError(SignatureHeader, "must hold a v1 HMAC-SHA256 signature of id.timestamp.body with a current secret")],
        _ => throw new ArgumentOutOfRangeException(nameof(verification), verification, "Not a rejection."),
    };
}
