using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>The event store's queries and its conditional transaction on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableEventStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    private IEventStore Store => app.Services.GetRequiredService<IEventStore>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Upcoming_ListsPublishedEventsFromAnInstant_SoonestFirst_WithoutDraftsOrCancelled()
    {
        var published = await app.PublishedEventAsync();
        var draft = await app.CreateEventAsync();
        var cancelled = await app.PublishedEventAsync();
        await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{cancelled}/cancel");

        var upcoming = await Store.UpcomingAsync(TimeProvider.System.GetUtcNow(), CancellationToken.None);
        var later = await Store.UpcomingAsync(TimeProvider.System.GetUtcNow().AddDays(31), CancellationToken.None);

        Assert.Equal([published], upcoming.Select(e => e.Id));
        Assert.Empty(later);
        Assert.DoesNotContain(draft, upcoming.Select(e => e.Id));
    }

    [Fact]
    public async Task SaveWithAStaleEventETag_WritesNothing()
    {
        var id = await app.PublishedEventAsync();
        var stale = (await Store.GetAsync(id, CancellationToken.None))!;
        var fresh = (await Store.GetAsync(id, CancellationToken.None))!;
        var first = fresh.Attend(null, AlumnusId.New(), TimeProvider.System.GetUtcNow());
        Assert.True(await Store.TrySaveAsync(fresh, first.Changed, CancellationToken.None));

        var second = stale.Attend(null, AlumnusId.New(), TimeProvider.System.GetUtcNow());

        Assert.False(await Store.TrySaveAsync(stale, second.Changed, CancellationToken.None));
        Assert.Single(await Store.RsvpsAsync(id, CancellationToken.None));
        Assert.Equal(1, (await Store.GetAsync(id, CancellationToken.None))!.Attending);
    }
}
