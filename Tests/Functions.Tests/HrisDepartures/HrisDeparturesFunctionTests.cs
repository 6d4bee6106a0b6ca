using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlumniNetwork.Functions.Tests.HrisDepartures;

[Collection(AzuriteCollection.Name)]
public sealed partial class HrisDeparturesFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RoundTripCounter storage = new();
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, storageRoundTrips: storage);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static async Task<string> AlumnusIdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString()!;

    [Fact]
    public async Task NewDeparture_Returns202AndStoresAlumnusAndWelcomeWork()
    {
        var response = await app.PostSignedAsync(Departures.Body());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = await AlumnusIdOf(response);
        var alumnus = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(id, alumnus.RowKey);
        Assert.Equal("hanako@example.net", alumnus.GetString("PersonalEmail"));
        var work = Assert.Single(await app.RowsAsync(AlumniTables.WorkItems));
        Assert.Equal(id, work.GetString("SubjectId"));
        // 30 November + 2 days at 09:00 in Tokyo.
        Assert.Equal(DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), work.GetDateTimeOffset("DueAt"));
    }

    [Fact]
    public async Task NewDeparture_CostsFourStorageRoundTrips_TheClaimTheRecordTheClaimAgainAndTheWorkItem()
    {
        // The first departure also creates the tables, once per process: not part of a departure's cost.
        await app.PostSignedAsync(Departures.Body(employeeId: "E-WARM"));
        var before = storage.Count;

        var response = await app.PostSignedAsync(Departures.Body(employeeId: "E-NEW"));

        // The claim is read again after the record's insert: a withdrawal meanwhile takes it back (ADR 0041).
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(4, storage.Count - before);
    }

    [Fact]
    public async Task SameWebhookIdTwice_SecondIs200ForTheSameAlumnus_ChangesNothingAndSendsNoSecondWelcome()
    {
        var first = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01"), webhookId: "msg_same");
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        var before = await app.SnapshotAsync();

        var second = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01"), webhookId: "msg_same");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(await AlumnusIdOf(first), await AlumnusIdOf(second));
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Single(await app.OutboxAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OlderMessageRetriedUnderItsId_AfterANewerCorrection_LeavesTheCorrection(bool typoCreatedTheRecord)
    {
        if (!typoCreatedTheRecord)
        {
            // The typo came as a resend for a person recorded already: its id is kept after the record was written.
            await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako.old@example.net"), webhookId: "msg_first");
        }

        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@exmaple.net"), webhookId: "msg_typo");
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@example.net"), webhookId: "msg_corrected");
        var before = await app.SnapshotAsync();

        // The HR system never saw our answer to the typo's message, and sends it again.
        var retried = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@exmaple.net"), webhookId: "msg_typo");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal("hanako@example.net", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("PersonalEmail"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OlderMessageNeverSeen_ArrivingAfterItsCorrection_ChangesNothing_AndStartsNoWelcomeRound(bool recordedBefore)
    {
        if (recordedBefore)
        {
            await app.PostSignedAsync(Departures.Body(email: "hanako.old@example.net", timestamp: "2026-11-30T08:00:00Z"), webhookId: "msg_first");
        }

        // HR sent the typo first (09:00), our answer was lost before it was applied, and HR sent the correction (10:00).
        var corrected = await app.PostSignedAsync(Departures.Body(email: "hanako@example.net", timestamp: "2026-11-30T10:00:00Z"), webhookId: "msg_corrected");
        Assert.True(corrected.IsSuccessStatusCode);
        var before = await app.SnapshotAsync();
        var round = Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetInt32("WelcomeRound");

        // Then HR's retry of the typo arrives, under an id never applied.
        var retried = await app.PostSignedAsync(Departures.Body(email: "hanako@exmaple.net", givenName: "花", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_typo");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
        var alumnus = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("hanako@example.net", "花子", round), (alumnus.GetString("PersonalEmail"), alumnus.GetString("GivenName"), alumnus.GetInt32("WelcomeRound")));
    }

    [Fact]
    public async Task NewerMessage_AfterAnOlderOne_StillCorrectsTheAddress()
    {
        await app.PostSignedAsync(Departures.Body(email: "hanako@exmaple.net", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_typo");

        var corrected = await app.PostSignedAsync(Departures.Body(email: "hanako@example.net", timestamp: "2026-11-30T10:00:00Z"), webhookId: "msg_corrected");

        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal("hanako@example.net", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("PersonalEmail"));
    }

    [Fact]
    public async Task DepartureWithoutTimestamp_Is400NamingIt_AndChangesNothing()
    {
        await app.PostSignedAsync(Departures.Body(email: "hanako@exmaple.net"));
        var before = await app.SnapshotAsync();
        var body = JsonNode.Parse(Departures.Body(email: "hanako@example.net"))!.AsObject();
        body.Remove("timestamp");

        var response = await app.PostSignedAsync(body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("timestamp", error.GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task DepartureStampedWithoutAnOffset_Is400NamingTimestamp_AndChangesNothing()
    {
        await app.PostSignedAsync(Departures.Body(email: "hanako@exmaple.net"));
        var before = await app.SnapshotAsync();

        // A later correction, but in no stated time zone: the server's own would decide whether it is later.
        var response = await app.PostSignedAsync(Departures.Body(email: "hanako@example.net", timestamp: "2026-11-30T10:00:00"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("timestamp", error.GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task SameEmployeeWithNewWebhookId_Returns200WithSameAlumnus_AndNoSecondWelcome()
    {
        var first = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01"));
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));

        var second = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await AlumnusIdOf(first), await AlumnusIdOf(second));
        Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Single(await app.OutboxAsync());
    }

    [Fact]
    public async Task NewMessageWithTheSamePayload_StillCorrectsWhatALaterRetryWouldUndo()
    {
        // A new id is a new message: the same body under it is applied as before (idempotent), and remembered, so
        // when it comes back after a correction it does not undo it.
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@exmaple.net"), webhookId: "msg_typo");
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@exmaple.net"), webhookId: "msg_typo_again");
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@example.net"), webhookId: "msg_corrected");

        var retried = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako@exmaple.net"), webhookId: "msg_typo_again");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("hanako@example.net", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("PersonalEmail"));
    }

    [Fact]
    public async Task RepeatedDepartureUnderANewId_CostsOneWriteMoreThanBefore_TheIdOnTheClaim()
    {
        await app.PostSignedAsync(Departures.Body());
        var before = storage.Count;

        var response = await app.PostSignedAsync(Departures.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The claim's insert (a conflict), the claim, the record, the work item's insert (a conflict), the id's write.
        Assert.Equal(5, storage.Count - before);
    }

    [Fact]
    public async Task LaterLastWorkingDay_UpdatesRecordAndMovesWelcome()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30"));
        var response = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-12-31"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-12-31", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("LastWorkingDay"));
        var dues = (await app.RowsAsync(AlumniTables.WorkItems)).Select(w => w.GetDateTimeOffset("DueAt")).ToArray();
        Assert.Contains(DateTimeOffset.Parse("2027-01-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), dues);
    }

    [Fact]
    public async Task LaterLastWorkingDayForAnInvitedAlumnus_IsSavedWithoutANewInvitation()
    {
        var id = await app.DepartAsync(lastWorkingDay: "2026-11-30");
        var store = app.Services.GetRequiredService<Core.Alumni.IAlumniStore>();
        var alumnus = (await store.GetAsync(id, CancellationToken.None))!;
        alumnus.MarkInvited(TimeProvider.System.GetUtcNow());
        Assert.True(await store.TryUpdateAsync(alumnus, CancellationToken.None));

        var response = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-12-31"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("2026-12-31", "Invited"), (row.GetString("LastWorkingDay"), row.GetString("Status")));
        Assert.Single(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Fact]
    public async Task CorrectedAddressSentAgainOnTheSameDay_BeforeTheInvitation_IsWhereTheWelcomeGoes()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "hanako@exmaple.net"));

        var corrected = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "Hanako.Yamada@example.net"));
        var delivered = await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation");

        Assert.Equal((HttpStatusCode.OK, 1), (corrected.StatusCode, delivered));
        Assert.Equal(["Hanako.Yamada@example.net"], Assert.Single(await app.OutboxAsync()).To);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("Hanako.Yamada@example.net", "Invited"), (row.GetString("PersonalEmail"), row.GetString("Status")));
    }

    [Fact]
    public async Task CorrectedAddressSentAgainOnTheSameDay_WhileInvited_ReplacesTheAddressAndItsLookupKey_AndInvitesAgain()
    {
        var id = await app.DepartAsync(lastWorkingDay: "2026-11-30");
        var store = app.Services.GetRequiredService<Core.Alumni.IAlumniStore>();
        var alumnus = (await store.GetAsync(id, CancellationToken.None))!;
        alumnus.MarkInvited(TimeProvider.System.GetUtcNow());
        Assert.True(await store.TryUpdateAsync(alumnus, CancellationToken.None));

        var response = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "hanako.yamada@example.net", givenName: "華子"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("hanako.yamada@example.net", "華子", "Departed"), (row.GetString("PersonalEmail"), row.GetString("GivenName"), row.GetString("Status")));
        var pseudonyms = app.Services.GetRequiredService<Core.Privacy.Pseudonyms>();
        Assert.Equal(pseudonyms.Of("email", "hanako.yamada@example.net"), row.GetString("EmailKey"));
        Assert.Equal([id], await store.FindByEmailKeyAsync(pseudonyms.Of("email", "hanako.yamada@example.net"), CancellationToken.None).Select(a => a.Id).ToListAsync());
        Assert.Empty(await store.FindByEmailKeyAsync(pseudonyms.Of("email", "hanako@example.net"), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task AddressCorrectedAfterTheWelcome_InvitesTheRealPersonOnce_AndTheLinksMailedToTheTypoOpenNothing()
    {
        // The welcome owed again waits for the next send hour in company time: a clock the test can move there.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await app.DisposeAsync();
        app = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<TimeProvider>(clock), storageRoundTrips: storage);
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "hanako@gmial.com"), webhookId: "msg_typo");
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        var typoMail = Assert.Single(await app.OutboxAsync());

        var corrected = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "hanako@gmail.com"), webhookId: "msg_corrected");
        var redelivered = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "hanako@gmail.com"), webhookId: "msg_corrected");
        var resent = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", email: "hanako@gmail.com"), webhookId: "msg_corrected_again");
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (corrected.StatusCode, redelivered.StatusCode, resent.StatusCode));
        var mails = await app.OutboxAsync();
        Assert.Equal(["hanako@gmail.com", "hanako@gmial.com"], mails.Select(m => Assert.Single(m.To)).Order(StringComparer.Ordinal));
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("hanako@gmail.com", "Invited"), (row.GetString("PersonalEmail"), row.GetString("Status")));

        // Whoever reads the mistyped mailbox cannot join, set preferences or refuse mail in her name.
        var before = await app.SnapshotAsync();
        foreach (var link in Links(typoMail))
        {
            var get = await app.Client.GetAsync(link);
            Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        }

        var joinToken = Uri.UnescapeDataString(JoinToken().Match(typoMail.Text!).Groups["token"].Value);
        var join = await app.Client.PostAsync("api/alumni/join", new FormUrlEncodedContent([KeyValuePair.Create("token", joinToken), KeyValuePair.Create("membership", "yes")]));
        var refuse = await app.Client.PostAsync(new Uri(typoMail.Headers["List-Unsubscribe"].Trim('<', '>')).PathAndQuery.TrimStart('/'),
            new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (join.StatusCode, refuse.StatusCode));
        Assert.Equal(before, await app.SnapshotAsync());

        var realMail = Assert.Single(mails, m => m.To.Contains("hanako@gmail.com"));
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(Links(realMail).First(l => l.StartsWith("api/alumni/join", StringComparison.Ordinal)))).StatusCode);
    }

    private static IEnumerable<string> Links(AlumniNetwork.Functions.DevSendGrid.OutboxMail mail) =>
        AlumniLink().Matches(mail.Text!).Select(m => m.Value.TrimStart('/')).Where(l => !l.StartsWith("api/alumni/unsubscribe", StringComparison.Ordinal)).Distinct();

    [System.Text.RegularExpressions.GeneratedRegex(@"api/alumni/join\?token=(?<token>[^\s&""<>]+)")]
    private static partial System.Text.RegularExpressions.Regex JoinToken();

    [System.Text.RegularExpressions.GeneratedRegex(@"api/alumni/[a-z/]+\?token=[^\s""<>]+")]
    private static partial System.Text.RegularExpressions.Regex AlumniLink();

    [Fact]
    public async Task DepartureSentAgainWithOtherDetails_ForAMember_ChangesNothing()
    {
        await app.MemberAsync(locale: "ja-JP");
        var before = await app.SnapshotAsync();

        var response = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-30", email: "someone.else@example.net", givenName: "別人", locale: "en-US"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal("hanako@example.net", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("PersonalEmail"));
    }

    [Fact]
    public async Task ConcurrentDuplicates_CreateOneAlumnus()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.PostSignedAsync(Departures.Body(employeeId: "E777"))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK));
        Assert.Single((await Task.WhenAll(responses.Select(AlumnusIdOf))).Distinct());
        Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task InvalidFields_Return400ListingEveryFieldAndStoreNothing()
    {
        var body = Departures.Body(email: "not-an-email", lastWorkingDay: "30/11/2026").Replace("\"voluntary\"", "\"fired\"", StringComparison.Ordinal);

        var response = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToArray();
        Assert.Equal(["data.lastWorkingDay", "data.personalEmail", "data.reason"], fields.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("not-an-email", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task WorkAddressAsPersonalEmail_Returns400NamingTheFieldAndTheRule_AndStoresNothing()
    {
        var response = await app.PostSignedAsync(Departures.Body(email: "hanako@sales.example.com"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("data.personalEmail", error.GetProperty("field").GetString());
        Assert.Contains(error.EnumerateObject(), p => p.Value.ValueKind == JsonValueKind.String &&
            p.Value.GetString()!.Contains("not a work address at the company's mail domains (example.com", StringComparison.Ordinal));
        Assert.DoesNotContain("hanako", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task MalformedJson_Returns400AndStoresNothing()
    {
        var response = await app.PostSignedAsync("{\"type\": \"employee.departed\", ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task InvalidThenFixedWithSameWebhookId_IsAccepted()
    {
        await app.PostSignedAsync("{}", webhookId: "msg_retry");
        var response = await app.PostSignedAsync(Departures.Body(), webhookId: "msg_retry");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    public static TheoryData<string, int> BadSignatures => new()
    {
        { "missing", 0 },
        { "wrong-secret", 0 },
        // A minute beyond the five-minute window on the real clock: whole-second timestamps and a slow first request
        // must not bring a stale or future signature back inside it. The exact edge is tested on a fixed clock
        // (StandardWebhookVerifierTests).
        { "too-old", -360 },
        { "from-the-future", 360 },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task BadSignature_Returns401AndStoresNothing(string kind, int skewSeconds)
    {
        HttpResponseMessage response;
        if (kind == "missing")
        {
            response = await app.Client.PostAsync("api/hris/departures", new StringContent(Departures.Body(), Encoding.UTF8, "application/json"));
        }
        else
        {
            response = await app.PostSignedAsync(Departures.Body(),
                signedAt: TimeProvider.System.GetUtcNow().AddSeconds(skewSeconds),
                secret: kind == "wrong-secret" ? "whsec_" + Convert.ToBase64String(new byte[32]) : TestApp.WebhookSecret);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    public static TheoryData<string, int, string[], string> NamedRejections => new()
    {
        { "missing", 0, ["webhook-id", "webhook-timestamp", "webhook-signature"], "is required" },
        { "no-signature", 0, ["webhook-signature"], "is required" },
        { "wrong-secret", 0, ["webhook-signature"], "v1 HMAC-SHA256" },
        { "too-old", -360, ["webhook-timestamp"], "±300 seconds" },
    };

    [Theory]
    [MemberData(nameof(NamedRejections))]
    public async Task RejectedSignature_NamesTheHeaderAtFaultAndStoresNothing(string kind, int skewSeconds, string[] fields, string rule)
    {
        HttpResponseMessage response;
        if (kind is "missing" or "no-signature")
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/hris/departures") { Content = new StringContent(Departures.Body(), Encoding.UTF8, "application/json") };
            if (kind == "no-signature")
            {
                request.Headers.Add("webhook-id", "msg_unsigned");
                request.Headers.Add("webhook-timestamp", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            response = await app.Client.SendAsync(request);
        }
        else
        {
            response = await app.PostSignedAsync(Departures.Body(),
                signedAt: TimeProvider.System.GetUtcNow().AddSeconds(skewSeconds),
                secret: kind == "wrong-secret" ? "whsec_" + Convert.ToBase64String(new byte[32]) : TestApp.WebhookSecret);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToArray();
        Assert.Equal(fields, errors.Select(e => e.GetProperty("field").GetString()));
        Assert.All(errors, e => Assert.Contains(rule, e.GetProperty("rule").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task SignatureTolerance_AlsoBoundsHowFarAheadTheEventTimeMayBe()
    {
        // One setting for HR's clock (ADR 0040): widened, it lets both the signature and the event time eight minutes ahead.
        await using var widened = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Hris:SignatureTolerance"] = "00:10:00" });
        var ahead = TimeProvider.System.GetUtcNow().AddMinutes(8);

        var response = await widened.PostSignedAsync(Departures.Body(timestamp: ahead.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), signedAt: ahead);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task BodyOver64KiB_Returns413AndStoresNothing()
    {
        var body = Departures.Body().Replace("\"Analyst\"", "\"" + new string('x', 70_000) + "\"", StringComparison.Ordinal);

        var response = await app.PostSignedAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task NotJson_Returns415AndStoresNothing()
    {
        var response = await app.PostSignedAsync(Departures.Body(), contentType: "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task BatchEventType_Returns400NamingTypeAndTheBatchEndpointAndStoresNothing()
    {
        var before = await app.SnapshotAsync();

        var response = await app.PostSignedAsync("""{"type":"employee.departed.batch","timestamp":"2026-01-01T00:00:00Z","data":[]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("type", error.GetProperty("field").GetString());
        Assert.Contains("/api/hris/departures/batch", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task UnhandledEventType_Returns204AndStoresNoAlumnus()
    {
        var response = await app.PostSignedAsync("""{"type":"employee.promoted","data":{"employeeId":"E1"}}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await app.CountAllRowsAsync(except: AlumniTables.WebhookReceipts));
    }
}
