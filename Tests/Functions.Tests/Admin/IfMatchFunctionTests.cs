using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Functions.Tests.Newsletters;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>
/// Optimistic concurrency of the JSON admin API (ADR 0032): each record's read answers with its version as a strong ETag;
/// each change of it takes an optional If-Match: the matching tag changes it and answers the new one, a stale tag is 412
/// and a malformed one 400 (both naming If-Match, every table as it was), and * or no header change it as before.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IfMatchFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string> Endpoints => ["update event", "publish event", "cancel event", "update opening", "send opening", "replace news item", "edit survey", "publish survey"];

    public static TheoryData<string, string> Malformed()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
        {
            foreach (var value in new[] { "638000000000000000", "\"1\", \"2\"", "W/\"638000000000000000\"", "\"abc\"", "\"\"", "\"0\"", "\"-5\"", "*, \"1\"" })
            {
                data.Add(endpoint, value);
            }
        }

        return data;
    }

    /// <summary>One record to change: its read, the change, and an edit that makes a tag stale.</summary>
    private sealed record Target(string Read, HttpMethod Method, string Write, string? Body, string Edit, string EditBody);

    private async Task<Target> CreateAsync(string endpoint)
    {
        switch (endpoint)
        {
            case "update event" or "publish event" or "cancel event":
                var eventId = await app.CreateEventAsync();
                var eventPath = $"api/manage/events/{eventId}";
                return endpoint == "update event"
                    ? new(eventPath, HttpMethod.Put, eventPath, EventSeeds.Body(title: "変更後の講演会"), eventPath, EventSeeds.Body(capacity: 3))
                    : new(eventPath, HttpMethod.Post, $"{eventPath}/{(endpoint == "publish event" ? "publish" : "cancel")}", null, eventPath, EventSeeds.Body(capacity: 3));
            case "update opening" or "send opening":
                var openingId = await app.CreateOpeningAsync();
                var openingPath = $"api/manage/openings/{openingId}";
                return endpoint == "update opening"
                    ? new(openingPath, HttpMethod.Put, openingPath, OpeningSeeds.Body(title: "変更後"), openingPath, OpeningSeeds.Body(title: "別の変更"))
                    : new(openingPath, HttpMethod.Post, $"{openingPath}/send", null, openingPath, OpeningSeeds.Body(title: "別の変更"));
            case "edit survey" or "publish survey":
                var surveyPath = $"api/manage/surveys/{await app.CreateSurveyAsync()}";
                return endpoint == "edit survey"
                    ? new(surveyPath, HttpMethod.Put, surveyPath, SurveySeeds.Body(title: "変更後"), surveyPath, SurveySeeds.Body(title: "別の変更"))
                    : new(surveyPath, HttpMethod.Post, $"{surveyPath}/publish", null, surveyPath, SurveySeeds.Body(title: "別の変更"));
            default:
                var created = await app.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var newsPath = $"api/manage/news/{(await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()}";
                var replaced = NewsletterAdminTests.Item.Replace("New Year meetup", "New Year party", StringComparison.Ordinal);
                return new(newsPath, HttpMethod.Put, newsPath, replaced, newsPath, replaced.Replace("party", "gathering", StringComparison.Ordinal));
        }
    }

    private async Task<string> CurrentTagAsync(Target target)
    {
        var read = await app.AdminAsync(HttpMethod.Get, target.Read);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        return TagOf(read)!;
    }

    private static string? TagOf(HttpResponseMessage response) => response.Headers.TryGetValues("ETag", out var values) ? Assert.Single(values) : null;

    /// <summary>The strong tag of the <c>updatedAt</c> the body shows.</summary>
    private static async Task<string> TagOfBodyAsync(HttpResponseMessage response) =>
        $"\"{(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("updatedAt").GetDateTimeOffset().UtcTicks}\"";

    private async Task<HttpResponseMessage> WriteAsync(Target target, string? ifMatch)
    {
        using var request = new HttpRequestMessage(target.Method, target.Write);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Token());
        if (ifMatch is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("If-Match", ifMatch));
        }

        if (target.Body is not null)
        {
            request.Content = new StringContent(target.Body, Encoding.UTF8, "application/json");
        }

        return await app.Client.SendAsync(request);
    }

    private async Task EditAsync(Target target) =>
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Put, target.Edit, target.EditBody)).StatusCode);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task TheReadsETag_AsIfMatch_Changes_AndTheAnswerCarriesTheNewETag(string endpoint)
    {
        var target = await CreateAsync(endpoint);
        var tag = await CurrentTagAsync(target);
        Assert.Matches("^\"[0-9]+\"$", tag);

        var response = await WriteAsync(target, tag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fresh = TagOf(response);
        Assert.Equal(await TagOfBodyAsync(response), fresh);
        Assert.Equal(await CurrentTagAsync(target), fresh);

        if (target.Body is not null)
        {
            Assert.NotEqual(tag, fresh);
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await WriteAsync(target, tag)).StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AStaleIfMatch_Is412NamingIfMatch_AndNothingIsWrittenAuditedOrSent(string endpoint)
    {
        var target = await CreateAsync(endpoint);
        var seen = await CurrentTagAsync(target);
        await EditAsync(target);
        var before = await app.SnapshotAsync();

        var response = await WriteAsync(target, seen);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("If-Match:", detail, StringComparison.Ordinal);
        Assert.Contains("changed since it was read", detail, StringComparison.Ordinal);
        Assert.Null(TagOf(response));
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedIfMatch_Is400NamingIfMatch_AndChangesNothing(string endpoint, string ifMatch)
    {
        var target = await CreateAsync(endpoint);
        var before = await app.SnapshotAsync();

        var response = await WriteAsync(target, ifMatch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("If-Match", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task AStarOrNoIfMatch_ChangesWhateverTheVersion_AsBefore(string endpoint)
    {
        var target = await CreateAsync(endpoint);
        await EditAsync(target);

        var star = await WriteAsync(target, "*");
        var none = await WriteAsync(target, null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (star.StatusCode, none.StatusCode));
        Assert.Equal(await TagOfBodyAsync(none), TagOf(none));
    }
}
