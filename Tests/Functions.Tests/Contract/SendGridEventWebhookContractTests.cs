using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.SendGridEvents;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.Contract;

/// <summary>The event webhook against what SendGrid actually sends: its signature scheme and its batch format.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendGridEventWebhookContractTests(AzuriteFixture azurite)
{
    // The signed test vector from SendGrid's own SDK tests (a single object, not a batch).
    private const string VectorPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==";
    private const string VectorTimestamp = "1588788367";
    private const string VectorSignature = "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=";
    private const string VectorPayload = """{"category":"example_payload","event":"test_event","message_id":"message_id"}""";

    /// <summary>A batch in the shape of SendGrid's documented sample: every event type, its extra fields, categories both ways.</summary>
    private const string DocumentedBatch = """
        [
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"processed","category":"cat facts","sg_event_id":"rbtnWrG1DVDGGGFHFyun0A==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.000000000000000000000"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"deferred","category":"cat facts","sg_event_id":"t7LEShmowp86DTdUW8M-GQ==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"400 try again later","attempt":"5"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"delivered","category":"cat facts","sg_event_id":"rWVYmVk90MjZJ9iohOBa3w==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","response":"250 OK"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"open","category":"cat facts","sg_event_id":"FOTFFO0ecsBE-zxFXfs6WA==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)","ip":"255.255.255.255","sg_machine_open":false},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"click","category":"cat facts","sg_event_id":"kCAi1KttyQdEKHhdC-nuEA==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/4.0 (compatible; MSIE 6.1; Windows XP; .NET CLR 1.1.4322; .NET CLR 2.0.50727)","ip":"255.255.255.255","url":"http://www.sendgrid.com/"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","category":"cat facts","sg_event_id":"6g4ZI7SA-xmRDv57GoPIPw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"500 unknown recipient","status":"5.0.0","type":"bounce","bounce_classification":"Invalid Address"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"dropped","category":["cat facts","newsletter"],"sg_event_id":"zmzJhfJgAfUSOW80yEbPyw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"Bounced Address","status":"5.0.0"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"spamreport","category":"cat facts","sg_event_id":"Gp6F5bPQfvGK5ndpClUz6A==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"unsubscribe","category":"cat facts","sg_event_id":"oxy9OLwMiAZUu5wnb1hzXA==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"group_unsubscribe","category":"cat facts","sg_event_id":"SYS7D7ZOxjqjr6NU6rfhLw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/5.0","ip":"255.255.255.255","url":"http://www.sendgrid.com/","asm_group_id":10},
          {"email":"example@test.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"group_resubscribe","category":"cat facts","sg_event_id":"1oCT8lGqFE3gbyTxmThXTw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","useragent":"Mozilla/5.0","ip":"255.255.255.255","url":"http://www.sendgrid.com/","asm_group_id":10}
        ]
        """;

    [Fact]
    public async Task SendGridsDocumentedBatch_SignedWithTheDevelopmentKey_IsAccepted()
    {
        await using var app = await TestApp.StartAsync(azurite);

        var response = await app.PostEventsAsync(DocumentedBatch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((11, 8, 3), (report.GetProperty("received").GetInt32(), report.GetProperty("applied").GetInt32(), report.GetProperty("ignored").GetInt32()));
        Assert.Equal("Bounce", Assert.Single(await app.RowsAsync(AlumniTables.Suppressions)).GetString("Reason"));
    }

    [Fact]
    public async Task SendGridsSignedTestVector_PassesTheSignatureCheck_AndIsRefusedOnlyForNotBeingABatch()
    {
        // The vector was signed in 2020: the app's clock is set to that moment (the tolerance is capped at an hour), so
        // only the signature decides; the other timestamp is a second later, well within the tolerance.
        var signedAt = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(VectorTimestamp, System.Globalization.CultureInfo.InvariantCulture)));
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:EventWebhookPublicKey"] = VectorPublicKey },
            services: s => s.AddSingleton<TimeProvider>(signedAt));

        var genuine = await PostVectorAsync(app, VectorTimestamp);
        var otherTimestamp = await PostVectorAsync(app, "1588788368");

        Assert.Equal(HttpStatusCode.BadRequest, genuine.StatusCode);
        Assert.Equal("$", (await genuine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, otherTimestamp.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task SendGridsSignedTestVector_WithTheNormalTolerance_IsStale()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:EventWebhookPublicKey"] = VectorPublicKey });

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostVectorAsync(app, VectorTimestamp)).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostVectorAsync(TestApp app, string timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SendGridEventPosts.Path)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(VectorPayload)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(SendGridEventsFunction.SignatureHeader, VectorSignature);
        request.Headers.Add(SendGridEventsFunction.TimestampHeader, timestamp);
        return await app.Client.SendAsync(request);
    }
}
