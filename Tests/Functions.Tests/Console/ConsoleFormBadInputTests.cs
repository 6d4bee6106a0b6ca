using System.Net;
using Azure.Storage.Queues;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Hostile;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The console's forms that the hostile suite does not reach (it lists the console by its methods only): each is posted
/// signed in, with a valid antiforgery token and one bad field, at a real record where the route names one, and must be
/// refused with a page in the console's languages, leaving every table as it was.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleFormBadInputTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Home = "/api/console/home";
    private const string Queue = "campaign-batches";

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "redrive", "limit", "0" },
        { "redrive", "limit", "1001" },
        { "redrive", "limit", "abc" },
        { "retry", "kind", "unknown" },
        { "retry", "limit", "0" },
        { "retry", "limit", "abc" },
        { "search", "q", new string('x', 201) },
        { "search", "status", "Erased" },
        { "search", "page", "0" },
        { "attendance", "attended", "yes" },
        { "attendance", "attended", "1" },
        { "opening", "kind", "Internship" },
        { "opening", "start", "2027-02-30" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task BadField_Returns400PageNamingIt_AndChangesNoRow(string form, string field, string value)
    {
        var path = await TargetAsync(form);
        // An edit form carries the record's version (ADR 0032): posted from the record's page, so a missing one is not the fault.
        var page = await Admin.GetPageAsync(form == "opening" ? path : Home);
        var (before, deadLetters) = (await App.SnapshotWithoutKeyRingAsync(), await DeadLettersAsync());

        var response = await Admin.PostFormOfAsync(page, path, (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<code>{field}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.Equal(deadLetters, await DeadLettersAsync());
    }

    [Theory]
    [InlineData("/api/console/newsletter/news/00000000000000000000000000000000/delete", null)]
    [InlineData("/api/console/conflicts/entries/00000000000000000000000000000000/remove", "638000000000000000")] // a removal carries the version it confirmed
    public async Task DeletingWhatIsNotThere_Returns404_AndChangesNoRow(string path, string? version)
    {
        await App.AdminAsync(HttpMethod.Post, "api/manage/news", Newsletters.NewsletterAdminTests.Item);
        await Admin.GetPageAsync(Home);
        var before = await App.SnapshotWithoutKeyRingAsync();

        (string, string)[] fields = version is null ? [] : [(Core.Admin.RecordVersion.Field, version)];
        var response = await Admin.PostFormFromAsync(Home, path, fields);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Fact]
    public async Task DeletingANewsItemWithoutTheFormsToken_Returns400_AndKeepsTheItem()
    {
        var created = await App.AdminAsync(HttpMethod.Post, "api/manage/news", Newsletters.NewsletterAdminTests.Item);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Admin.GetPageAsync(Home);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.PostRawAsync($"/api/console/newsletter/news/{id}/delete", [(ConsoleAuthentication.AntiforgeryField, "forged")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    /// <summary>The console's forms share the alumni forms' limit: a chunked body, with no Content-Length, is stopped at it too.</summary>
    [Fact]
    public async Task ChunkedFormOver64KiB_Returns413_AndChangesNoRow()
    {
        var page = await Admin.GetPageAsync(Home);
        var before = await App.SnapshotWithoutKeyRingAsync();
        var form = $"{ConsoleAuthentication.AntiforgeryField}={Uri.EscapeDataString(ConsoleClient.TokenOf(page))}&q={new string('x', 70_000)}";

        var response = await RawHttp.SendAsync(App.BaseAddress, RawHttp.Request(App.BaseAddress, "POST", "/api/console/alumni",
            [("Cookie", Admin.Cookies.GetCookieHeader(App.BaseAddress)), ("Sec-Fetch-Site", "same-origin"),
             ("Content-Type", "application/x-www-form-urlencoded"), ("Transfer-Encoding", "chunked")], HostileCases.Chunked(form)), halfClose: false);

        Assert.Equal(413, response?.Status);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    /// <summary>The path each form posts to, aiming at a real record: a dead letter to re-drive, an attending member, an open opening.</summary>
    private async Task<string> TargetAsync(string form)
    {
        switch (form)
        {
            case "redrive":
                var deadLetters = new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(Queue + StoredDeadLetter.QueueSuffix);
                await deadLetters.CreateIfNotExistsAsync();
                await deadLetters.DeadLetterAsync("""{"campaignId":"console"}""");
                return $"/api/console/campaigns/dead-letters/{Queue}/redrive";
            case "retry":
                await App.FailedWorkItemAsync(Core.Alumni.AlumnusId.New().Value);
                return "/api/console/campaigns/failed-work/retry";
            case "search":
                await App.MemberAsync();
                return "/api/console/alumni";
            case "attendance":
                var member = await App.MemberAsync("ja-JP", "Events");
                var eventId = await App.PublishedEventAsync();
                Assert.Equal(HttpStatusCode.OK, (await App.RsvpAsync(eventId, member, "attend")).StatusCode);
                return $"/api/console/events/{eventId}/attendance/{member.Value}";
            case "opening":
                return $"/api/console/openings/{await App.CreateOpeningAsync()}";
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, "No such console form.");
        }
    }

    private async Task<int> DeadLettersAsync()
    {
        var deadLetters = new QueueServiceClient(Azurite.ConnectionString).GetQueueClient(Queue + StoredDeadLetter.QueueSuffix);
        return await deadLetters.ExistsAsync() ? (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }
}
