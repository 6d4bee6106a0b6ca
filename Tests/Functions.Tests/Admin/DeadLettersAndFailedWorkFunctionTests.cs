using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Admin;

/// <summary>
/// The admin functions over the local adapter: the Azurite <c>&lt;queue&gt;-deadletter</c> queues the local trigger host
/// dead-letters to, and failed work items in the WorkItems table. Every call is audited; bad input changes nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DeadLettersAndFailedWorkFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;
    private QueueClient queue = null!;
    private QueueClient deadLetters = null!;

    public async Task InitializeAsync()
    {
        queue = await WelcomeQueue.EmptyAsync(azurite);
        deadLetters = new QueueServiceClient(azurite.ConnectionString).GetQueueClient(WelcomeQueue.Name + StoredDeadLetter.QueueSuffix);
        app = await TestApp.StartAsync(azurite);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task DeadLetterAsync(string body) => deadLetters.DeadLetterAsync(body);

    private Task<WorkItem> FailedItemAsync(string subject) => app.FailedWorkItemAsync(subject);

    private async Task<string[]> AuditActionsAsync() =>
        (await app.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Order().ToArray();

    [Fact]
    public async Task ListDeadLetters_ShowsEachConsumedQueueWithCountReasonAndBody()
    {
        await DeadLetterAsync("""{"kind":"welcome-invitation","subjectId":"a1"}""");
        await DeadLetterAsync("not json");

        var body = await app.AdminJsonAsync("api/manage/dead-letters");

        var view = Assert.Single(body.GetProperty("queues").EnumerateArray(), q => q.GetProperty("count").GetInt32() > 0);
        Assert.Equal((WelcomeQueue.Name, 2), (view.GetProperty("queue").GetString(), view.GetProperty("count").GetInt32()));
        var first = view.GetProperty("messages")[0];
        Assert.Equal(("MaxDeliveryCountExceeded", 10), (first.GetProperty("reason").GetString(), first.GetProperty("deliveryCount").GetInt32()));
        Assert.Equal("""{"kind":"welcome-invitation","subjectId":"a1"}""", first.GetProperty("body").GetString());
        Assert.Equal(["deadletters.read"], await AuditActionsAsync());
    }

    [Fact]
    public async Task ListDeadLetters_RecordsTheAlumnusAShownBodyNamesInTheirTrail()
    {
        var (alumnus, withheld) = (Core.Alumni.AlumnusId.New(), Core.Alumni.AlumnusId.New());
        await DeadLetterAsync(JsonSerializer.Serialize(Message(WorkKinds.WelcomeInvitation, alumnus.Value), JsonSerializerOptions.Web));
        await DeadLetterAsync(JsonSerializer.Serialize(Message(WorkKinds.OpeningApproved, $"o1-{withheld.Value}"), JsonSerializerOptions.Web));
        await DeadLetterAsync("not json");

        await app.AdminJsonAsync("api/manage/dead-letters");

        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();
        var read = Assert.Single(await audit.AboutAsync(alumnus, CancellationToken.None));
        Assert.Equal(("deadletters.read", "messages=3"), (read.Action, read.Detail));
        Assert.Empty(await audit.AboutAsync(withheld, CancellationToken.None));
    }

    private static WorkMessage Message(string kind, string subject) =>
        new WorkItem { Kind = kind, SubjectId = subject, DueAt = TimeProvider.System.GetUtcNow() }.ToMessage();

    [Fact]
    public async Task RedriveDeadLetters_MovesTheOriginalBodiesBackOntoTheQueueAndAudits()
    {
        await DeadLetterAsync("""{"n":1}""");
        await DeadLetterAsync("""{"n":2}""");
        await DeadLetterAsync("""{"n":3}""");

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/dead-letters/{WelcomeQueue.Name}/redrive?limit=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 1), (result.GetProperty("redriven").GetInt32(), result.GetProperty("remaining").GetInt32()));
        var moved = (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText).Order().ToArray();
        Assert.Equal(["""{"n":1}""", """{"n":2}"""], moved);
        var audit = (await app.RowsAsync(AlumniTables.Audit)).Select(r => (r.GetString("Action"), r.GetString("Subject"), r.GetString("Detail"))).Order().ToArray();
        Assert.Equal([("deadletters.redrive", WelcomeQueue.Name, "limit=2"), ("deadletters.redrive.completed", WelcomeQueue.Name, "limit=2; moved=2")], audit);
    }

    [Fact]
    public async Task RedriveDeadLetters_RecordsTheAlumnusAMovedBodyNamesInTheirTrail()
    {
        var (alumnus, left) = (Core.Alumni.AlumnusId.New(), Core.Alumni.AlumnusId.New());
        await DeadLetterAsync(JsonSerializer.Serialize(Message(WorkKinds.WelcomeInvitation, alumnus.Value), JsonSerializerOptions.Web));
        await DeadLetterAsync(JsonSerializer.Serialize(Message(WorkKinds.WelcomeInvitation, left.Value), JsonSerializerOptions.Web));

        await app.AdminAsync(HttpMethod.Post, $"api/manage/dead-letters/{WelcomeQueue.Name}/redrive?limit=1");

        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();
        var redriven = Assert.Single(await audit.AboutAsync(alumnus, CancellationToken.None));
        Assert.Equal(("deadletters.redrive.completed", "limit=1; moved=1"), (redriven.Action, redriven.Detail));
        Assert.Empty(await audit.AboutAsync(left, CancellationToken.None));
    }

    [Theory]
    [InlineData("GET", "api/manage/dead-letters?queue=someone-elses-queue", "queue")]
    [InlineData("GET", "api/manage/dead-letters?limit=0", "limit")]
    [InlineData("GET", "api/manage/dead-letters?limit=abc", "limit")]
    [InlineData("POST", "api/manage/dead-letters/welcome-invitations/redrive?limit=100000", "limit")]
    [InlineData("GET", "api/manage/work/failed?kind=unknown-kind", "kind")]
    [InlineData("GET", "api/manage/work/failed?limit=-1", "limit")]
    [InlineData("POST", "api/manage/work/failed/retry?kind=%3Cscript%3E", "kind")]
    [InlineData("POST", "api/manage/work/failed/retry?limit=1.5", "limit")]
    public async Task BadInput_Gets400NamingTheFieldAndChangesNothing(string method, string path, string field)
    {
        await DeadLetterAsync("""{"n":1}""");
        await FailedItemAsync("a".PadRight(32, '0'));
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
        Assert.Equal(rows, await app.CountAllRowsAsync());
        Assert.Equal(1, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal("Failed", Assert.Single(await app.RowsAsync(AlumniTables.WorkItems)).GetString("Status"));
    }

    [Fact]
    public async Task RedriveOfAQueueTheAppDoesNotConsume_Is404AndMovesNothing()
    {
        await DeadLetterAsync("""{"n":1}""");
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/dead-letters/someone-elses-queue/redrive");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(rows, await app.CountAllRowsAsync());
        Assert.Equal(1, (await deadLetters.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task ListFailedWork_ShowsKindSubjectAndReasonOnly()
    {
        var subject = "b".PadRight(32, '0');
        await FailedItemAsync(subject);

        var body = await app.AdminJsonAsync("api/manage/work/failed");

        Assert.Equal(1, body.GetProperty("total").GetInt32());
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal((WorkKinds.WelcomeInvitation, subject, "provider-refused:401"),
            (item.GetProperty("kind").GetString(), item.GetProperty("subjectId").GetString(), item.GetProperty("reason").GetString()));
        Assert.Equal(["work.failed.read"], await AuditActionsAsync());
        Assert.Equal(["work.failed.read"], (await app.Services.GetRequiredService<Core.Audit.IAuditLog>().AboutAsync(Core.Alumni.AlumnusId.Parse(subject), CancellationToken.None)).Select(e => e.Action));
    }

    [Fact]
    public async Task RetryFailedWork_PutsItemsBackToPendingSoTheDispatcherSendsThemAgain()
    {
        var subject = "c".PadRight(32, '0');
        await FailedItemAsync(subject);

        var response = await app.AdminAsync(HttpMethod.Post, "api/manage/work/failed/retry?kind=welcome-invitation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retried").GetInt32());
        var row = Assert.Single(await app.RowsAsync(AlumniTables.WorkItems));
        Assert.Equal(("Pending", 0), (row.GetString("Status"), row.GetInt32("Attempts")));
        var dispatched = await app.Services.CreateScope().ServiceProvider.GetRequiredService<Core.Scheduling.DispatchDueWork>().HandleAsync(CancellationToken.None);
        Assert.Single(dispatched);
        Assert.Equal(["work.failed.retry", "work.failed.retry.completed"], (await AuditActionsAsync()).Order(StringComparer.Ordinal));
        var about = Assert.Single(await app.Services.GetRequiredService<Core.Audit.IAuditLog>().AboutAsync(Core.Alumni.AlumnusId.Parse(subject), CancellationToken.None));
        Assert.Equal(("work.failed.retry.completed", "limit=100; retried=1; remaining=0"), (about.Action, about.Detail));
    }
}
