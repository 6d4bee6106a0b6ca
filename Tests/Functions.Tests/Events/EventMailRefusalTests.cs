using System.Net;
using System.Text;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>
/// The event-wide mail on Azurite and the dev SendGrid sink when the provider refuses one attendee's mail for good:
/// everyone else is still reminded and told of the cancellation, and the work item completes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventMailRefusalTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task OneAttendeesMailRefusedWith400_TheOthersAreStillRemindedAndToldOfTheCancellation()
    {
        var eventId = await app.PublishedEventAsync(capacity: 4);
        var others = new[] { await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync() };
        // SendGrid (and the sink) refuse a recipient name with a comma: every mail to this attendee is answered 400.
        var n = Guid.NewGuid().ToString("N")[..8];
        var refused = await app.SeedAsync($"E{n}", $"p{n}@example.net", "花子, Jr.", "山田");
        foreach (var person in others.Append(refused))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.RsvpAsync(eventId, person, "attend")).StatusCode);
        }

        await app.DeliverEventMailAsync();
        var confirmed = (await app.OutboxAsync()).Count;

        using (var scope = app.Services.CreateScope())
        {
            var e = (await app.Services.GetRequiredService<IEventStore>().GetAsync(eventId, CancellationToken.None))!;
            var lead = app.Services.GetRequiredService<IOptions<EventOptions>>().Value.ReminderLead;
            var (reminded, run) = await scope.ServiceProvider.GetRequiredService<Core.Events.SendEventMail>()
                .HandleAsync(EventWork.Reminder(e, lead, TimeProvider.System.GetUtcNow())!.ToMessage(), CancellationToken.None);
            Assert.Equal(WorkRunOutcome.Completed, run);
            Assert.Equal((3, 1), (reminded!.Sent, reminded.Refused));
        }

        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/admin/events/{eventId}/cancel")).StatusCode);
        await app.DeliverEventMailAsync();

        var mails = (await app.OutboxAsync()).Skip(confirmed).ToList();
        Assert.Equal(3, mails.Count(m => m.Subject.Contains("リマインダー", StringComparison.Ordinal)));
        var cancellations = mails.Where(m => m.Subject.Contains("開催中止", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, cancellations.Count);
        Assert.All(cancellations, m => Assert.Contains("METHOD:CANCEL", Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(m.Attachments).Content)), StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.To.Contains($"p{n}@example.net"));
        Assert.Equal(3, mails.SelectMany(m => m.To).Distinct().Count());
        var work = await app.RowsAsync(AlumniTables.WorkItems);
        Assert.DoesNotContain(work, r => r.GetString("Status") == "Failed" && r.GetString("SubjectId") == eventId);
        // Counted refused and marked told: not asked again on every later run.
        var store = app.Services.GetRequiredService<IEventStore>();
        var cancelled = (await store.GetAsync(eventId, CancellationToken.None))!;
        Assert.False((await store.GetRsvpAsync(eventId, refused, CancellationToken.None))!.NoticePending(cancelled));
    }
}
