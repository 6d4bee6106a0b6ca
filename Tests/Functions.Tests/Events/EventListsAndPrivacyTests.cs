using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Events;

/// <summary>Attendee list, check-in CSV, attendance, employee invitations, and RSVPs in data export and erasure.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventListsAndPrivacyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task AttendeesAndWaitlist_AreListedInOrder_AndTheReadIsAudited()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var (first, second) = (await app.PersonAsync(), await app.PersonAsync());
        await app.RsvpAsync(eventId, first, "attend");
        await app.RsvpAsync(eventId, second, "attend");

        var list = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");

        Assert.Equal(first.Value, Assert.Single(list.GetProperty("attending").EnumerateArray()).GetProperty("alumnusId").GetString());
        var waiting = Assert.Single(list.GetProperty("waitlist").EnumerateArray());
        Assert.Equal((second.Value, 1), (waiting.GetProperty("alumnusId").GetString(), waiting.GetProperty("waitlistPlace").GetInt32()));
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "event.attendees.read" && r.GetString("Subject") == eventId);
        // Each person returned finds the read among the entries about them (ADR 0014), attendee and waitlisted alike.
        var audit = app.Services.GetRequiredService<Core.Audit.IAuditLog>();
        foreach (var person in new[] { first, second })
        {
            Assert.Contains(await audit.AboutAsync(person, CancellationToken.None), e => e.Action == "event.attendees.read");
        }
    }

    [Fact]
    public async Task CheckInCsv_IsFormulaSafeWithABom()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.SeedAsync("E9001", "csv@example.net", "=HYPERLINK(\"x\")", "山田");
        await app.RsvpAsync(eventId, person, "attend");

        var response = await app.AdminAsync(HttpMethod.Get, $"api/manage/events/{eventId}/attendees.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("status,waitlistPlace,familyName,givenName,personalEmail,department,respondedAt,attended,checkIn", lines[0]);
        Assert.StartsWith("Attending,,山田,\"'=HYPERLINK(\"\"x\"\")\",csv@example.net", lines[1], StringComparison.Ordinal);
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "event.attendees.exported");
    }

    [Fact]
    public async Task Attendance_IsMarkedIdempotently_AndBadBodiesChangeNothing()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        await app.StartEventAsync(eventId);
        var path = $"api/manage/events/{eventId}/attendance/{person}";

        var marked = await app.AdminAsync(HttpMethod.Put, path, """{"attended":true}""");
        var row = (await app.RowsAsync(AlumniTables.Events)).Single(r => r.RowKey == $"rsvp-{person}");
        var again = await app.AdminAsync(HttpMethod.Put, path, """{"attended":true}""");
        var bad = await app.AdminAsync(HttpMethod.Put, path, """{"attended":"yes"}""");
        var extra = await app.AdminAsync(HttpMethod.Put, path, """{"attended":false,"note":"x"}""");
        var nobody = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{new string('b', 32)}", """{"attended":true}""");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (marked.StatusCode, again.StatusCode));
        Assert.True(row.GetBoolean("Attended"));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (bad.StatusCode, extra.StatusCode, nobody.StatusCode));
        Assert.Equal(row.ETag, (await app.RowsAsync(AlumniTables.Events)).Single(r => r.RowKey == $"rsvp-{person}").ETag);
        Assert.Single(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == "event.attendance.marked");
    }

    [Fact]
    public async Task AttendanceMarkedAtTheDoorAsTheConfirmationIsWritten_TheConfirmationIsStillSentExactlyOnce()
    {
        await using var raceApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        var store = (BusyEventStore)raceApp.Services.GetRequiredService<IEventStore>();
        var eventId = await raceApp.PublishedEventAsync();
        var person = await raceApp.PersonAsync();
        Assert.Equal(HttpStatusCode.OK, (await raceApp.RsvpAsync(eventId, person, "attend")).StatusCode);
        // A walk-in: registered half an hour before the start and checked in at the door as the confirmation goes out.
        await raceApp.StartEventAsync(eventId, ago: TimeSpan.FromMinutes(-30));
        var marked = HttpStatusCode.NoContent;
        store.BeforeNextRsvpWrite = async _ =>
            marked = (await raceApp.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{person}", """{"attended":true}""")).StatusCode;

        await raceApp.DeliverEventMailAsync();
        await raceApp.DeliverEventMailAsync();

        Assert.Equal(HttpStatusCode.OK, marked);
        var mail = Assert.Single(await raceApp.OutboxAsync(), m => m.Categories.Contains(EventMail.Category));
        Assert.Contains("参加登録完了", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("METHOD:REQUEST", Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(mail.Attachments).Content)), StringComparison.Ordinal);
        var e = (await store.GetAsync(eventId, CancellationToken.None))!;
        var rsvp = (await store.GetRsvpAsync(eventId, person, CancellationToken.None))!;
        Assert.Equal((true, false, true), (rsvp.Attended, rsvp.NoticePending(e), rsvp.CalendarSent));
        Assert.DoesNotContain(await raceApp.RowsAsync(AlumniTables.WorkItems),
            r => r.GetString("Kind") == Core.Scheduling.WorkKinds.EventNotices && r.GetString("SubjectId")!.StartsWith(eventId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SomeoneWhoseErasureIsUnderWay_IsLeftOffTheListAndTheCheckInSheet_AndCannotBeMarked()
    {
        // An event too busy to free the seat leaves the RSVP after the erasure set its flag, until the retry or the purge.
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var (staying, leaving, waiting) = (await app.PersonAsync(), await app.SeedAsync("E9101", "leaving@example.net", "Erased", "Pending"), await app.PersonAsync());
        await app.RsvpAsync(eventId, leaving, "attend");
        await app.RsvpAsync(eventId, staying, "attend");
        await app.RsvpAsync(eventId, waiting, "attend");
        await app.StopErasureAfterItsFirstWriteAsync(leaving);
        await app.StartEventAsync(eventId);

        var list = await app.AdminJsonAsync($"api/manage/events/{eventId}/attendees");
        var csv = await (await app.AdminAsync(HttpMethod.Get, $"api/manage/events/{eventId}/attendees.csv")).Content.ReadAsStringAsync();
        var before = await app.SnapshotAsync();
        var mark = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{leaving}", """{"attended":true}""");

        Assert.Empty(list.GetProperty("attending").EnumerateArray());
        Assert.Equal([staying.Value, waiting.Value], list.GetProperty("waitlist").EnumerateArray().Select(a => a.GetProperty("alumnusId").GetString()));
        Assert.DoesNotContain(leaving.Value, list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("leaving@example.net", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Erased", csv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, mark.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Null((await app.Services.GetRequiredService<IEventStore>().GetRsvpAsync(eventId, leaving, CancellationToken.None))!.Attended);
        // Nor are the reads recorded against them: they returned nothing about the person.
        Assert.DoesNotContain(await app.Services.GetRequiredService<Core.Audit.IAuditLog>().AboutAsync(leaving, CancellationToken.None),
            e => e.Action is "event.attendees.read" or "event.attendees.exported" or "event.attendance.marked");
    }

    [Theory]
    [InlineData("waitlisted")]
    [InlineData("declined")]
    public async Task AttendanceOfSomeoneNotAttending_Is409NamingTheRule_AndTheRsvpIsUnchanged(string who)
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var (attending, waitlisted, declined) = (await app.PersonAsync(), await app.PersonAsync(), await app.PersonAsync());
        await app.RsvpAsync(eventId, attending, "attend");
        await app.RsvpAsync(eventId, waitlisted, "attend");
        await app.RsvpAsync(eventId, declined, "decline");
        await app.StartEventAsync(eventId);
        var person = who == "waitlisted" ? waitlisted : declined;
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{person}", """{"attended":true}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(EventAttendees.NotAttendingReason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Null((await app.Services.GetRequiredService<IEventStore>().GetRsvpAsync(eventId, person, CancellationToken.None))!.Attended);
    }

    [Theory]
    [InlineData("not started")]
    [InlineData("cancelled")]
    public async Task AttendanceOfAnEventNotUnderWay_Is409NamingTheRule_AndTheRsvpIsUnchanged(string state)
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        if (state == "cancelled")
        {
            Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/cancel")).StatusCode);
            await app.StartEventAsync(eventId);
        }
        else
        {
            // Just outside the hour before the start from which hosts may check people in at the door.
            await app.StartEventAsync(eventId, ago: -(EventAttendees.MarkingOpensBeforeStart + TimeSpan.FromMinutes(5)));
        }

        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{person}", """{"attended":true}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(EventAttendees.NotHeldReason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task AttendanceAtTheDoor_WithinTheHourBeforeTheStart_IsMarked()
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        await app.StartEventAsync(eventId, ago: -(EventAttendees.MarkingOpensBeforeStart - TimeSpan.FromMinutes(5)));

        var response = await app.AdminAsync(HttpMethod.Put, $"api/manage/events/{eventId}/attendance/{person}", """{"attended":true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await app.Services.GetRequiredService<IEventStore>().GetRsvpAsync(eventId, person, CancellationToken.None))!.Attended);
    }

    [Theory]
    [InlineData("GET", "api/manage/events/{0}", null)]
    [InlineData("PUT", "api/manage/events/{0}", "event")]
    [InlineData("POST", "api/manage/events/{0}/publish", null)]
    [InlineData("POST", "api/manage/events/{0}/cancel", null)]
    [InlineData("GET", "api/manage/events/{0}/attendees", null)]
    [InlineData("GET", "api/manage/events/{0}/attendees.csv", null)]
    [InlineData("PUT", "api/manage/events/{0}/attendance/{1}", """{"attended":true}""")]
    [InlineData("PUT", "api/manage/events/{1}/attendance/{0}", """{"attended":true}""")]
    [InlineData("POST", "api/manage/events/{0}/staff-invitations", """{"addresses":["a@corp.example.com"]}""")]
    public async Task IdsStorageCannotHold_Get404Problems_NeverA500_AndChangeNothing(string method, string path, string? body)
    {
        var eventId = await app.PublishedEventAsync();
        var person = await app.PersonAsync();
        await app.RsvpAsync(eventId, person, "attend");
        var before = await app.SnapshotAsync();

        foreach (var id in new[] { new string('a', 1100), "a%5C" + new string('b', 30), "a%23" + new string('b', 30), "a%3F" + new string('b', 30),
            "a%01" + new string('b', 30), new string('A', 32) })
        {
            var (first, second) = path.Contains("{1}/attendance/{0}", StringComparison.Ordinal) ? (id, eventId) : (id, person.Value);
            var response = await app.AdminAsync(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, path, first, second),
                body == "event" ? EventSeeds.Body() : body);

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {id}: {(int)response.StatusCode}");
        }

        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task Employees_GetOneLabelledInternalMailPerAddress_AndNoAddressIsStored()
    {
        var eventId = await app.PublishedEventAsync();
        const string Body = """{"addresses":["taro.suzuki@corp.example.com","TARO.SUZUKI@corp.example.com","jiro@corp.example.com"]}""";

        var first = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations", Body);
        var second = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations", Body);

        var (once, twice) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await second.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal((2, 0, 2), (once.GetProperty("sent").GetInt32(), twice.GetProperty("sent").GetInt32(), twice.GetProperty("alreadySent").GetInt32()));
        var mails = await app.OutboxAsync();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m =>
        {
            Assert.StartsWith("[社内 / Internal]", m.Subject, StringComparison.Ordinal);
            Assert.Contains("this is not an alumni mailing", m.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("List-Unsubscribe", m.Headers.Keys);
            Assert.DoesNotContain("meet.example.com", m.Text, StringComparison.Ordinal);
        });
        foreach (var table in AlumniTables.All)
        {
            foreach (var row in await app.RowsAsync(table))
            {
                Assert.DoesNotContain(row, p => p.Value is string s && s.Contains("corp.example.com", StringComparison.OrdinalIgnoreCase));
                Assert.DoesNotContain("corp.example.com", row.RowKey, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Theory]
    [InlineData("""{"addresses":["not-an-address"]}""", "addresses[0]")]
    [InlineData("""{"addresses":[]}""", "addresses")]
    [InlineData("""{"emails":["a@corp.example.com"]}""", "$")]
    [InlineData("""{"addresses":["taro@corp.example.com","taro.private@gmail.com"]}""", "addresses[1]")]
    [InlineData("""{"addresses":["taro@corp.example.com.evil.example"]}""", "addresses[0]")]
    public async Task BadEmployeeList_Gets400AndSendsNothing(string body, string field)
    {
        var eventId = await app.PublishedEventAsync();
        var rows = await app.CountAllRowsAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task AlumnusPersonalAddressListedAsStaff_Is400NamingItAndTheRule_AndNothingIsSentOrStored()
    {
        var eventId = await app.PublishedEventAsync();
        await app.DepartAsync(employeeId: "E-FORMER");
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations",
            """{"addresses":["taro@corp.example.com","hanako@example.net"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("addresses[1]", error.GetProperty("field").GetString());
        Assert.Contains("company's mail domains (example.com", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.OutboxAsync());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task EmployeesOfADraftEvent_AreAConflict()
    {
        var eventId = await app.CreateEventAsync();

        var response = await app.AdminAsync(HttpMethod.Post, $"api/manage/events/{eventId}/staff-invitations", """{"addresses":["a@corp.example.com"]}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task Export_IncludesTheRsvps_AndErasureRemovesThemAndGivesTheSeatToTheFirstInLine()
    {
        var eventId = await app.PublishedEventAsync(capacity: 1);
        var leaving = await app.MemberAsync("en-US");
        var waiting = await app.PersonAsync();
        await app.RsvpAsync(eventId, leaving, "attend");
        await app.RsvpAsync(eventId, waiting, "attend");

        var export = await app.PostFormAsync(LinkPurpose.Export, leaving);
        var data = await export.Content.ReadFromJsonAsync<JsonElement>();
        var registration = Assert.Single(data.GetProperty("eventRegistrations").EnumerateArray());
        Assert.Equal((eventId, "Attending"), (registration.GetProperty("eventId").GetString(), registration.GetProperty("status").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await app.PostFormAsync(LinkPurpose.Erase, leaving)).StatusCode);

        var rows = (await app.RowsAsync(AlumniTables.Events)).Where(r => r.PartitionKey == eventId).ToArray();
        Assert.DoesNotContain(rows, r => r.RowKey == $"rsvp-{leaving}");
        Assert.Equal("Attending", rows.Single(r => r.RowKey == $"rsvp-{waiting}").GetString("Status"));
        Assert.Equal((1, 0), (rows.Single(r => r.RowKey == "event").GetInt32("Attending"), rows.Single(r => r.RowKey == "event").GetInt32("Waitlisted")));
    }

    [Theory]
    [InlineData("ja-JP", "ただいま混み合っています")]
    [InlineData("en-US", "The rest of your data has not been erased yet, and will not be until you try again.")]
    public async Task ErasureWhileTheEventStaysBusy_Gets503AndKeepsTheRecord_AndARetryFinishes(string locale, string busyText)
    {
        await using var busyApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        var store = (BusyEventStore)busyApp.Services.GetRequiredService<IEventStore>();
        var eventId = await busyApp.PublishedEventAsync(capacity: 1);
        var (leaving, waiting) = (await busyApp.MemberAsync(locale), await busyApp.PersonAsync());
        await busyApp.RsvpAsync(eventId, leaving, "attend");
        await busyApp.RsvpAsync(eventId, waiting, "attend");
        store.Busy = true;

        var refused = await busyApp.PostFormAsync(LinkPurpose.Erase, leaving);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains(busyText, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(await busyApp.Services.GetRequiredService<IAlumniStore>().GetAsync(leaving, CancellationToken.None));
        Assert.Contains(await busyApp.RowsAsync(AlumniTables.Events), r => r.RowKey == $"rsvp-{leaving}");

        store.Busy = false;
        var retried = await busyApp.PostFormAsync(LinkPurpose.Erase, leaving);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Null(await busyApp.Services.GetRequiredService<IAlumniStore>().GetAsync(leaving, CancellationToken.None));
        var rows = (await busyApp.RowsAsync(AlumniTables.Events)).Where(r => r.PartitionKey == eventId).ToArray();
        Assert.DoesNotContain(rows, r => r.RowKey == $"rsvp-{leaving}");
        Assert.Equal("Attending", rows.Single(r => r.RowKey == $"rsvp-{waiting}").GetString("Status"));
    }

    [Theory]
    [InlineData("ja-JP", "一部のイベントへのお申し込みは、すでに取り消されている場合があります。", "まだ何も削除されていません")]
    [InlineData("en-US", "Your registrations for some events may already have been cancelled.", "Nothing has been erased")]
    public async Task ErasureRefusedByTheSecondOfTwoEvents_HasReleasedTheFirstSeat_AndThePageSaysSoAndThatTheRestIsKept(string locale, string partial, string untrue)
    {
        await using var busyApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        var store = (BusyEventStore)busyApp.Services.GetRequiredService<IEventStore>();
        var (first, second) = (await busyApp.PublishedEventAsync(capacity: 5), await busyApp.PublishedEventAsync(capacity: 5));
        var leaving = await busyApp.MemberAsync(locale);
        await busyApp.RsvpAsync(first, leaving, "attend");
        await busyApp.RsvpAsync(second, leaving, "attend");
        store.SavesBeforeBusy = 1;

        var refused = await busyApp.PostFormAsync(LinkPurpose.Erase, leaving);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains(partial, html, StringComparison.Ordinal);
        Assert.DoesNotContain(untrue, html, StringComparison.Ordinal);
        Assert.Single(await busyApp.RowsAsync(AlumniTables.Events), r => r.RowKey == $"rsvp-{leaving}");
        Assert.Null((await busyApp.Services.GetRequiredService<IAlumniStore>().GetAsync(leaving, CancellationToken.None))!.ErasureStartedAt);
    }

    [Theory]
    [InlineData("ja-JP", "削除は始まっており、アルムナイネットワークから今後ご連絡することはありません。")]
    [InlineData("en-US", "The erasure has begun: the alumni network will not contact you again.")]
    public async Task RetryOfABegunErasureWhileTheEventStaysBusy_Gets503SayingItHasBegunAndWillBeFinished(string locale, string begun)
    {
        await using var busyApp = await TestApp.StartAsync(azurite, services: s =>
            s.AddSingleton<IEventStore>(sp => new BusyEventStore(new TableEventStore(sp.GetRequiredService<AlumniTables>()))));
        var store = (BusyEventStore)busyApp.Services.GetRequiredService<IEventStore>();
        var eventId = await busyApp.PublishedEventAsync(capacity: 5);
        var leaving = await busyApp.MemberAsync(locale);
        await busyApp.RsvpAsync(eventId, leaving, "attend");
        await busyApp.StopErasureAfterItsFirstWriteAsync(leaving);
        store.Busy = true;

        var refused = await busyApp.PostFormAsync(LinkPurpose.Erase, leaving);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains(begun, html, StringComparison.Ordinal);
        Assert.DoesNotContain("may already have been cancelled", html, StringComparison.Ordinal);
        Assert.NotNull((await busyApp.Services.GetRequiredService<IAlumniStore>().GetAsync(leaving, CancellationToken.None))!.ErasureStartedAt);
    }
}
