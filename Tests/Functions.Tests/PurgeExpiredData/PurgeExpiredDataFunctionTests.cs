using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.PurgeExpiredData;

/// <summary>The retention timer through its invocation endpoint, on rows seeded through the app's own adapters.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PurgeExpiredDataFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TimerEnvelope = """
        {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-12-01T03:30:00Z","Next":"2026-12-02T03:30:00Z","LastUpdated":"2026-12-01T03:30:00Z"},"IsPastDue":false}},
         "Metadata":{"sys":{"MethodName":"PurgeExpiredData","UtcNow":"2026-12-02T03:30:00Z","RandGuid":"x"}}}
        """;

    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    private async Task<Alumnus> SeedAsync(string employeeId, AlumnusStatus status, int recordedDaysAgo, TestApp? on = null)
    {
        var store = (on ?? app).Services.GetRequiredService<IAlumniStore>();
        var recordedAt = Now.AddDays(-recordedDaysAgo);
        var lastWorkingDay = DateOnly.FromDateTime(recordedAt.UtcDateTime);
        var id = Assert.IsType<EmployeeClaim.Held>(await store.ClaimEmployeeAsync(employeeId, lastWorkingDay, null, null, AlumnusId.New(), CancellationToken.None)).Id;
        var notice = new DepartureNotice(employeeId, "花子", "山田", EmailAddress.Parse($"{employeeId.ToLowerInvariant()}@example.net"), null, null, null,
            lastWorkingDay, DepartureReason.Voluntary, null, Locale.Japanese);
        var alumnus = Alumnus.FromDeparture(id, notice, recordedAt.AddDays(2), recordedAt);
        alumnus.MarkInvited(recordedAt.AddDays(2));
        if (status == AlumnusStatus.Joined)
        {
            alumnus.Join(recordedAt.AddDays(5));
        }

        await store.AddAsync(alumnus, CancellationToken.None);
        return alumnus;
    }

    private Task ConsentAsync(Alumnus alumnus, ConsentPurpose purpose, bool granted, int daysAgo) =>
        Service<IConsentLedger>().AppendAsync(new ConsentRecord(alumnus.Id, purpose, granted, Now.AddDays(-daysAgo), ConsentMethod.Link, "test"), CancellationToken.None);

    private async Task<JsonElement> InvokeAsync(TestApp? on = null)
    {
        var response = await (on ?? app).Client.PostAsync("PurgeExpiredData", new StringContent(TimerEnvelope, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task DailyRun_DeletesExpiredNeverJoinedAndWithdrawnConsent_KeepsEverythingElse_AndIsIdempotent()
    {
        var expired = await SeedAsync("E-OLD", AlumnusStatus.Invited, recordedDaysAgo: 120);
        await ConsentAsync(expired, ConsentPurpose.Newsletter, false, 100);
        await Service<IOutreachLog>().RecordAsync(new OutreachDecision(expired.Id, "welcome", null, false, true, "transactional", Now.AddDays(-118)), CancellationToken.None);
        await Service<IEngagementCounters>().IncrementAsync(expired.Id, EngagementKind.Opened, Now.AddDays(-117), CancellationToken.None);
        var recent = await SeedAsync("E-NEW", AlumnusStatus.Invited, recordedDaysAgo: 10);
        var member = await SeedAsync("E-MEMBER", AlumnusStatus.Joined, recordedDaysAgo: 400);
        await ConsentAsync(member, ConsentPurpose.NetworkMembership, true, 395);
        await ConsentAsync(member, ConsentPurpose.Events, true, 395);
        await ConsentAsync(member, ConsentPurpose.Newsletter, true, 395);
        await ConsentAsync(member, ConsentPurpose.Newsletter, false, 40);
        await ConsentAsync(member, ConsentPurpose.Surveys, true, 395);
        await ConsentAsync(member, ConsentPurpose.Surveys, false, 40);
        await Service<IOutreachLog>().RecordAsync(new OutreachDecision(member.Id, "survey-2026", ConsentPurpose.Surveys, true, true, "consented", Now.AddDays(-20)), CancellationToken.None);

        var first = await InvokeAsync();

        Assert.Contains("1 never-joined deleted", first.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(new[] { member.Id.Value, recent.Id.Value }.Order(StringComparer.Ordinal), (await app.RowsAsync(AlumniTables.Alumni)).Select(r => r.RowKey).Order(StringComparer.Ordinal));
        var index = await app.RowsAsync(AlumniTables.AlumniIndex);
        Assert.Equal(new[] { member.Id.Value, recent.Id.Value }.Order(StringComparer.Ordinal), index.Select(r => r.GetString("AlumnusId")).OfType<string>().Order(StringComparer.Ordinal));
        Assert.Equal(ClaimPartition("E-OLD"), Assert.Single(index, r => r.GetString("AlumnusId") is null).PartitionKey);
        var consents = await app.RowsAsync(AlumniTables.Consents);
        Assert.DoesNotContain(consents, r => r.PartitionKey == expired.Id.Value);
        Assert.Equal(
            ["Events:True", "NetworkMembership:True", "Surveys:False", "Surveys:True"],
            consents.Where(r => r.PartitionKey == member.Id.Value).Select(r => $"{r.GetString("Purpose")}:{r.GetBoolean("Granted")}").Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.OutreachDecisions), r => r.PartitionKey == expired.Id.Value);
        Assert.Null(await Service<IEngagementCounters>().GetAsync(expired.Id, CancellationToken.None));

        var rowsAfterFirst = await app.CountAllRowsAsync();
        var second = await InvokeAsync();

        Assert.Contains("0 never-joined deleted", second.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("0 consent entries purged", second.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(rowsAfterFirst, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task PurgedNeverJoined_HasTheProviderMessageIdsOnTheirSendsBlanked_KeepingTheRows_AndNobodyElses()
    {
        // A message id finds the address in SendGrid's activity log, as after an erasure; the rows stay for the cap and as evidence.
        var expired = await SeedAsync("E-OLD", AlumnusStatus.Invited, recordedDaysAgo: 120);
        var recent = await SeedAsync("E-NEW", AlumnusStatus.Invited, recordedDaysAgo: 10);
        var sends = Service<ISendLedger>();
        await sends.RecordSentAsync(new SendRecord("welcome", expired.Id.Value, "sg-old-welcome", Now.AddDays(-118)), CancellationToken.None);
        await sends.RecordSentAsync(new SendRecord("privacy-export", expired.Id.Value, "sg-old-export", Now.AddDays(-100)), CancellationToken.None);
        await sends.RecordSentAsync(new SendRecord("welcome", recent.Id.Value, "sg-new-welcome", Now.AddDays(-8)), CancellationToken.None);

        Assert.Contains("1 never-joined deleted", (await InvokeAsync()).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);

        var rows = await app.RowsAsync(AlumniTables.Sends);
        var theirs = rows.Where(r => r.RowKey == expired.Id.Value).ToList();
        Assert.Equal(["privacy-export", "welcome"], theirs.Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.All(theirs, r => Assert.Equal(("", nameof(SendState.Sent)), (r.GetString("ProviderMessageId"), r.GetString("Status"))));
        Assert.DoesNotContain(rows, r => r.GetString("ProviderMessageId") is "sg-old-welcome" or "sg-old-export");
        Assert.Equal("sg-new-welcome", Assert.Single(rows, r => r.RowKey == recent.Id.Value).GetString("ProviderMessageId"));
    }

    [Fact]
    public async Task ErasureLeftUnderWayForOverAnHour_IsFinished_OneJustStartedIsLeftToItsOwnRequest()
    {
        async Task<Alumnus> StartedErasureAsync(string employeeId, TimeSpan ago)
        {
            var alumnus = await SeedAsync(employeeId, AlumnusStatus.Joined, recordedDaysAgo: 200);
            await ConsentAsync(alumnus, ConsentPurpose.Newsletter, true, 190);
            await Service<IEngagementCounters>().IncrementAsync(alumnus.Id, EngagementKind.Opened, Now.AddDays(-100), CancellationToken.None);
            var row = (await Service<IAlumniStore>().GetAsync(alumnus.Id, CancellationToken.None))!;
            (row.DoNotContact, row.Consented, row.ErasureStartedAt) = (true, new HashSet<ConsentPurpose>(), Now - ago);
            Assert.True(await Service<IAlumniStore>().TryUpdateAsync(row, CancellationToken.None));
            return alumnus;
        }

        var stuck = await StartedErasureAsync("E-STUCK", TimeSpan.FromHours(2));
        var running = await StartedErasureAsync("E-RUNNING", TimeSpan.FromMinutes(5));

        await InvokeAsync();

        Assert.Null(await Service<IAlumniStore>().GetAsync(stuck.Id, CancellationToken.None));
        Assert.Equal(1, await Service<IAlumniStore>().CountErasedAsync(CancellationToken.None));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Consents), r => r.PartitionKey == stuck.Id.Value);
        Assert.Null(await Service<IEngagementCounters>().GetAsync(stuck.Id, CancellationToken.None));
        Assert.NotNull(await Service<IAlumniStore>().GetAsync(running.Id, CancellationToken.None));
        Assert.NotNull(await Service<IEngagementCounters>().GetAsync(running.Id, CancellationToken.None));
    }

    [Fact]
    public async Task RehiredNeverJoined_WithAProfile_IsPurgedWithProfileCollaborationAndOpeningsData_AndARetryChangesNothing()
    {
        var rehired = await SeedAsync("E-BACK", AlumnusStatus.Invited, recordedDaysAgo: 120);
        Assert.Equal(HttpStatusCode.Accepted, (await app.HiredAsync("E-BACK", OpeningSeeds.Day(-100))).StatusCode);
        Assert.Equal(1, await app.DeliverAsync("rehires", "AttributeRehire"));
        Assert.Equal(AlumnusStatus.Returned, (await app.AlumnusAsync(rehired.Id)).Status);
        // The profile page is reachable from the returned person's join page, and saving it runs the conflict checks.
        Assert.Equal(HttpStatusCode.OK, (await app.PostFormAsync(LinkPurpose.Profile, rehired.Id, ("CurrentEmployer", "山田商事株式会社"), ("Location", "Osaka"))).StatusCode);
        await Service<IConflictAssessments>().SaveAsync(
            new ConflictAssessment(rehired.Id, "entry-1", ConflictCategory.Competitor, "山田商事", "山田商事", "山田商事株式会社", Now.AddDays(-99)), CancellationToken.None);
        await Service<IComplianceApprovals>().RequestAsync(new ApprovalRequest(rehired.Id, "collaboration-test", "Collaboration request", "test", Now.AddDays(-99)), CancellationToken.None);
        Assert.NotNull(await Service<ICollaborationStore>().TrySaveCardAsync(new CollaborationCard(rehired.Id,
            new Dictionary<CardField, string> { [CardField.Company] = "山田商事株式会社", [CardField.Offer] = "決済" }, Industry.Finance, true, true, false, CardStatus.PendingReview, Now.AddDays(-99)),
            CancellationToken.None));
        var openingId = await app.CreateOpeningAsync();
        Assert.True(await Service<IOpeningStore>().TrySaveInterestAsync(OpeningInterest.New(openingId, rehired.Id), CancellationToken.None));
        var held = new[] { AlumniTables.Profiles, AlumniTables.ConflictAssessments, AlumniTables.ComplianceApprovals, AlumniTables.CollaborationCards, AlumniTables.Openings, AlumniTables.Rehires };
        foreach (var table in held)
        {
            Assert.Contains(await app.RowsAsync(table), r => Mentions(r, rehired.Id));
        }

        var first = await InvokeAsync();

        Assert.Contains("1 never-joined deleted", first.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        foreach (var table in AlumniTables.All.Except([AlumniTables.Audit, AlumniTables.AuditSubjects]))
        {
            // Only the profile save's pending conflict check may still name the id: it holds nothing else, and when it runs
            // it finds the record gone and removes the assessment (none left), as after an erasure.
            Assert.DoesNotContain(await app.RowsAsync(table), r => Mentions(r, rehired.Id) && r.GetString("Kind") != WorkKinds.ConflictCheck);
        }

        // The return stays counted, linked to nobody.
        Assert.Null(Assert.Single(await app.HireRowsAsync()).GetString("AlumnusId"));
        var rows = await app.CountAllRowsAsync();
        Assert.Contains("0 never-joined deleted", (await InvokeAsync()).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(rows, await app.CountAllRowsAsync());
    }

    private static bool Mentions(Azure.Data.Tables.TableEntity row, AlumnusId id) =>
        string.Join("|", row.Select(p => $"{p.Key}={p.Value}")).Contains(id.Value, StringComparison.Ordinal);

    private string ClaimPartition(string employeeId) => "employee:" + Service<Core.Privacy.Pseudonyms>().Of("employee", employeeId);

    [Fact]
    public async Task PurgedNeverJoined_WhenHrReplaysTheSameDeparture_IsNotRecreatedNorInvitedAgain()
    {
        var purged = await SeedAsync("E12345", AlumnusStatus.Invited, recordedDaysAgo: 120);
        await InvokeAsync();
        var before = await app.SnapshotAsync();

        var replay = await app.PostSignedAsync(Departures.Body(employeeId: "E12345", lastWorkingDay: purged.LastWorkingDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("purged", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Fact]
    public async Task PurgedNeverJoined_RehiredUnderANewEmployeeId_AReplayOfTheirDepartureUnderItIsNotRecreated()
    {
        var purged = await SeedAsync("E-OLD", AlumnusStatus.Invited, recordedDaysAgo: 120);
        await app.HiredAsync("E-NEW", OpeningSeeds.Day(-100), email: "e-old@example.net");
        Assert.Equal(1, await app.DeliverAsync("rehires", "AttributeRehire"));
        var departure = Departures.Body(employeeId: "E-NEW", email: "e-old@example.net", lastWorkingDay: OpeningSeeds.Day(-95));
        Assert.Equal(purged.Id.Value, (await (await app.PostSignedAsync(departure)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alumnusId").GetString());

        await InvokeAsync();
        var replay = await app.PostSignedAsync(departure);

        Assert.Equal("purged", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.AlumniIndex), r => r.PartitionKey.Contains(purged.Id.Value, StringComparison.Ordinal) || r.GetString("AlumnusId") == purged.Id.Value);
    }

    [Fact]
    public async Task PurgedWhileTheMatcherClaimsTheirNewEmployeeId_ALaterDepartureUnderItIsRecordedAfresh()
    {
        await using var racing = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<IAlumniStore>(sp =>
            new InterleavedAlumniStore(new TableAlumniStore(sp.GetRequiredService<AlumniTables>(), sp.GetRequiredService<Core.Privacy.Pseudonyms>()))));
        var purged = await SeedAsync("E-OLD", AlumnusStatus.Invited, recordedDaysAgo: 120, on: racing);
        await racing.HiredAsync("E-NEW", OpeningSeeds.Day(-100), email: "e-old@example.net");
        // The purge runs after the matcher read the record, before its claim of the new id: it finds no claim to end.
        ((InterleavedAlumniStore)racing.Services.GetRequiredService<IAlumniStore>()).BeforeReturnClaim = async () =>
            Assert.Contains("1 never-joined deleted", (await InvokeAsync(racing)).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await racing.DeliverAsync("rehires", "AttributeRehire"));
        Assert.Empty(await racing.RowsAsync(AlumniTables.Alumni));

        var left = await racing.PostSignedAsync(Departures.Body(employeeId: "E-NEW", email: "e-old@example.net", lastWorkingDay: "2026-12-31"));

        Assert.Equal(HttpStatusCode.Accepted, left.StatusCode);
        var row = Assert.Single(await racing.RowsAsync(AlumniTables.Alumni));
        Assert.NotEqual(purged.Id.Value, row.RowKey);
        Assert.Equal("2026-12-31", row.GetString("LastWorkingDay"));
        Assert.DoesNotContain(await racing.RowsAsync(AlumniTables.AlumniIndex), r => r.PartitionKey.Contains(purged.Id.Value, StringComparison.Ordinal) || r.GetString("AlumnusId") == purged.Id.Value);
    }

    [Fact]
    public async Task PurgedNeverJoined_WhoIsRehiredAndLeavesAgainLater_IsRecordedAfresh()
    {
        var purged = await SeedAsync("E12345", AlumnusStatus.Invited, recordedDaysAgo: 120);

        await InvokeAsync();
        var again = await app.PostSignedAsync(Departures.Body(employeeId: "E12345", lastWorkingDay: "2026-12-31"));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.NotEqual(purged.Id.Value, row.RowKey);
        Assert.Equal("2026-12-31", row.GetString("LastWorkingDay"));
        Assert.Single(await app.RowsAsync(AlumniTables.WorkItems));
    }
}
