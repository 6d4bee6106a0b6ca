using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Newsletters;

/// <summary>
/// A test send the provider does not take: a readable 503 problem (never a 500) that says whether the mail may have gone,
/// and an audit trail that says what the provider answered instead of "sent".
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NewsletterTestSendProviderTests(AzuriteFixture azurite)
{
    private const string Body = """{"email": "editor@example.com", "locale": "en-US"}""";

    private async Task<(TestApp App, SendGridStandIn Provider)> StartAsync(Func<int, int?> refuseWith)
    {
        var provider = await SendGridStandIn.StartAsync();
        provider.RefuseWith = refuseWith;
        var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        Assert.Equal(HttpStatusCode.Created, (await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item)).StatusCode);
        return (app, provider);
    }

    private static async Task<string[]> TestEntriesAsync(TestApp app) =>
        [.. (await app.RowsAsync(AlumniTables.Audit)).Where(r => (r.GetString("Action") ?? "").StartsWith("newsletter.test", StringComparison.Ordinal))
            .OrderBy(r => r.GetString("Action") != Core.Newsletters.SendNewsletterTest.TestRequested).Select(r => $"{r.GetString("Action")} {r.GetString("Detail")}")];

    [Fact]
    public async Task ProviderRefuses_Is503WithAProblemSayingNothingWasSent_AndTheAuditSaysNotAccepted()
    {
        var (app, provider) = await StartAsync(_ => 503);
        await using var _ = app;
        await using var __ = provider;

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", Body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("it was not sent", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(provider.Mails);
        var entries = await TestEntriesAsync(app);
        Assert.Equal(2, entries.Length);
        Assert.StartsWith(Core.Newsletters.SendNewsletterTest.TestRequested + " to=", entries[0], StringComparison.Ordinal);
        Assert.StartsWith(Core.Newsletters.SendNewsletterTest.TestFailed + " to=", entries[1], StringComparison.Ordinal);
        Assert.EndsWith("; outcome=not-accepted:503", entries[1], StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.StartsWith(Core.Newsletters.SendNewsletterTest.TestSent + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedSendRepeatedWithItsKey_IsAnsweredAsTheFirst_AndAsksTheProviderNothing()
    {
        var asked = 0;
        var (app, provider) = await StartAsync(_ =>
        {
            asked++;
            return 503;
        });
        await using var _ = app;
        await using var __ = provider;

        var first = await app.AdminCreateAsync("api/manage/newsletter/test", Body, "try-1");
        var askedByTheFirst = asked;
        var again = await app.AdminCreateAsync("api/manage/newsletter/test", Body, "try-1");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (first.StatusCode, again.StatusCode));
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(askedByTheFirst, asked);
        Assert.True(asked > 0);
        Assert.Equal(2, (await TestEntriesAsync(app)).Length);
    }

    [Fact]
    public async Task GatewayGivesUp_Is503SayingTheMailMayHaveGone_AndTheAuditSaysUnknown()
    {
        var (app, provider) = await StartAsync(_ => 502);
        await using var _ = app;
        await using var __ = provider;

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/newsletter/test", Body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("may or may not have been sent", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var entries = await TestEntriesAsync(app);
        Assert.Equal(2, entries.Length);
        Assert.EndsWith("; outcome=unknown", entries[1], StringComparison.Ordinal);
    }
}
