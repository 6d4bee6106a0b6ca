using System.Text.Json;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Functions.Tests.Admin;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>
/// Our own hostile-input suite (issue 7): several hundred generated bad requests across every HTTP function, each of
/// which must be answered with the right 4xx and a readable body (problem details, an alumni page, or SendGrid's error
/// format for the development sink), and must leave every row of every table, every queue message and the SendGrid sink
/// as they were. Admin cases aim at real records (<see cref="Target"/>) and break the endpoint's own rules one field at a
/// time (<see cref="BadBody"/>), so a refusal is the rule's, never "not found" or "unknown field". Refused requests write
/// nothing, not even an audit entry: refusals are logged, the audit log records reads and changes that happened.
/// The suite's fixture owns its Azurite and its app, shared by every case.
/// </summary>
public sealed class HostileInputTests(HostileSuiteFixture suite) : IClassFixture<HostileSuiteFixture>
{
    private static readonly Dictionary<string, HostileCase> ById = HostileCases.All.ToDictionary(c => c.Id);

    public static TheoryData<string> Cases => new(HostileCases.All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public Task BadRequest_IsRefusedWithA4xxAndAReadableBody_AndChangesNoRow(string id) => RefusedAsync(id);

    /// <summary>
    /// The records admin cases aim at exist as the fixture made them, so a refusal is never just "not found": both events,
    /// the member's attending answer, the news item, the campaign, the dead letter a re-drive would move, the published
    /// survey (version 1, so version=2 names no version), the draft survey and the open opening not yet sent.
    /// </summary>
    [Fact]
    public async Task EveryTarget_NamesARealRecord()
    {
        var context = suite.Context;
        var targets = context.Targets;
        Assert.Equal("Published", (await context.App.AdminJsonAsync($"api/manage/events/{context.EventId}")).GetProperty("status").GetString());
        Assert.Equal("Draft", (await context.App.AdminJsonAsync($"api/manage/events/{targets.DraftEventId}")).GetProperty("status").GetString());
        var rsvp = await context.App.Services.GetRequiredService<IEventStore>().GetRsvpAsync(context.EventId, context.Member, CancellationToken.None);
        Assert.Equal(RsvpStatus.Attending, rsvp?.Status);
        Assert.Contains((await context.App.AdminJsonAsync("api/manage/news")).EnumerateArray(), n => n.GetProperty("id").GetString() == targets.NewsItemId);
        Assert.Equal(targets.CampaignId, (await context.App.AdminJsonAsync($"api/manage/campaigns/{targets.CampaignId}")).GetProperty("campaignId").GetString());
        Assert.Contains($"queue|{HostileContext.CampaignBatchesQueue}{StoredDeadLetter.QueueSuffix}|1|", string.Join("\n", await suite.SnapshotAsync()), StringComparison.Ordinal);
        var published = await context.App.AdminJsonAsync($"api/manage/surveys/{context.SurveyId}");
        Assert.Equal(("Published", 1), (published.GetProperty("status").GetString(), published.GetProperty("version").GetInt32()));
        Assert.Equal("Draft", (await context.App.AdminJsonAsync($"api/manage/surveys/{targets.DraftSurveyId}")).GetProperty("status").GetString());
        var opening = await context.App.AdminJsonAsync($"api/manage/openings/{targets.OpeningId}");
        Assert.Equal(("Open", JsonValueKind.Null), (opening.GetProperty("status").GetString(), opening.GetProperty("sentAt").ValueKind));
    }

    /// <summary>
    /// The collaboration request body names the member, who is listed for employees and agrees to requests: a bad body
    /// let through would be stored and sent, not refused for another reason.
    /// </summary>
    [Fact]
    public async Task CollaborationTarget_WouldTakeARequest()
    {
        var context = suite.Context;
        var card = await context.App.Services.GetRequiredService<Core.Collaboration.ICollaborationStore>().GetCardAsync(context.Member, CancellationToken.None);
        Assert.True(card is { ListedForEmployees: true, RequestsPaused: false });
        var alumnus = await context.App.Services.GetRequiredService<Core.Alumni.IAlumniStore>().GetAsync(context.Member, CancellationToken.None);
        Assert.Contains(Core.Consent.ConsentPurpose.Collaboration, alumnus!.Consented!);
    }

    /// <summary>
    /// The valid body each bad body breaks is taken as it stands, at the endpoint's target: so each bad body is refused
    /// for the one field it breaks, not for something already wrong in the rest. Only endpoints that create, or rewrite
    /// their target with what it holds, or only read (a search) are sent here: the records the other cases aim at stay as they are.
    /// </summary>
    [Theory]
    [InlineData("CreateSurvey")]
    [InlineData("EditSurvey")]
    [InlineData("StartSurveyWave")]
    [InlineData("CreateOpening")]
    [InlineData("UpdateOpening")]
    [InlineData("RequestCollaboration")]
    [InlineData("SearchAlumniByBody")]
    public async Task ValidBody_IsTaken(string name)
    {
        var endpoint = EndpointCatalogue.All.Single(e => e.Name == name);
        var admin = (AdminEndpoint)endpoint.Kind;
        Assert.NotEmpty(admin.BadBodies!);

        var reply = await suite.Context.SendAsync(new HttpMethod(endpoint.Methods[0]), suite.Context.PathTo(endpoint, admin.Target),
            HostileContext.Body(suite.Context.Bind(admin.ValidBody), "application/json"), [("Authorization", "Bearer " + suite.Context.AdminToken())]);

        suite.Snapshot = await suite.SnapshotAsync();
        Assert.True(reply.Status is >= 200 and < 300, $"{name}: answered {reply.Status} to its valid body. Body: {Shorten(reply.Body)}");
    }

    private async Task RefusedAsync(string id)
    {
        var hostile = ById[id];

        var reply = await hostile.Send(suite.Context);

        var after = await suite.SnapshotAsync();
        var before = suite.Snapshot;
        suite.Snapshot = after;
        Assert.True(hostile.Statuses.Contains(reply.Status), $"{id}: answered {reply.Status}, expected {string.Join(" or ", hostile.Statuses)}. Body: {Shorten(reply.Body)}");
        AssertReadable(hostile, reply);
        Assert.Equal(before, after);
    }

    [Fact]
    public void EveryHttpFunction_IsInTheCatalogue() =>
        Assert.Empty(EndpointCatalogue.HttpFunctionDefinitions.Select(f => f.Name).Except(EndpointCatalogue.HttpFunctions.Keys));

    [Fact]
    public void EveryCatalogueEntry_IsAnHttpFunction() =>
        Assert.Empty(EndpointCatalogue.HttpFunctions.Keys.Except(EndpointCatalogue.HttpFunctionDefinitions.Select(f => f.Name)));

    [Fact]
    public void Suite_HasAtLeast300UniqueCases_AndEveryEndpointHasItsOwn()
    {
        Assert.True(HostileCases.All.Count >= 300, $"only {HostileCases.All.Count} cases");
        Assert.Equal(HostileCases.All.Count, ById.Count);
        Assert.All(EndpointCatalogue.All, e => Assert.Contains(HostileCases.All, c => c.Endpoint == e.Name));
    }

    private static void AssertReadable(HostileCase hostile, Reply reply)
    {
        Assert.DoesNotContain("Exception", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", reply.Body, StringComparison.Ordinal);
        switch (hostile.Answer)
        {
            case Answer.Problem:
                Assert.Equal("application/problem+json", reply.MediaType);
                using (var problem = JsonDocument.Parse(reply.Body))
                {
                    Assert.Equal(reply.Status, problem.RootElement.GetProperty("status").GetInt32());
                    Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()), "a problem has a title");
                    AssertNames(hostile, problem.RootElement);
                }

                break;
            case Answer.Page:
                Assert.Equal("text/html", reply.MediaType);
                Assert.Contains("<html lang=\"", reply.Body, StringComparison.Ordinal);
                Assert.Contains("<h1", reply.Body, StringComparison.Ordinal);
                Assert.Contains("</html>", reply.Body, StringComparison.Ordinal);
                break;
            case Answer.SendGridErrors:
                Assert.Equal("application/json", reply.MediaType);
                using (var errors = JsonDocument.Parse(reply.Body))
                {
                    Assert.NotEqual(0, errors.RootElement.GetProperty("errors").GetArrayLength());
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown answer {hostile.Answer}.");
        }
    }

    /// <summary>
    /// A refused field is named in the problem's <c>errors</c>, so the admin knows what to correct; a list named as a
    /// whole (<c>addresses</c>) names each of its entries (<c>addresses[1]</c>).
    /// </summary>
    private static void AssertNames(HostileCase hostile, JsonElement problem)
    {
        if (hostile.Names is not { } names)
        {
            return;
        }

        string[] named = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? [.. errors.EnumerateArray().Select(e => e.GetProperty("field").GetString() ?? "")]
            : [];
        Assert.True(named.Any(n => names.Any(f => f == n || f.StartsWith(n + "[", StringComparison.Ordinal))), $"{hostile.Id}: the problem names [{string.Join(", ", named)}], not {string.Join(" or ", names)}");
    }

    private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body;
}
