using System.Net;
using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Ical.Net;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>The RSVP page on Azurite: answers, the waitlist, the last seat under concurrency, and every bad input.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RsvpFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AttendeeWhoseNameHoldsAComma_GetsTheConfirmation()
    {
        // SendGrid refuses ';' and ',' in a recipient name, and the sink with it: the name goes with a space instead.
        var eventId = await app.PublishedEventAsync();
        var n = Guid.NewGuid().ToString("N")[..8];
        var person = await app.SeedAsync($"C{n}", $"c{n}@example.net", "花子, Jr.", "山田");

        Assert.Equal(HttpStatusCode.OK, (await app.RsvpAsync(eventId, person, "attend")).StatusCode);
        await app.DeliverEventMailAsync();

        Assert.Contains(await app.OutboxAsync(), m => m.To.Contains($"c{n}@example.net"));
    }

    [Theory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task Rsvp_AfterErasureBegan_Gets410BilingualPageAndStoresNothing(string locale)
    {
        // An answer landing after the erasure removed the RSVPs would outlive it, holding a seat and the person's id.
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync(locale);
        await app.StopErasureAfterItsFirstWriteAsync(person);
        var before = await app.SnapshotAsync();

        var response = await app.RsvpAsync(eventId, person, "attend");

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("お客様のデータは保持していません", html, StringComparison.Ordinal);
        Assert.Contains("We hold no data about you", html, StringComparison.Ordinal);
        Assert.DoesNotContain("meet.example.com", html, StringComparison.Ordinal);
        Assert.Null(await RsvpRowAsync(eventId, person));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    private async Task<Azure.Data.Tables.TableEntity?> RsvpRowAsync(string eventId, AlumnusId id) =>
        (await app.RowsAsync(AlumniTables.Events)).SingleOrDefault(r => r.PartitionKey == eventId && r.RowKey == $"rsvp-{id}");

    private async Task<string?> StatusAsync(string eventId, AlumnusId id) => (await RsvpRowAsync(eventId, id))?.GetString("Status");

    private async Task<Azure.Data.Tables.TableEntity> EventRowAsync(string eventId) =>
        (await app.RowsAsync(AlumniTables.Events)).Single(r => r.PartitionKey == eventId && r.RowKey == "event");

    [Theory]
    [InlineData("ja-JP", "アルムナイ講演会", "参加する", @"<dt>お申し込み締切</dt><dd>\d{4}年\d{1,2}月\d{1,2}日\(.\) \d\d:\d\d \(Asia/Tokyo\)</dd>")]
    [InlineData("en-US", "Alumni lecture", "I will attend", @"<dt>Reply by</dt><dd>[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d \(Asia/Tokyo\)</dd>")]
    public async Task Page_ShowsTheEventInTheAlumnusLanguage_WithoutTheOnlineLinkBeforeRegistering(string locale, string title, string attend, string deadline)
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync(locale);

        var response = await app.Client.GetAsync(app.RsvpPath(eventId, person) + "&choice=attend");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains(attend, html, StringComparison.Ordinal);
        Assert.Contains("value=\"attend\" checked", html, StringComparison.Ordinal);
        // The deadline in the event's zone, named as the start and end are.
        Assert.Matches(deadline, html);
        Assert.DoesNotContain("meet.example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Null(await RsvpRowAsync(eventId, person));
    }

    [Fact]
    public async Task Attend_RegistersRevealsTheOnlineLink_AndSendsAConfirmationWithAnIcsOnce()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();

        var response = await app.RsvpAsync(eventId, person, "attend");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("https://meet.example.com/alumni-lecture", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Attending", await StatusAsync(eventId, person));

        Assert.True(await app.DeliverEventMailAsync() >= 1);
        await app.DeliverEventMailAsync();
        var mail = Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains("event"));
        Assert.Contains("参加登録完了", mail.Subject, StringComparison.Ordinal);
        var file = Assert.Single(mail.Attachments);
        var ics = Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(file.Content)))!;
        Assert.Equal("REQUEST", ics.Method);
        Assert.Equal("text/calendar; method=REQUEST", file.Type);
        Assert.Equal($"{eventId}@127.0.0.1", ics.Events.Single().Uid);
        Assert.True((await RsvpRowAsync(eventId, person))!.GetBoolean("CalendarSent"));
    }

    [Fact]
    public async Task DoubleClickedAttend_ChangesNothingTheSecondTime()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        var (etag, rows) = ((await RsvpRowAsync(eventId, person))!.ETag, await app.CountAllRowsAsync());

        var second = await app.RsvpAsync(eventId, person, "attend");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("変更はありません", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(etag, (await RsvpRowAsync(eventId, person))!.ETag);
        Assert.Equal(rows, await app.CountAllRowsAsync());
        Assert.Equal(1, (await EventRowAsync(eventId)).GetInt32("Attending"));
    }

    [Fact]
    public async Task FullEvent_PutsTheNextPersonOnTheWaitlist_AndADeclinePromotesThemWithAnEmail()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var (first, second) = (await app.PersonAsync(), await app.PersonAsync("en-US"));
        await app.RsvpAsync(eventId, first, "attend");

        var waitlisted = await app.RsvpAsync(eventId, second, "attend");
        Assert.Equal(HttpStatusCode.OK, waitlisted.StatusCode);
        Assert.Contains("number 1 in line", await waitlisted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.DeliverEventMailAsync();

        await app.RsvpAsync(eventId, first, "decline");
        await app.DeliverEventMailAsync();

        Assert.Equal(("Declined", "Attending"), (await StatusAsync(eventId, first), await StatusAsync(eventId, second)));
        var mails = await app.OutboxAsync();
        var promotion = Assert.Single(mails, m => m.Subject.StartsWith("A seat is yours", StringComparison.Ordinal));
        Assert.Equal("REQUEST", Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(promotion.Attachments.Single().Content)))!.Method);
        var declined = Assert.Single(mails, m => m.Subject.StartsWith("【不参加を承りました】", StringComparison.Ordinal));
        Assert.Equal("CANCEL", Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(declined.Attachments.Single().Content)))!.Method);
    }

    [Fact]
    public async Task TwoAnswersForTheLastSeatAtOnce_OneAttendsAndOneIsWaitlisted()
    {
        for (var round = 0; round < 3; round++)
        {
            var eventId = await app.PublishedEventAsync(capacity: 1);
            var (a, b) = (await app.PersonAsync(), await app.PersonAsync());

            var responses = await Task.WhenAll(app.RsvpAsync(eventId, a, "attend"), app.RsvpAsync(eventId, b, "attend"));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Equal(["Attending", "Waitlisted"], new[] { await StatusAsync(eventId, a), await StatusAsync(eventId, b) }.Order());
            var row = await EventRowAsync(eventId);
            Assert.Equal((1, 1), (row.GetInt32("Attending"), row.GetInt32("Waitlisted")));
        }
    }

    /// <summary>
    /// The test above goes through one instance, whose per-event turns serialise the answers, so the lost write is never
    /// met. Here a second instance on the same tables takes the last seat between this one's read and its save: the save
    /// loses the row's ETag, reads again, finds the event full and waitlists (ADR 0021); each answer has its notice work.
    /// </summary>
    [Fact]
    public async Task AnswerThatLosesTheLastSeatToAnotherInstance_ReadsAgainAndIsWaitlisted_EachWithTheirNoticeWork()
    {
        await using var raceApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        await using var otherInstance = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Storage:TablePrefix"] = raceApp.TablePrefix });
        var store = (BusyEventStore)raceApp.Services.GetRequiredService<IEventStore>();
        var eventId = await raceApp.PublishedEventAsync(capacity: 1);
        var (first, second) = (await raceApp.PersonAsync(), await raceApp.PersonAsync());
        HttpStatusCode? other = null;
        store.BeforeNextSave = async () => other = (await otherInstance.RsvpAsync(eventId, second, "attend")).StatusCode;

        var response = await raceApp.RsvpAsync(eventId, first, "attend");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (response.StatusCode, other));
        Assert.Null(store.BeforeNextSave);
        var rows = await raceApp.RowsAsync(AlumniTables.Events);
        string? Status(AlumnusId id) => rows.SingleOrDefault(r => r.PartitionKey == eventId && r.RowKey == $"rsvp-{id}")?.GetString("Status");
        Assert.Equal(("Waitlisted", "Attending"), (Status(first), Status(second)));
        var row = rows.Single(r => r.PartitionKey == eventId && r.RowKey == "event");
        Assert.Equal((1, 1), (row.GetInt32("Attending"), row.GetInt32("Waitlisted")));
        var noticeWork = (await raceApp.RowsAsync(AlumniTables.WorkItems))
            .Where(r => r.GetString("Kind") == Core.Scheduling.WorkKinds.EventNotices).Select(r => r.GetString("SubjectId")).ToList();
        Assert.Contains($"{eventId}-{first}", noticeWork);
        Assert.Contains($"{eventId}-{second}", noticeWork);

        await raceApp.DeliverEventMailAsync();
        var mails = await raceApp.OutboxAsync();
        Assert.Single(mails, m => m.Categories.Contains(EventMail.Category) && m.Subject.Contains("キャンセル待ち", StringComparison.Ordinal));
        Assert.Single(mails, m => m.Categories.Contains(EventMail.Category) && m.Subject.Contains("参加登録完了", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateOfAPublishedEvent_SendsAttendeesAnUpdatedCalendarEntry()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync("en-US");
        await app.RsvpAsync(eventId, person, "attend");
        await app.DeliverEventMailAsync();

        await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(title: "講演会（会場変更）"));
        await app.DeliverEventMailAsync();

        var mails = (await app.OutboxAsync()).Where(m => m.Categories.Contains("event")).ToArray();
        Assert.Equal(2, mails.Length);
        var sequences = mails.Select(m => Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(m.Attachments.Single().Content)))!.Events.Single().Sequence).ToArray();
        Assert.True(sequences[1] > sequences[0]);
        Assert.StartsWith("Updated:", mails[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledEvent_SendsACalendarCancel_AndItsPageRefusesAnswers()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        await app.DeliverEventMailAsync();

        await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel");
        await app.DeliverEventMailAsync();
        var etag = (await RsvpRowAsync(eventId, person))!.ETag;
        var page = await app.Client.GetAsync(app.RsvpPath(eventId, person));
        var post = await app.RsvpAsync(eventId, person, "decline");

        var cancel = Assert.Single(await app.OutboxAsync(), m => m.Subject.StartsWith("【開催中止】", StringComparison.Ordinal));
        Assert.Equal("CANCEL", Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String(cancel.Attachments.Single().Content)))!.Method);
        Assert.Equal("text/calendar; method=CANCEL", cancel.Attachments.Single().Type);
        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (page.StatusCode, post.StatusCode));
        Assert.Equal(etag, (await RsvpRowAsync(eventId, person))!.ETag);
    }

    [Fact]
    public async Task CancelledEventPage_ShowsTheWaitlistPlaceInEitherLanguage()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var (japanese, english) = (await app.PersonAsync(), await app.PersonAsync("en-US"));
        await app.RsvpAsync(eventId, await app.PersonAsync(), "attend");
        await app.RsvpAsync(eventId, japanese, "attend");
        await app.RsvpAsync(eventId, english, "attend");
        await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel");

        var (ja, en) = (await app.RsvpAsync(eventId, japanese, "decline"), await app.RsvpAsync(eventId, english, "attend"));

        Assert.Equal((HttpStatusCode.Gone, HttpStatusCode.Gone), (ja.StatusCode, en.StatusCode));
        Assert.Contains("現在のご回答:</strong> キャンセル待ち（1番目）", await ja.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Your answer:</strong> On the waitlist (number 2 in line)", await en.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "現在のご回答:</strong> 参加<", "混み合っています")]
    [InlineData("en-US", "Your answer:</strong> Attending<", "Many people are answering right now")]
    public async Task BusyPage_ShowsTheAnswerAsStored(string locale, string answer, string busy)
    {
        await using var busyApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        var eventId = await busyApp.PublishedEventAsync();
        var person = await busyApp.PersonAsync(locale);
        await busyApp.RsvpAsync(eventId, person, "attend");
        ((BusyEventStore)busyApp.Services.GetRequiredService<IEventStore>()).Busy = true;

        var response = await busyApp.RsvpAsync(eventId, person, "decline");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(busy, html, StringComparison.Ordinal);
        Assert.Contains(answer, html, StringComparison.Ordinal);
        Assert.Equal("Attending", (await busyApp.RowsAsync(AlumniTables.Events)).Single(r => r.RowKey == $"rsvp-{person}").GetString("Status"));
    }

    [Fact]
    public async Task AnswerAfterTheDeadline_Gets409AndChangesNothing()
    {
        var eventId = await app.PublishedEventAsync(deadlineFromNow: TimeSpan.FromMinutes(2));
        var person = await app.PersonAsync();
        await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(deadlineFromNow: TimeSpan.FromMinutes(-5)));
        var rows = await app.CountAllRowsAsync();

        var response = await app.RsvpAsync(eventId, person, "attend");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("受付は終了", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await RsvpRowAsync(eventId, person));
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task DeclineAfterTheDeadline_FreesTheSeatAndPromotesTheFirstInLine()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1, deadlineFromNow: TimeSpan.FromMinutes(2));
        var (first, second) = (await app.PersonAsync(), await app.PersonAsync("en-US"));
        await app.RsvpAsync(eventId, first, "attend");
        await app.RsvpAsync(eventId, second, "attend");
        await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(capacity: 1, deadlineFromNow: TimeSpan.FromMinutes(-5)));

        // The page offers the one answer left, not attending.
        var page = await (await app.Client.GetAsync(app.RsvpPath(eventId, first))).Content.ReadAsStringAsync();
        Assert.Contains("参加を取り消す", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"attend\"", page, StringComparison.Ordinal);

        var response = await app.RsvpAsync(eventId, first, "decline");
        await app.DeliverEventMailAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("Declined", "Attending"), (await StatusAsync(eventId, first), await StatusAsync(eventId, second)));
        var promotion = Assert.Single(await app.OutboxAsync(), m => m.Subject.StartsWith("A seat is yours", StringComparison.Ordinal));
        Assert.Contains("To cancel your registration or leave the waitlist (until the event starts)", promotion.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttendAfterTheDeadline_FromTheWaitlistOrAnyone_Gets409AndChangesNothing()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1, deadlineFromNow: TimeSpan.FromMinutes(2));
        var (first, second, third) = (await app.PersonAsync(), await app.PersonAsync("en-US"), await app.PersonAsync());
        await app.RsvpAsync(eventId, first, "attend");
        await app.RsvpAsync(eventId, second, "attend");
        await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}", EventSeeds.Body(capacity: 1, deadlineFromNow: TimeSpan.FromMinutes(-5)));
        var before = await app.SnapshotAsync();

        var waitlisted = await app.RsvpAsync(eventId, second, "attend");
        var stranger = await app.RsvpAsync(eventId, third, "decline");

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (waitlisted.StatusCode, stranger.StatusCode));
        Assert.Contains("Leave the waitlist", await waitlisted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"choice\"", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TamperedOrOtherPurposeOrUnscopedLinks_Get400AndChangeNothing()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        var rows = await app.CountAllRowsAsync();
        var tokens = app.Services.GetRequiredService<LinkTokenService>();
        var genuine = app.RsvpToken(eventId, person);

        foreach (var token in new[]
        {
            genuine[..^3] + (genuine[^3..] == "AAA" ? "BBB" : "AAA"),
            tokens.Issue(LinkPurpose.Preferences, app.Stored(person), $"event-{eventId}"),
            tokens.Issue(LinkPurpose.Rsvp, app.Stored(person)),
            tokens.Issue(LinkPurpose.Rsvp, app.Stored(person), "survey-1"),
            "",
        })
        {
            var response = await app.Client.PostAsync("api/alumni/rsvp", new FormUrlEncodedContent([KeyValuePair.Create("token", token), KeyValuePair.Create("choice", "attend")]));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task LinkToADraftEvent_Gets404()
    {
        var eventId = await app.CreateEventAsync();
        var person = await app.PersonAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await app.RsvpAsync(eventId, person, "attend")).StatusCode);
        Assert.Null(await RsvpRowAsync(eventId, person));
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData("Attend")]
    public async Task UnknownChoice_GetsThePageBackAsking400AndChangesNothing(string choice)
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.RsvpAsync(eventId, person, choice);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("「参加する」または「参加しない」を選んでください", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task CrossSitePost_Gets403AndChangesNothing()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/alumni/rsvp")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("token", app.RsvpToken(eventId, person)), KeyValuePair.Create("choice", "attend")]),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client.SendAsync(request)).StatusCode);
        Assert.Null(await RsvpRowAsync(eventId, person));
    }
}
