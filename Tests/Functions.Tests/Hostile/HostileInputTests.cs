using System.Text.Json;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>
/// Our own hostile-input suite (issue 7): several hundred generated bad requests across every HTTP function, each of
/// which must be answered with the right 4xx and a readable body (problem details, an alumni page, or SendGrid's error
/// format for the development sink), and must leave every row of every table as it was. Refused requests write
/// nothing, not even an audit entry: refusals are logged, the audit log records reads and changes that happened.
/// The suite's fixture owns its Azurite and its app, shared by every case.
/// </summary>
public sealed class HostileInputTests(HostileSuiteFixture suite) : IClassFixture<HostileSuiteFixture>
{
    private static readonly Dictionary<string, HostileCase> ById = HostileCases.All.ToDictionary(c => c.Id);

    public static TheoryData<string> Cases => new(HostileCases.All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_IsRefusedWithA4xxAndAReadableBody_AndChangesNoRow(string id)
    {
        var hostile = ById[id];

        var reply = await hostile.Send(suite.Context);

        var after = await suite.Context.App.SnapshotAsync();
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

    private static string Shorten(string body) => body.Length > 400 ? body[..400] + "…" : body;
}
