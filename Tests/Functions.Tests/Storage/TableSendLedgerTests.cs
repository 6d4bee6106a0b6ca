using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The Sends ledger's states on Azurite: claims that keep racing deliveries from sending twice, unknown outcomes that are
/// never repeated blindly, evidence that settles them, and the rule once the window passes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSendLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SendPolicy Transactional = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30), MaxAttempts: 2);
    private static readonly SendPolicy Promotional = Transactional with { MaxAttempts = 1 };
    private readonly AlumnusId alumnus = AlumnusId.New();
    private TestApp app = null!;

    private ISendLedger Ledger => app.Services.GetRequiredService<ISendLedger>();

    /// <summary>The app's heartbeat gap: short enough to see a stretch of accepted posts end within a test.</summary>
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Sending:WebhookGap"] = Gap.ToString() });

    private IEventWebhookHeartbeat Heartbeat => app.Services.GetRequiredService<IEventWebhookHeartbeat>();

    /// <summary>A transactional send with the event webhook on: a re-send needs the webhook to have accepted posts throughout.</summary>
    private static SendPolicy Watched(TimeSpan window) =>
        new(TimeSpan.FromMinutes(1), window, MaxAttempts: 2) { Silence = new SilenceRule(window, TimeSpan.FromHours(25), Gap) };

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<SendClaimResult> ClaimAsync(DateTimeOffset at, SendPolicy? policy = null) =>
        Ledger.ClaimAsync("c1", alumnus.Value, at, policy ?? Transactional, CancellationToken.None);

    private async Task<TableEntity> RowAsync() => Assert.Single(await app.RowsAsync(AlumniTables.Sends));

    /// <summary>A first attempt made at <see cref="Now"/> whose answer never came.</summary>
    private async Task<SendClaim> UnknownAsync()
    {
        var claim = (await ClaimAsync(Now)).Claim!;
        return (await Ledger.BeginAttemptAsync(claim, Now, CancellationToken.None))!;
    }

    [Fact]
    public async Task MayHaveReached_OnlyOnceAnAttemptWasHandedOver_NeverForAnUnattemptedClaimOrADrop()
    {
        var mayHave = () => Ledger.MayHaveReachedAsync("c1", alumnus.Value, CancellationToken.None);
        var none = await mayHave();
        var claim = (await ClaimAsync(Now)).Claim!;
        var claimed = await mayHave();
        var attempt = (await Ledger.BeginAttemptAsync(claim, Now, CancellationToken.None))!;
        var unknown = await mayHave();
        var resend = await ClaimAsync(Now.AddHours(1));
        var resendClaimed = await mayHave();
        await Ledger.ResolveAsync(attempt.SendId, SendState.Dropped, "bounce", Now.AddHours(2), CancellationToken.None);
        var dropped = await mayHave();

        Assert.Equal(ClaimStatus.Claimed, resend.Status);
        Assert.Equal((false, false, true, true, false), (none, claimed, unknown, resendClaimed, dropped));
    }

    [Fact]
    public async Task WhichMayHaveReached_ReadsEveryCampaignWithThePrefix_KeepingTheAskedRecipientsThatASendMayHaveReached()
    {
        async Task AttemptedAsync(string campaign, string recipient) =>
            await Ledger.BeginAttemptAsync((await Ledger.ClaimAsync(campaign, recipient, Now, Transactional, CancellationToken.None)).Claim!, Now, CancellationToken.None);
        await AttemptedAsync("event-e1-staff-s0", "asked");
        await AttemptedAsync("event-e1-staff-s1", "asked");
        await AttemptedAsync("event-e1-staff-s1", "not-asked");
        await AttemptedAsync("event-e1-staf", "asked");
        await AttemptedAsync("event-e1-stafg", "asked");
        await AttemptedAsync("event-e0-staff", "asked");
        await Ledger.ClaimAsync("event-e1-staff-s2", "claimed", Now, Transactional, CancellationToken.None);
        // A row written before states existed (no status) was sent.
        var table = await app.Services.GetRequiredService<AlumniTables>().GetAsync(AlumniTables.Sends, CancellationToken.None);
        await table.AddEntityAsync(new TableEntity("event-e1-staff", "old") { ["SentAt"] = Now, ["ProviderMessageId"] = "m0" });

        var reached = await Ledger.WhichMayHaveReachedAsync("event-e1-staff", new HashSet<string>(["asked", "claimed", "old", "never"], StringComparer.Ordinal), CancellationToken.None);

        Assert.Equal(new (string, string)[] { ("event-e1-staff", "old"), ("event-e1-staff-s0", "asked"), ("event-e1-staff-s1", "asked") }, reached.Order().ToArray());
    }

    [Fact]
    public async Task SecondClaimWhileTheFirstIsFresh_IsBusyUntilItsLeaseEnds_AndAfterSendingIsFinal()
    {
        var first = await ClaimAsync(Now);
        var second = await ClaimAsync(Now.AddSeconds(1));
        var attempt = await Ledger.BeginAttemptAsync(first.Claim!, Now.AddSeconds(2), CancellationToken.None);
        await Ledger.RecordSentAsync(new SendRecord("c1", alumnus.Value, "m1", Now), CancellationToken.None);
        var third = await ClaimAsync(Now.AddSeconds(3));

        Assert.Equal((ClaimStatus.Claimed, ClaimStatus.Busy, ClaimStatus.Final), (first.Status, second.Status, third.Status));
        Assert.Equal(Now.AddMinutes(1), second.RetryAt);
        Assert.NotNull(attempt);
        Assert.Equal(SendState.Sent, third.State);
        var record = Assert.Single(await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None));
        Assert.Equal(("m1", SendState.Sent, 1), (record.ProviderMessageId, record.State, record.Attempts));
    }

    [Fact]
    public async Task ClaimWhoseLeaseRanOut_IsTakenOver_AndTheOldClaimantCanNeitherAttemptNorRelease()
    {
        var old = (await ClaimAsync(Now)).Claim!;
        var taken = await ClaimAsync(Now.AddMinutes(2));

        var lateAttempt = await Ledger.BeginAttemptAsync(old, Now.AddMinutes(2), CancellationToken.None);
        await Ledger.ReleaseAsync(old, CancellationToken.None);

        Assert.Equal(ClaimStatus.Claimed, taken.Status);
        Assert.Null(lateAttempt);
        Assert.Equal(taken.Claim!.ClaimId, (await RowAsync()).GetString("ClaimId"));
    }

    [Fact]
    public async Task ReleasedFirstClaim_LeavesNoRowAndCanBeClaimedAgainAtOnce()
    {
        var first = (await ClaimAsync(Now)).Claim!;
        await Ledger.ReleaseAsync(first, CancellationToken.None);

        Assert.Empty(await app.RowsAsync(AlumniTables.Sends));
        Assert.Equal(ClaimStatus.Claimed, (await ClaimAsync(Now.AddSeconds(1))).Status);
    }

    [Fact]
    public async Task UnknownOutcome_IsNeverClaimedAgainWithinTheWindow_EvenAfterTheClaimLease()
    {
        await UnknownAsync();

        var duringWindow = await ClaimAsync(Now.AddMinutes(29));

        Assert.Equal((ClaimStatus.Busy, SendState.Unknown), (duringWindow.Status, duringWindow.State));
        Assert.Equal(Now.AddMinutes(30), duringWindow.RetryAt);
        var row = await RowAsync();
        Assert.Equal(("Unknown", 1, $"c1/{alumnus.Value}/1"), (row.GetString("Status"), row.GetInt32("Attempts"), row.GetString("SendId")));
    }

    [Fact]
    public async Task UnknownOutcome_SettledByAProcessedEvent_IsFinalAndNeverSentAgain()
    {
        await UnknownAsync();

        var applied = await Ledger.ResolveAsync(new SendId("c1", alumnus, 1), SendState.Sent, "event:processed", Now.AddSeconds(5), CancellationToken.None);
        var again = await Ledger.ResolveAsync(new SendId("c1", alumnus, 1), SendState.Sent, "event:delivered", Now.AddSeconds(9), CancellationToken.None);
        var afterWindow = await ClaimAsync(Now.AddHours(2));

        Assert.True(applied);
        Assert.False(again);
        Assert.Equal((ClaimStatus.Final, SendState.Sent), (afterWindow.Status, afterWindow.State));
        Assert.Equal("event:processed", (await RowAsync()).GetString("Evidence"));
    }

    [Fact]
    public async Task DroppedEvent_OutranksSentAndIsNeverUndone()
    {
        await UnknownAsync();
        var id = new SendId("c1", alumnus, 1);

        await Ledger.ResolveAsync(id, SendState.Sent, "event:processed", Now, CancellationToken.None);
        Assert.True(await Ledger.ResolveAsync(id, SendState.Dropped, "event:dropped", Now, CancellationToken.None));
        Assert.False(await Ledger.ResolveAsync(id, SendState.Sent, "event:processed", Now, CancellationToken.None));

        Assert.Equal("Dropped", (await RowAsync()).GetString("Status"));
    }

    [Fact]
    public async Task EventForASendTheLedgerDoesNotHold_ChangesNothing()
    {
        Assert.False(await Ledger.ResolveAsync(new SendId("c1", alumnus, 1), SendState.Sent, "event:processed", Now, CancellationToken.None));
        Assert.Empty(await app.RowsAsync(AlumniTables.Sends));
    }

    [Fact]
    public async Task TransactionalUnknownAfterTheWindow_IsClaimedForASecondAttempt_ThenTreatedAsSentWhenThatIsUnknownToo()
    {
        await UnknownAsync();

        var second = await ClaimAsync(Now.AddMinutes(31));
        var secondAttempt = await Ledger.BeginAttemptAsync(second.Claim!, Now.AddMinutes(31), CancellationToken.None);
        var third = await ClaimAsync(Now.AddMinutes(62));

        Assert.Equal(ClaimStatus.Claimed, second.Status);
        Assert.Equal(new SendId("c1", alumnus, 2), second.Claim!.SendId);
        Assert.NotNull(secondAttempt);
        Assert.Equal((ClaimStatus.Final, SendState.Unconfirmed), (third.Status, third.State));
        Assert.Equal("rule:no-evidence", (await RowAsync()).GetString("Evidence"));
    }

    [Fact]
    public async Task PromotionalUnknownAfterTheWindow_IsTreatedAsSentWithoutAnotherAttempt()
    {
        var claim = (await ClaimAsync(Now, Promotional)).Claim!;
        await Ledger.BeginAttemptAsync(claim, Now, CancellationToken.None);

        var after = await ClaimAsync(Now.AddMinutes(31), Promotional);

        Assert.Equal((ClaimStatus.Final, SendState.Unconfirmed), (after.Status, after.State));
        Assert.Equal(SendState.Unconfirmed, Assert.Single(await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None)).State);
    }

    [Fact]
    public async Task ReSendGivenUp_EndsUnconfirmed()
    {
        await UnknownAsync();
        var second = (await ClaimAsync(Now.AddMinutes(31))).Claim!;

        await Ledger.GiveUpAsync(second, "no-longer-wanted", Now.AddMinutes(31), CancellationToken.None);

        var row = await RowAsync();
        Assert.Equal(("Unconfirmed", "rule:no-longer-wanted"), (row.GetString("Status"), row.GetString("Evidence")));
        Assert.Equal(ClaimStatus.Final, (await ClaimAsync(Now.AddDays(1))).Status);
    }

    [Fact]
    public async Task ReSendRefusedByTheProvider_IsGivenBackAsTheUnknownItWasSoALaterTryMayMakeIt()
    {
        await UnknownAsync();
        var second = (await ClaimAsync(Now.AddMinutes(31))).Claim!;
        var attempt = (await Ledger.BeginAttemptAsync(second, Now.AddMinutes(31), CancellationToken.None))!;

        await Ledger.ReleaseAsync(attempt, CancellationToken.None);

        var row = await RowAsync();
        Assert.Equal(("Unknown", 1), (row.GetString("Status"), row.GetInt32("Attempts")));
        Assert.Equal(new SendId("c1", alumnus, 2), (await ClaimAsync(Now.AddMinutes(32))).Claim!.SendId);
    }

    [Fact]
    public async Task EventForTheFirstAttempt_WhileTheReSendIsClaimed_StopsTheReSend()
    {
        await UnknownAsync();
        var second = (await ClaimAsync(Now.AddMinutes(31))).Claim!;

        await Ledger.ResolveAsync(new SendId("c1", alumnus, 1), SendState.Sent, "event:processed", Now.AddMinutes(31), CancellationToken.None);

        Assert.Null(await Ledger.BeginAttemptAsync(second, Now.AddMinutes(31), CancellationToken.None));
        Assert.Equal("Sent", (await RowAsync()).GetString("Status"));
    }

    [Theory]
    [InlineData(null, ClaimStatus.Final)]
    [InlineData("Pending", ClaimStatus.Busy)]
    public async Task RowsWrittenBeforeStates_ReadAsSentOrAsAnUnknownOutcome(string? status, ClaimStatus expected)
    {
        var table = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.Sends);
        await table.CreateIfNotExistsAsync();
        var row = new TableEntity("c1", alumnus.Value) { ["ClaimedAt"] = Now, ["ProviderMessageId"] = "m0", ["SentAt"] = Now };
        if (status is not null)
        {
            row["Status"] = status;
        }

        await table.AddEntityAsync(row);

        Assert.Equal(expected, (await ClaimAsync(Now.AddMinutes(10))).Status);
    }

    [Fact]
    public async Task BatchRows_KeepTheirRequest_RemovedRowsGo_AndAClaimNoRequestCarriedIsNoMailInTheExport()
    {
        const string batchKey = "c1-b00001";
        var (requested, claimed, refused) = (AlumnusId.New(), AlumnusId.New(), alumnus);
        await Ledger.RecordBatchAsync(batchKey, [new BatchSend(refused, SendState.Unknown, Now, 1, Request: 1)], [], CancellationToken.None);

        await Ledger.RecordBatchAsync(batchKey, [new BatchSend(requested, SendState.Unknown, Now, 2, Request: 1), new BatchSend(claimed, SendState.Claimed, Now, 2)], [refused], CancellationToken.None);
        await Ledger.ResolveAsync(new SendId(batchKey, requested, 2), SendState.Sent, "event:processed", Now.AddSeconds(5), CancellationToken.None);

        var rows = (await Ledger.ListBatchAsync(batchKey, CancellationToken.None)).ToDictionary(r => r.AlumnusId);
        Assert.Equal(2, rows.Count);
        Assert.Equal((SendState.Sent, 2, 1, "event:processed"), (rows[requested].State, rows[requested].Attempt, rows[requested].Request, rows[requested].Evidence));
        Assert.Equal((SendState.Claimed, 2, 0), (rows[claimed].State, rows[claimed].Attempt, rows[claimed].Request));
        Assert.Empty(await Ledger.ForAlumnusAsync(claimed, CancellationToken.None));
        Assert.Empty(await Ledger.ForAlumnusAsync(refused, CancellationToken.None));
    }

    [Fact]
    public async Task LateEventAboutAnEarlierAttemptOfABatchRow_SettlesItUnderThatAttemptNotTheRequestItRidesOnNow()
    {
        const string batchKey = "c1-b00001";
        await Ledger.RecordBatchAsync(batchKey, [new BatchSend(alumnus, SendState.Unknown, Now, 2, Request: 1)], [], CancellationToken.None);

        Assert.True(await Ledger.ResolveAsync(new SendId(batchKey, alumnus, 1), SendState.Sent, "event:processed", Now.AddHours(2), CancellationToken.None));

        var row = Assert.Single(await Ledger.ListBatchAsync(batchKey, CancellationToken.None));
        Assert.Equal((SendState.Sent, 1, "event:processed"), (row.State, row.Attempt, row.Evidence));
        Assert.Equal($"{batchKey}/{alumnus.Value}/1", (await RowAsync()).GetString("SendId"));
    }

    [Fact]
    public async Task TransactionalUnknownWithTheWebhookOnButNoPostAccepted_IsNotSentAgainUntilSendGridsRetriesEnd_ThenTreatedAsSent()
    {
        await UnknownAsync();

        var waiting = await ClaimAsync(Now.AddHours(2), Watched(TimeSpan.FromHours(1)));
        var atLimit = await ClaimAsync(Now.AddHours(25), Watched(TimeSpan.FromHours(1)));

        Assert.Equal((ClaimStatus.Busy, SendState.Unknown, Now.AddHours(3)), (waiting.Status, waiting.State, waiting.RetryAt));
        Assert.Equal((ClaimStatus.Final, SendState.Unconfirmed), (atLimit.Status, atLimit.State));
        var row = await RowAsync();
        Assert.Equal(("Unconfirmed", "rule:webhook-silent", 1), (row.GetString("Status"), row.GetString("Evidence"), row.GetInt32("Attempts")));
    }

    [Fact]
    public async Task TransactionalUnknownWhileTheWebhookAcceptedPostsThroughout_IsClaimedForASecondAttempt()
    {
        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var since = (await Heartbeat.CurrentRunAsync(CancellationToken.None))!.Since;
        var window = TimeSpan.FromSeconds(1);
        var first = (await ClaimAsync(since, Watched(window))).Claim!;
        await Ledger.BeginAttemptAsync(first, since, CancellationToken.None);

        await Task.Delay(window + TimeSpan.FromMilliseconds(200));
        var before = await ClaimAsync(since + window, Watched(window));
        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var after = await ClaimAsync(since + window + Gap / 2, Watched(window));

        Assert.Equal(ClaimStatus.Busy, before.Status);
        Assert.Equal((ClaimStatus.Claimed, 2), (after.Status, after.Claim!.SendId.Attempt));
    }

    [Fact]
    public async Task Heartbeat_PostsWithinTheGapExtendTheStretch_APostAfterALongerSilenceStartsANewOne()
    {
        Assert.Null(await Heartbeat.CurrentRunAsync(CancellationToken.None));
        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var first = (await Heartbeat.CurrentRunAsync(CancellationToken.None))!;

        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var throttled = (await Heartbeat.CurrentRunAsync(CancellationToken.None))!;
        await Task.Delay(Gap / 2);
        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var extended = (await Heartbeat.CurrentRunAsync(CancellationToken.None))!;
        await Task.Delay(Gap * 1.5);
        await Heartbeat.NoteAcceptedAsync(CancellationToken.None);
        var next = (await Heartbeat.CurrentRunAsync(CancellationToken.None))!;

        Assert.Equal(first, throttled);
        Assert.Equal(first.Since, extended.Since);
        Assert.True(extended.Through > first.Through);
        Assert.True(next.Since > extended.Through);
    }

    [Fact]
    public async Task SettlingABatch_KeepsAnOpenNotedBeforeAndADropAppliedMeanwhile()
    {
        const string batchKey = "c1-b00001";
        var (opened, dropped, quiet) = (alumnus, AlumnusId.New(), AlumnusId.New());
        await Ledger.RecordBatchAsync(batchKey, [.. new[] { opened, dropped, quiet }.Select(id => new BatchSend(id, SendState.Unknown, Now, 1, Request: 1))], [], CancellationToken.None);
        var listed = await Ledger.ListBatchAsync(batchKey, CancellationToken.None);

        // Both arrive after the settlement listed the rows, before it writes them.
        Assert.True(await Ledger.MarkEngagedAsync(new SendId(batchKey, opened, 1), Core.Outreach.EngagementKind.Opened, CancellationToken.None));
        Assert.True(await Ledger.ResolveAsync(new SendId(batchKey, dropped, 1), SendState.Dropped, "event:dropped", Now.AddMinutes(1), CancellationToken.None));
        var settled = await Ledger.SettleBatchAsync(batchKey, [.. listed.Select(r => r with { State = SendState.Sent, At = Now.AddHours(1), Evidence = "request-accepted" })], CancellationToken.None);

        var states = settled.ToDictionary(r => r.AlumnusId, r => (r.State, r.Evidence));
        Assert.Equal((SendState.Sent, "request-accepted"), states[opened]);
        Assert.Equal((SendState.Dropped, "event:dropped"), states[dropped]);
        Assert.Equal((SendState.Sent, "request-accepted"), states[quiet]);
        Assert.Equal(states, (await Ledger.ListBatchAsync(batchKey, CancellationToken.None)).ToDictionary(r => r.AlumnusId, r => (r.State, r.Evidence)));

        // Once per recipient and kind: the open noted before the settlement is not counted again.
        Assert.False(await Ledger.MarkEngagedAsync(new SendId(batchKey, opened, 1), Core.Outreach.EngagementKind.Opened, CancellationToken.None));
    }

    [Fact]
    public async Task AcceptedPartMarkedWithItsUnknownMarksVersions_KeepsADropAndAnOpenTheWebhookAppliedInBetween()
    {
        const string batchKey = "c1-b00001";
        var (opened, dropped, quiet) = (alumnus, AlumnusId.New(), AlumnusId.New());
        var marked = await Ledger.RecordBatchAsync(batchKey, [.. new[] { opened, dropped, quiet }.Select(id => new BatchSend(id, SendState.Unknown, Now, 1, Request: 2))], [], CancellationToken.None);

        // The part's 202 came; its events are applied before its sent mark is written.
        Assert.True(await Ledger.MarkEngagedAsync(new SendId(batchKey, opened, 1), Core.Outreach.EngagementKind.Delivered, CancellationToken.None));
        Assert.True(await Ledger.ResolveAsync(new SendId(batchKey, dropped, 1), SendState.Dropped, "event:dropped", Now.AddSeconds(1), CancellationToken.None));
        var settled = await Ledger.SettleBatchAsync(batchKey, [.. marked.Select(r => r with { State = SendState.Sent, At = Now.AddSeconds(2), Evidence = "accepted" })], CancellationToken.None);

        Assert.All(marked, r => Assert.NotNull(r.Version));
        var rows = (await Ledger.ListBatchAsync(batchKey, CancellationToken.None)).ToDictionary(r => r.AlumnusId, r => (r.State, r.Evidence, r.Request));
        Assert.Equal((SendState.Dropped, "event:dropped", 2), rows[dropped]);
        Assert.Equal((SendState.Sent, "accepted", 2), rows[opened]);
        Assert.Equal((SendState.Sent, "accepted", 2), rows[quiet]);
        Assert.Equal(rows.ToDictionary(r => r.Key, r => r.Value.State), settled.ToDictionary(r => r.AlumnusId, r => r.State));

        // The delivery noted before the mark is not counted again by a later event about it.
        Assert.False(await Ledger.IsFirstEngagementAsync(new SendId(batchKey, opened, 1), Core.Outreach.EngagementKind.Delivered, CancellationToken.None));
    }

    [Fact]
    public async Task AcceptedPartNobodyTouchedSinceItsUnknownMark_IsMarkedSentWithThoseVersions()
    {
        const string batchKey = "c1-b00001";
        var marked = await Ledger.RecordBatchAsync(batchKey, [new BatchSend(alumnus, SendState.Unknown, Now, 1, Request: 2)], [], CancellationToken.None);
        var stale = marked[0] with { Version = (await RowAsync()).ETag.ToString() };

        var settled = await Ledger.SettleBatchAsync(batchKey, [stale with { State = SendState.Sent, At = Now.AddSeconds(2), Evidence = "accepted" }], CancellationToken.None);

        Assert.Equal(marked[0].Version, stale.Version);
        Assert.Equal((SendState.Sent, "accepted"), (Assert.Single(settled).State, settled[0].Evidence));
        var row = await RowAsync();
        Assert.Equal(("Sent", "accepted", 2, Now.AddSeconds(2)), (row.GetString("Status"), row.GetString("Evidence"), row.GetInt32("Request"), row.GetDateTimeOffset("SentAt")));
    }

    [Fact]
    public async Task FirstEngagement_IsTrueUntilThatKindIsMarkedAndFalseForASendNotHeld()
    {
        const string batchKey = "c2-b00001";
        await Ledger.RecordBatchAsync(batchKey, [new BatchSend(alumnus, SendState.Sent, Now, 1, Request: 1)], [], CancellationToken.None);
        var sendId = new SendId(batchKey, alumnus, 1);

        Assert.True(await Ledger.IsFirstEngagementAsync(sendId, Core.Outreach.EngagementKind.Opened, CancellationToken.None));
        Assert.True(await Ledger.MarkEngagedAsync(sendId, Core.Outreach.EngagementKind.Opened, CancellationToken.None));

        Assert.False(await Ledger.IsFirstEngagementAsync(sendId, Core.Outreach.EngagementKind.Opened, CancellationToken.None));
        Assert.True(await Ledger.IsFirstEngagementAsync(sendId, Core.Outreach.EngagementKind.Clicked, CancellationToken.None));
        Assert.False(await Ledger.IsFirstEngagementAsync(new SendId(batchKey, AlumnusId.New(), 1), Core.Outreach.EngagementKind.Opened, CancellationToken.None));
    }

    [Fact]
    public async Task ForgettingAPersonsSends_BlanksMessageIdsAndClearsOpensAndClicks_OnBatchRowsToo_KeepingStateAndNobodyElses()
    {
        // Which mails the person opened or clicked is theirs: the erasure clears it with the message ids (ADR 0008).
        const string batchKey = "c3-b00001";
        var other = AlumnusId.New();
        await Ledger.RecordSentAsync(new SendRecord("c1", alumnus.Value, "sg-1", Now), CancellationToken.None);
        await Ledger.RecordBatchAsync(batchKey, [new BatchSend(alumnus, SendState.Sent, Now, 1, Request: 1), new BatchSend(other, SendState.Sent, Now, 1, Request: 1)], [], CancellationToken.None);
        Assert.True(await Ledger.MarkEngagedAsync(new SendId("c1", alumnus, 1), Core.Outreach.EngagementKind.Opened, CancellationToken.None));
        Assert.True(await Ledger.MarkEngagedAsync(new SendId(batchKey, alumnus, 1), Core.Outreach.EngagementKind.Clicked, CancellationToken.None));
        Assert.True(await Ledger.MarkEngagedAsync(new SendId(batchKey, other, 1), Core.Outreach.EngagementKind.Clicked, CancellationToken.None));
        var before = (await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None)).ToDictionary(s => s.CampaignId, s => Assert.Single(s.Engaged));
        Assert.Equal(Core.Outreach.EngagementKind.Opened, before["c1"]);
        Assert.Equal(Core.Outreach.EngagementKind.Clicked, before["c3"]);

        await Ledger.ForgetMessageIdsAsync(alumnus, CancellationToken.None);

        var after = await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None);
        Assert.Equal(2, after.Count);
        Assert.All(after, s => Assert.Equal(("", SendState.Sent), (s.ProviderMessageId, s.State)));
        Assert.All(after, s => Assert.Empty(s.Engaged));
        Assert.Equal([Core.Outreach.EngagementKind.Clicked], Assert.Single(await Ledger.ForAlumnusAsync(other, CancellationToken.None)).Engaged);
    }
}
