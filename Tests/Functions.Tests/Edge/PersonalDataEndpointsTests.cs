using System.Net;
using AlumniNetwork.Functions.Hosting.Edge;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.AspNetCore.Routing;

namespace AlumniNetwork.Functions.Tests.Edge;

/// <summary>
/// ADR 0013: admin answers that hold personal data are neither cached nor sniffed. Every admin endpoint the app maps is
/// read from its routing table: each is marked <see cref="ResponseHeaders.HoldsPersonalData{TBuilder}"/> or named below as
/// answering without personal data, so a new endpoint cannot forget the mark unnoticed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonalDataEndpointsTests(AzuriteFixture azurite)
{
    /// <summary>Admin endpoints whose answers hold no personal data: counts, ids, texts the admins wrote, or nothing.</summary>
    private static readonly HashSet<string> WithoutPersonalData =
    [
        "GET /api/manage/openapi.json",
        "POST /api/manage/departures/import",
        "GET /api/manage/campaigns",
        "GET /api/manage/campaigns/{id}",
        "POST /api/manage/news",
        "GET /api/manage/news",
        "GET /api/manage/news/{id}",
        "PUT /api/manage/news/{id}",
        "DELETE /api/manage/news/{id}",
        "GET /api/manage/newsletter/preview",
        "POST /api/manage/newsletter/test",
        "POST /api/manage/dead-letters/{queue}/redrive",
        "POST /api/manage/work/failed/retry",
        "GET /api/manage/surveys",
        "POST /api/manage/surveys",
        "GET /api/manage/surveys/{id:length(32)}",
        "PUT /api/manage/surveys/{id:length(32)}",
        "POST /api/manage/surveys/{id:length(32)}/publish",
        "POST /api/manage/surveys/{id:length(32)}/close",
        "POST /api/manage/surveys/{id:length(32)}/waves",
        "GET /api/manage/surveys/{id:length(32)}/results",
    ];

    [Fact]
    public async Task EveryAdminEndpoint_IsMarkedAsHoldingPersonalData_OrNamedAsHoldingNone()
    {
        await using var app = await TestApp.StartAsync(azurite);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/manage/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Name: $"{m} {e.RoutePattern.RawText}", Endpoint: e)))
            .ToArray();

        var unmarked = endpoints.Where(e => e.Endpoint.Metadata.GetMetadata<PersonalDataResponse>() is null).Select(e => e.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Contains(endpoints, e => e.Name == "GET /api/manage/events/{id:length(32)}/attendees");
        Assert.Empty(unmarked.Except(WithoutPersonalData));
    }

    public static TheoryData<string, string, string?> EventEndpoints => new()
    {
        { "GET", "api/manage/events/{event}", null },
        { "GET", "api/manage/events/{event}/attendees", null },
        { "GET", "api/manage/events/{event}/attendees.csv", null },
        { "PUT", "api/manage/events/{event}/attendance/{alumnus}", """{"attended":true}""" },
        { "PUT", "api/manage/events/{event}/attendance/{alumnus}", """{"attended":"refused"}""" },
    };

    [Theory]
    [MemberData(nameof(EventEndpoints))]
    public async Task EventAttendeeAnswers_AreNeitherCachedNorSniffed(string method, string path, string? body)
    {
        await using var app = await TestApp.StartAsync(azurite);
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        await app.StartEventAsync(eventId);

        var response = await app.AdminAsync(new HttpMethod(method), path.Replace("{event}", eventId, StringComparison.Ordinal).Replace("{alumnus}", person.Value, StringComparison.Ordinal), body);

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
