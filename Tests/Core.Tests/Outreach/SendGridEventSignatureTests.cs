using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class SendGridEventSignatureTests
{
    // The test vector from SendGrid's own SDK tests.
    private const string PublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    private const string Timestamp = "1588788367";
    private const string Signature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"category":"example_payload","event":"test_event","message_id":"message_id"}""");
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1588788367);

    private static SendGridEventSignature Verifier(DateTimeOffset now, string publicKey = PublicKey) =>
        new(Options.Create(new SendGridEventWebhookOptions { EventWebhookPublicKey = publicKey }), new FakeTimeProvider(now));

    [Fact]
    public void SendGridTestVector_IsValid() =>
        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt).Verify(Signature, Timestamp, Payload));

    [Fact]
    public void SendGridTestVector_WithOtherTimestamp_IsRejected()
    {
        // The clock agrees with the other timestamp, so only the signature can reject it.
        var other = DateTimeOffset.FromUnixTimeSeconds(1388788367);

        Assert.Equal(WebhookVerification.BadSignature, Verifier(other).Verify(Signature, "1388788367", Payload));
    }

    [Fact]
    public void SendGridTestVector_ReadYearsLater_IsStale() =>
        Assert.Equal(WebhookVerification.TimestampOutOfTolerance, Verifier(SignedAt.AddDays(365)).Verify(Signature, Timestamp, Payload));

    [Fact]
    public void TamperedPayload_IsRejected() =>
        Assert.Equal(WebhookVerification.BadSignature,
            Verifier(SignedAt).Verify(Signature, Timestamp, Encoding.UTF8.GetBytes("""{"category":"example_payload","event":"test_event","message_id":"message_Id"}""")));

    [Theory]
    [InlineData("%%% not base64 %%%")]
    [InlineData("AAAA")]
    [InlineData("MEUCIQCtIHJeH93Y+qpZeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=")]
    public void GarbageSignature_IsRejectedNotThrown(string signature) =>
        Assert.Equal(WebhookVerification.BadSignature, Verifier(SignedAt).Verify(signature, Timestamp, Payload));

    [Theory]
    [InlineData(null, Timestamp)]
    [InlineData(Signature, null)]
    [InlineData("", Timestamp)]
    public void MissingHeader_IsRejected(string? signature, string? timestamp) =>
        Assert.Equal(WebhookVerification.MissingHeaders, Verifier(SignedAt).Verify(signature, timestamp, Payload));

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    public void MalformedTimestamp_IsRejected(string timestamp) =>
        Assert.Equal(WebhookVerification.TimestampOutOfTolerance, Verifier(SignedAt).Verify(Signature, timestamp, Payload));

    [Theory]
    [InlineData(-299, WebhookVerification.Valid)]
    [InlineData(299, WebhookVerification.Valid)]
    [InlineData(-301, WebhookVerification.TimestampOutOfTolerance)]
    [InlineData(301, WebhookVerification.TimestampOutOfTolerance)]
    public void Tolerance_IsFiveMinutesEitherWay(int clockOffsetSeconds, WebhookVerification expected) =>
        Assert.Equal(expected, Verifier(SignedAt.AddSeconds(clockOffsetSeconds)).Verify(Signature, Timestamp, Payload));

    [Fact]
    public void Sign_ProducesWhatVerifyAccepts_AndOnlyForItsOwnKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var signature = SendGridEventSignature.Sign(key, Timestamp, Payload);

        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt, publicKey).Verify(signature, Timestamp, Payload));
        Assert.Equal(WebhookVerification.BadSignature, Verifier(SignedAt).Verify(signature, Timestamp, Payload));
    }

    public static TheoryData<string> UnusableKeys()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        return new TheoryData<string>
        {
            "",
            "not base64!",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("not a key")),
            Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()),
            Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
        };
    }

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public void UnusableKey_FailsOptionsValidation(string publicKey)
    {
        var options = new SendGridEventWebhookOptions { EventWebhookPublicKey = publicKey };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Throws<ArgumentException>(() => Verifier(SignedAt, publicKey));
    }

    [Theory]
    [InlineData("00:00:00", false)]
    [InlineData("00:00:01", true)]
    [InlineData("01:00:00", true)]
    [InlineData("01:00:01", false)]
    [InlineData("1.00:00:00", false)]
    public void Tolerance_MustBePositiveAndAtMostAnHour(string tolerance, bool valid)
    {
        var options = new SendGridEventWebhookOptions { EventWebhookPublicKey = PublicKey, EventWebhookTolerance = TimeSpan.Parse(tolerance, System.Globalization.CultureInfo.InvariantCulture) };
        var errors = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.All(errors, e => Assert.Equal([nameof(SendGridEventWebhookOptions.EventWebhookTolerance)], e.MemberNames));
    }

    [Fact]
    public void VectorKey_PassesOptionsValidation()
    {
        var options = new SendGridEventWebhookOptions { EventWebhookPublicKey = PublicKey };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }
}
