using System.Net;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>
/// The event-wide mail on Azurite when the provider refuses one attendee's mail for good (a SendGrid stand-in answering
/// 400 to every request that mails them): everyone else is still reminded and told of the cancellation, and the work
/// item completes. An attendee whose name holds a comma, which SendGrid refuses in a recipient name, is served.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventMailRefusalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SendGridStandIn provider = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        provider = await SendGridStandIn.StartAsync();
        app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:BaseUrl"] = provider.BaseAddress.ToString() });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task OneAttendeesMailRefusedWith400_TheOthersAreStillRemindedAndToldOfTheCancellation()
    {
        var eventId = await app.PublishedEventAsync(capacity: 5);
        var n = Guid.NewGuid().ToString("N")[..8];
        var others = new[] { await app.PersonAsync(), await app.PersonAsync(), await app.SeedAsync($"C{n}", $"c{n}@example.net", "花子, Jr.", "山田") };
        var refused = await app.SeedAsync($"E{n}", $"p{n}@example.net", "太郎", "山田");
        provider.RefuseTo = to => to == $"p{n}@example.net" ? 400 : null;
        foreach (var person in others.Append(refused))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.RsvpAsync(eventId, person, "attend")).StatusCode);
        }

        await app.DeliverEventMailAsync();
        var confirmed = provider.Mails.Count;
        Assert.Contains(provider.Mails, m => m.To == $"c{n}@example.net");

        using (var scope = app.Services.CreateScope())
        {
            var e = (await app.Services.GetRequiredService<IEventStore>().GetAsync(eventId, CancellationToken.None))!;
            var lead = app.Services.GetRequiredService<IOptions<EventOptions>>().Value.ReminderLead;
            var (reminded, run) = await scope.ServiceProvider.GetRequiredService<Core.Events.SendEventMail>()
                .HandleAsync(EventWork.Reminder(e, lead, TimeProvider.System.GetUtcNow())!.ToMessage(), CancellationToken.None);
            Assert.Equal(WorkRunOutcome.Completed, run);
            Assert.Equal((3, 1), (reminded!.Sent, reminded.Refused));
        }

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel")).StatusCode);
        await app.DeliverEventMailAsync();

        var mails = provider.Mails.Skip(confirmed).ToList();
        Assert.Equal(3, mails.Count(m => m.Subject.Contains("リマインダー", StringComparison.Ordinal)));
        var cancellations = mails.Where(m => m.Subject.Contains("開催中止", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, cancellations.Count);
        Assert.All(cancellations, m => Assert.Contains("METHOD:CANCEL", Assert.Single(m.Attachments), StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.To == $"p{n}@example.net");
        Assert.Equal(3, mails.Select(m => m.To).Distinct().Count());
        var work = await app.RowsAsync(AlumniTables.WorkItems);
        Assert.DoesNotContain(work, r => r.GetString("Status") == "Failed" && r.GetString("SubjectId") == eventId);
        // Counted refused and marked told: not asked again on every later run.
        var store = app.Services.GetRequiredService<IEventStore>();
        var cancelled = (await store.GetAsync(eventId, CancellationToken.None))!;
        Assert.False((await store.GetRsvpAsync(eventId, refused, CancellationToken.None))!.NoticePending(cancelled));
    }
}
