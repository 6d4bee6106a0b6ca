using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AlumniNetwork.Functions.Tests.HrisDepartures;

/// <summary>HR withdraws a departure on the HRIS webhook (ADR 0041).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HrisWithdrawalFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task WithdrawnBeforeTheInvitation_RemovesTheRecordAndItsWelcome_AndNoMailGoes()
    {
        // The welcome is due (1 November's long since) but not yet sent.
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");

        var response = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("withdrawn", (await JsonOf(response)).GetProperty("status").GetString());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.WorkItems), w => w.GetString("Kind") == "welcome-invitation");
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Empty(await app.OutboxAsync());
    }

    [Theory]
    [InlineData("msg_departed", "2026-11-30T09:00:00Z")] // HR's retry of the very message
    [InlineData("msg_late_batch_like", "2026-11-30T09:00:00Z")] // the same departure under a new id
    [InlineData("msg_older_correction", "2026-11-30T11:59:59Z")] // any departure sent before the withdrawal
    [InlineData("msg_same_instant", "2026-11-30T12:00:00Z")] // sent at the withdrawal's instant: the withdrawal stands
    public async Task DepartureSentBeforeTheWithdrawal_ArrivingAfterIt_IsNotRecorded(string webhookId, string timestamp)
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");
        var before = await app.SnapshotAsync();

        var replay = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: timestamp), webhookId: webhookId);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("withdrawn", (await JsonOf(replay)).GetProperty("status").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Empty(await app.OutboxAsync());
    }

    [Fact]
    public async Task LateNightlyBatchOlderThanTheWithdrawal_DoesNotRecordIt()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");

        var batch = await app.PostSignedAsync(Departures.BatchAt("2026-11-30T10:00:00Z", Departures.Data(lastWorkingDay: "2026-11-01")), path: "api/hris/departures/batch");

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(0, (await JsonOf(batch)).GetProperty("created").GetInt32());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task DepartureSentAfterTheWithdrawal_IsRecordedAsNew_AndInvited()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");

        // The person resigns again later, on the same last working day HR sent first.
        var again = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T15:00:00Z"), webhookId: "msg_departed_again");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var id = (await JsonOf(again)).GetProperty("alumnusId").GetString();
        var record = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal((id, "Departed"), (record.RowKey, record.GetString("Status")));
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        Assert.Single(await app.OutboxAsync());
    }

    [Fact]
    public async Task LeavingAgainAfterAWithdrawal_ThenPurged_IsNotReCreatedByAReplayOrAReimport()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");
        var again = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-12-15", timestamp: "2026-12-01T09:00:00Z"), webhookId: "msg_left_after_all");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var record = await store.GetAsync(AlumnusId.Parse((await JsonOf(again)).GetProperty("alumnusId").GetString()!), CancellationToken.None);
        Assert.True(await store.DeleteAsync(record!, CancellationToken.None)); // the retention purge: invited, never joined
        var before = await app.SnapshotAsync();

        var replay = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-12-15", timestamp: "2026-12-01T09:00:00Z"), webhookId: "msg_left_after_all_retry");
        var reimport = await app.PostSignedAsync(Departures.BatchAt("2026-12-02T00:00:00Z", Departures.Data(lastWorkingDay: "2026-12-15")), path: "api/hris/departures/batch");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (replay.StatusCode, reimport.StatusCode));
        Assert.Equal(0, (await JsonOf(reimport)).GetProperty("created").GetInt32());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(0, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
    }

    /// <summary>
    /// The retention purge deleted the record of someone who never joined; then HR withdrew the departure. Whether the
    /// purge finished its tombstone or died just before (the claim still names the deleted record, marked Purging), the
    /// withdrawal keeps the tombstone's departures, so a later batch listing the purged departure does not re-create
    /// the person (ADR 0012, 0041).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WithdrawalAfterAPurge_FinishedOrStoppedAfterTheDelete_KeepsTheTombstone_AndALaterBatchCreatesNobody(bool purgeFinished)
    {
        var departed = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var record = (await store.GetAsync(AlumnusId.Parse((await JsonOf(departed)).GetProperty("alumnusId").GetString()!), CancellationToken.None))!;
        var pseudonyms = app.Services.GetRequiredService<Pseudonyms>();
        var departure = pseudonyms.Of("departure", "E12345|2026-11-01");
        var index = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.AlumniIndex);
        if (purgeFinished)
        {
            Assert.True(await store.DeleteAsync(record, CancellationToken.None));
        }
        else
        {
            // What a purge that died between deleting the record and finishing the tombstone leaves behind.
            var marked = (await index.GetEntityAsync<Azure.Data.Tables.TableEntity>("employee:" + pseudonyms.Of("employee", "E12345"), "id")).Value;
            marked["Purging"] = true;
            marked["Departures"] = departure;
            await index.UpdateEntityAsync(marked, marked.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
            await app.Tables.GetTableClient(app.TablePrefix + AlumniTables.Alumni).DeleteEntityAsync(record.Id.Bucket, record.Id.Value);
        }

        var withdrawn = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");
        var batch = await app.PostSignedAsync(Departures.BatchAt("2026-12-02T00:00:00Z", Departures.Data(lastWorkingDay: "2026-11-01")), path: "api/hris/departures/batch");

        Assert.Equal((HttpStatusCode.OK, "withdrawn"), (withdrawn.StatusCode, (await JsonOf(withdrawn)).GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var counts = await JsonOf(batch);
        Assert.Equal((0, 1), (counts.GetProperty("created").GetInt32(), counts.GetProperty("purged").GetInt32()));
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        var claim = (await index.GetEntityAsync<Azure.Data.Tables.TableEntity>("employee:" + pseudonyms.Of("employee", "E12345"), "id")).Value;
        Assert.Equal((null, null, departure), (claim.GetString("AlumnusId"), claim.GetBoolean("Purging"), claim.GetString("Departures")));
    }

    /// <summary>
    /// A purge that lost the record to a change left its mark on the claim (harmless while the record lives); HR then
    /// withdraws the departure, and the withdrawal removes the record itself. The claim is released as by any withdrawal,
    /// the mark with it, so the departure HR sends again afterwards is recorded, not answered as purged (ADR 0041).
    /// </summary>
    [Fact]
    public async Task WithdrawalRemovingARecordUnderALeftoverPurgeMark_ReleasesTheClaim_SoTheDepartureSentAgainIsRecorded()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed")).StatusCode);
        var claimKey = "employee:" + app.Services.GetRequiredService<Pseudonyms>().Of("employee", "E12345");
        var index = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.AlumniIndex);
        var marked = (await index.GetEntityAsync<Azure.Data.Tables.TableEntity>(claimKey, "id")).Value;
        marked["Purging"] = true;
        await index.UpdateEntityAsync(marked, marked.ETag, Azure.Data.Tables.TableUpdateMode.Replace);

        var withdrawn = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");
        var released = (await index.GetEntityAsync<Azure.Data.Tables.TableEntity>(claimKey, "id")).Value;
        var batch = await JsonOf(await app.PostSignedAsync(Departures.BatchAt("2026-12-02T00:00:00Z", Departures.Data(lastWorkingDay: "2026-11-01")), path: "api/hris/departures/batch"));

        Assert.Equal("withdrawn", (await JsonOf(withdrawn)).GetProperty("status").GetString());
        Assert.Equal((null, null, null), (released.GetString("AlumnusId"), released.GetBoolean("Purging"), released.GetString("Departures")));
        Assert.Equal((1, 0), (batch.GetProperty("created").GetInt32(), batch.GetProperty("purged").GetInt32()));
        Assert.Equal("2026-11-01", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("LastWorkingDay"));
    }

    /// <summary>
    /// A rehire's departure claims the purge tombstone of their earlier employment afresh; HR withdraws it. The release
    /// drops the withdrawn departure only: the purged one stays on the claim, so later batches record the withdrawn one
    /// (HR sent it again after the withdrawal) and not the purged person (ADR 0012, 0041).
    /// </summary>
    [Fact]
    public async Task WithdrawalOfARehiresDeparture_KeepsTheEarlierPurgedOne_SoALaterBatchRecordsOnlyTheWithdrawnDay()
    {
        var first = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-01T09:00:00Z"), webhookId: "msg_departed");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var purged = await store.GetAsync(AlumnusId.Parse((await JsonOf(first)).GetProperty("alumnusId").GetString()!), CancellationToken.None);
        Assert.True(await store.DeleteAsync(purged!, CancellationToken.None)); // the retention purge: never joined
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-12-15", timestamp: "2026-12-01T09:00:00Z"), webhookId: "msg_left_again")).StatusCode);

        var withdrawn = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-12-01T12:00:00Z"), webhookId: "msg_withdrawn");
        var purgedDay = await JsonOf(await app.PostSignedAsync(Departures.BatchAt("2026-12-02T00:00:00Z", Departures.Data(lastWorkingDay: "2026-11-01")), path: "api/hris/departures/batch"));
        var withdrawnDay = await JsonOf(await app.PostSignedAsync(Departures.BatchAt("2026-12-03T00:00:00Z", Departures.Data(lastWorkingDay: "2026-12-15")), path: "api/hris/departures/batch"));

        Assert.Equal("withdrawn", (await JsonOf(withdrawn)).GetProperty("status").GetString());
        Assert.Equal((0, 1), (purgedDay.GetProperty("created").GetInt32(), purgedDay.GetProperty("purged").GetInt32()));
        Assert.Equal((1, 0), (withdrawnDay.GetProperty("created").GetInt32(), withdrawnDay.GetProperty("purged").GetInt32()));
        Assert.Equal("2026-12-15", Assert.Single(await app.RowsAsync(AlumniTables.Alumni)).GetString("LastWorkingDay"));
    }

    [Fact]
    public async Task WithdrawnAfterTheInvitation_KeepsTheRecord_FlaggedAndAudited()
    {
        var departed = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        var id = (await JsonOf(departed)).GetProperty("alumnusId").GetString();
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));

        var response = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-12-02T12:00:00Z"), webhookId: "msg_withdrawn");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await JsonOf(response);
        Assert.Equal(("flagged", id), (answer.GetProperty("status").GetString(), answer.GetProperty("alumnusId").GetString()));
        var record = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Equal(("Invited", DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            (record.GetString("Status"), record.GetDateTimeOffset("DepartureWithdrawnAt")));
        var entry = Assert.Single(await app.RowsAsync(AlumniTables.Audit), e => e.GetString("Action") == WithdrawDeparture.FlaggedAuditAction);
        Assert.Equal((WithdrawDeparture.AuditActor, id, "status=Invited"), (entry.GetString("Actor"), entry.GetString("Subject"), entry.GetString("Detail")));
    }

    /// <summary>
    /// The withdrawal's mark and webhook id on the claim are about the person: their erasure leaves the erasure tombstone
    /// alone (ADR 0012), and a redelivery of the withdrawal is answered as for anyone erased.
    /// </summary>
    [Fact]
    public async Task FlaggedWithdrawalThenErasure_ClaimKeepsOnlyTheTombstone_AndARedeliveryAnswersErased()
    {
        var departed = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        var id = AlumnusId.Parse((await JsonOf(departed)).GetProperty("alumnusId").GetString()!);
        Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-12-02T12:00:00Z"), webhookId: "msg_withdrawn");

        (await app.PostFormAsync(Core.Links.LinkPurpose.Erase, id)).EnsureSuccessStatusCode();
        var redelivered = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-12-02T12:00:00Z"), webhookId: "msg_withdrawn");

        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        var index = await app.RowsAsync(AlumniTables.AlumniIndex);
        Assert.Contains(index, r => r.GetBoolean("Erased") == true);
        Assert.All(index, r => Assert.Empty(r.Keys.Intersect(["AlumnusId", "WithdrawnAt", "Webhooks", "Departures", "EventAt"])));
        Assert.Equal("erased", (await JsonOf(redelivered)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SameWithdrawalTwice_IsOneEffect_AndTheSameAnswer(bool invited)
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        if (invited)
        {
            Assert.Equal(1, await app.DeliverAsync("welcomeInvitations", "SendWelcomeInvitation"));
        }

        var first = await app.PostSignedAsync(Departures.Withdrawal(), webhookId: "msg_withdrawn");
        var before = await app.SnapshotAsync();

        var second = await app.PostSignedAsync(Departures.Withdrawal(), webhookId: "msg_withdrawn");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal((await JsonOf(first)).ToString(), (await JsonOf(second)).ToString());
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.Equal(invited ? 1 : 0, (await app.RowsAsync(AlumniTables.Audit)).Count(e => e.GetString("Action") == WithdrawDeparture.FlaggedAuditAction));
    }

    [Fact]
    public async Task WithdrawnForAnUnknownEmployee_Is200_AndTheDepartureArrivingLaterIsNotRecorded()
    {
        var withdrawn = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));

        var late = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal("withdrawn", (await JsonOf(late)).GetProperty("status").GetString());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems));
    }

    [Fact]
    public async Task WithdrawalOlderThanADepartureAppliedSince_ChangesNothing()
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T15:00:00Z"), webhookId: "msg_departed");
        var before = await app.SnapshotAsync();

        var late = await app.PostSignedAsync(Departures.Withdrawal(timestamp: "2026-11-30T12:00:00Z"), webhookId: "msg_withdrawn");

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        // Only the claim changed: it keeps the message's id.
        Assert.Equal(before.Where(r => !r.StartsWith("AlumniIndex|", StringComparison.Ordinal)), (await app.SnapshotAsync()).Where(r => !r.StartsWith("AlumniIndex|", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("employeeId", "data.employeeId")]
    [InlineData("timestamp", "timestamp")]
    public async Task WithdrawalMissingAField_Is400NamingIt_AndChangesNothing(string missing, string field)
    {
        await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2026-11-01", timestamp: "2026-11-30T09:00:00Z"), webhookId: "msg_departed");
        var before = await app.SnapshotAsync();
        var body = JsonNode.Parse(Departures.Withdrawal())!.AsObject();
        if (missing == "timestamp")
        {
            body.Remove("timestamp");
        }
        else
        {
            body["data"]!.AsObject().Remove("employeeId");
        }

        var response = await app.PostSignedAsync(body.ToJsonString(), webhookId: "msg_bad");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await JsonOf(response)).GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }
}
