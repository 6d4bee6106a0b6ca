using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>The console's test send when SendGrid does not take it: a page that says so in the admin's language with the details in English, never a 500.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleNewsletterTestSendFailureTests(AzuriteFixture azurite)
{
    private const string Newsletter = "/api/console/newsletter";

    [Theory]
    [InlineData(503, "メールは送られていません", "did not accept the test mail; it was not sent.")]
    [InlineData(502, "メールは送られたかもしれません", "the test mail may or may not have been sent.")]
    public async Task ProviderDoesNotTakeIt_Is503WithAReadableMessageInJapaneseAndEnglish(int answer, string japanese, string english)
    {
        await using var provider = await SendGridStandIn.StartAsync();
        provider.RefuseWith = _ => answer;
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
        using var admin = await ConsoleClient.SignedInAsync(app, AdminRoles.Admin);
        await admin.PostFormFromAsync(Newsletter + "/news/new", Newsletter + "/news", ("titleJa", "新年交流会"), ("titleEn", "New Year meetup"),
            ("bodyJa", "東京で開催します。"), ("bodyEn", "Tokyo."), ("link", ""), ("publishFrom", "2026-11-01T09:00"), ("publishUntil", ""));

        var response = await admin.PostFormFromAsync(Newsletter + "/preview", Newsletter + "/test", ("email", "editor@example.com"), ("locale", "en-US"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(japanese, page, StringComparison.Ordinal);
        Assert.Contains(english, page, StringComparison.Ordinal);
        Assert.Empty(provider.Mails);
    }
}
