using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.TakeBackWrites;

/// <summary>
/// The takeback work item, dispatched and run through the function's invocation endpoint on Azurite: written when a page's
/// write met an erasure that had begun (ADR 0007), it names the person only and removes whatever such a page can write.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TakeBackWritesFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] PageTables = [AlumniTables.Events, AlumniTables.Openings, AlumniTables.CollaborationCards, AlumniTables.Profiles, AlumniTables.SurveyResponses];
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData("surveyanswer-")]
    [InlineData("rsvp-")]
    public async Task WorkItemForAPerson_RemovesTheirRsvpInterestCardProfileAndSurveyAnswers_AndFreesTheSeat(string formerRecordPrefix)
    {
        // "" is the subject written now (the alumnus id alone); the others were queued before it named the person only.
        var id = await app.CollaboratorAsync("en-US");
        var eventId = await app.PublishedEventAsync(capacity: 2);
        (await app.RsvpAsync(eventId, id, "attend")).EnsureSuccessStatusCode();
        (await app.InterestAsync(id, await app.CreateOpeningAsync(), note: "Keen to help")).EnsureSuccessStatusCode();
        var attributed = await app.PublishedSurveyAsync("Attributed");
        var anonymous = await app.PublishedSurveyAsync("Anonymous");
        (await app.AnswerAsync(attributed, id, ("recommend", "2"), ("why", "人事評価が不透明"))).EnsureSuccessStatusCode();
        (await app.AnswerAsync(anonymous, id, ("recommend", "8"))).EnsureSuccessStatusCode();
        foreach (var table in PageTables)
        {
            Assert.True(await NamesAsync(table, id), $"{table} holds nothing of the person to take back");
        }

        Assert.True(await AnonymousGuardsAsync(anonymous));
        Assert.Equal(1, (await app.Services.GetRequiredService<IEventStore>().GetAsync(eventId, CancellationToken.None))!.Attending);

        await app.Services.GetRequiredService<IWorkItemStore>().ScheduleAsync(
            new WorkItem { Kind = WorkKinds.TakeBack, SubjectId = formerRecordPrefix + id.Value, DueAt = TimeProvider.System.GetUtcNow() }, CancellationToken.None);
        Assert.Equal(1, await app.DeliverAsync("takeBacks", Functions.TakeBackWrites.TakeBackWritesFunction.Name));

        foreach (var table in PageTables)
        {
            Assert.False(await NamesAsync(table, id), $"{table} still holds the person");
        }

        Assert.False(await AnonymousGuardsAsync(anonymous));
        Assert.Equal(0, (await app.Services.GetRequiredService<IEventStore>().GetAsync(eventId, CancellationToken.None))!.Attending);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == WorkKinds.TakeBack);
    }

    /// <summary>Whether any row of the table names the person, in its keys or its values.</summary>
    private async Task<bool> NamesAsync(string table, AlumnusId id) =>
        (await app.RowsAsync(table)).Any(r => $"{r.PartitionKey}|{r.RowKey}|{string.Join("|", r.Select(p => p.Value))}".Contains(id.Value, StringComparison.Ordinal));

    /// <summary>Whether the anonymous survey holds a guard: the person's pseudonym, the only one who answered it.</summary>
    private async Task<bool> AnonymousGuardsAsync(string surveyId) =>
        (await app.RowsAsync(AlumniTables.SurveyResponses)).Any(r => r.PartitionKey == surveyId && r.RowKey.StartsWith("g-", StringComparison.Ordinal));
}
