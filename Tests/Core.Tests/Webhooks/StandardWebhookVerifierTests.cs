using System.Text;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Core.Tests.Webhooks;

public sealed class StandardWebhookVerifierTests
{
    // The public Standard Webhooks test vector.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Timestamp = "1614265330";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    private static StandardWebhookVerifier Verifier(DateTimeOffset now, params string[] secrets) =>
        new(secrets.Length == 0 ? [Secret] : secrets, TimeSpan.FromMinutes(5), new FakeTimeProvider(now));

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void PublicTestVector_IsValid() =>
        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt).Verify(Id, Timestamp, Signature, Body));

    [Fact]
    public void SignFunction_ReproducesTestVector() =>
        Assert.Equal(Signature, StandardWebhookVerifier.Sign(Secret, Id, 1614265330, Body));

    [Fact]
    public void AnyOfSeveralSignatures_IsAccepted() =>
        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt).Verify(Id, Timestamp, $"v1,bm90LXRoaXM= v2,abc {Signature}", Body));

    [Fact]
    public void RotatedSecret_StillVerifiesWithOldOne() =>
        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt, "whsec_" + Convert.ToBase64String(new byte[32]), Secret).Verify(Id, Timestamp, Signature, Body));

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void TimestampBeyondFiveMinutesEitherWay_IsRejected(int offsetSeconds) =>
        Assert.Equal(WebhookVerification.TimestampOutOfTolerance, Verifier(SignedAt.AddSeconds(-offsetSeconds)).Verify(Id, Timestamp, Signature, Body));

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void TimestampWithinFiveMinutes_IsAccepted(int offsetSeconds) =>
        Assert.Equal(WebhookVerification.Valid, Verifier(SignedAt.AddSeconds(offsetSeconds)).Verify(Id, Timestamp, Signature, Body));

    [Fact]
    public void TamperedBody_IsRejected() =>
        Assert.Equal(WebhookVerification.BadSignature, Verifier(SignedAt).Verify(Id, Timestamp, Signature, Encoding.UTF8.GetBytes("""{"test": 2432232315}""")));

    [Fact]
    public void OtherId_IsRejected() =>
        Assert.Equal(WebhookVerification.BadSignature, Verifier(SignedAt).Verify("msg_other", Timestamp, Signature, Body));

    [Theory]
    [InlineData(null, Timestamp, Signature)]
    [InlineData(Id, null, Signature)]
    [InlineData(Id, Timestamp, null)]
    public void MissingHeader_IsRejected(string? id, string? timestamp, string? signature) =>
        Assert.Equal(WebhookVerification.MissingHeaders, Verifier(SignedAt).Verify(id, timestamp, signature, Body));

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("-5")]
    [InlineData("99999999999999999999")]
    public void MalformedTimestamp_IsRejected(string timestamp) =>
        Assert.Equal(WebhookVerification.TimestampOutOfTolerance, Verifier(SignedAt).Verify(Id, timestamp, Signature, Body));

    [Fact]
    public void GarbageSignature_IsRejectedNotThrown() =>
        Assert.Equal(WebhookVerification.BadSignature, Verifier(SignedAt).Verify(Id, Timestamp, "v1,%%%not-base64 v1", Body));
}
