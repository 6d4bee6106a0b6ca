using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.SendGridEvents;
using AlumniNetwork.Functions.Tests.Support;
using static AlumniNetwork.Functions.Tests.Support.SendGridEventPosts;

namespace AlumniNetwork.Functions.Tests.SendGridEvents;

[Collection(AzuriteCollection.Name)]
public sealed class SendGridEventsFunctionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;
    private string alumnusId = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(azurite);
        var id = await app.DepartAsync();
        alumnusId = id.Value;
        var ledger = app.Services.GetRequiredService<IConsentLedger>();
        var grantedAt = TimeProvider.System.GetUtcNow().AddDays(-1);
        foreach (var purpose in ConsentPurposes.Email.Append(ConsentPurpose.NetworkMembership))
        {
            await ledger.AppendAsync(new ConsentRecord(id, purpose, true, grantedAt, ConsentMethod.Link, "test"), CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<IReadOnlySet<ConsentPurpose>> GrantedAsync() =>
        ConsentState.From(await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(AlumnusId.Parse(alumnusId), CancellationToken.None)).Granted;

    private async Task<string?> SuppressionReasonAsync() =>
        (await app.RowsAsync(AlumniTables.Suppressions)).SingleOrDefault(r => r.PartitionKey == $"email:{app.Services.GetRequiredService<Core.Privacy.Pseudonyms>().Of("email", "hanako@example.net")}")?.GetString("Reason");

    private static async Task<JsonElement> ReportOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Theory]
    [InlineData("bounce", "Bounce")]
    [InlineData("dropped", "Dropped")]
    [InlineData("spamreport", "SpamReport")]
    public async Task BounceDropOrComplaint_SuppressesTheAddressByItsHash(string type, string reason)
    {
        var report = await ReportOf(await app.PostEventsAsync(Event(type, alumnusId)));

        Assert.Equal(1, report.GetProperty("applied").GetInt32());
        Assert.Equal(reason, await SuppressionReasonAsync());
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Suppressions), row => ((IDictionary<string, object>)row).Values.OfType<string>().Any(v => v.Contains("hanako", StringComparison.Ordinal)));
    }

    /// <summary>A transactional mail to the alumnus through the single send path, the alumnus read fresh as a handler reads it.</summary>
    private async Task<SendOutcome> SendTransactionalAsync(string campaignId)
    {
        using var scope = app.Services.CreateScope();
        var alumnus = (await scope.ServiceProvider.GetRequiredService<IAlumniStore>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None))!;
        return await scope.ServiceProvider.GetRequiredService<OutreachSender>().SendAsync(alumnus, campaignId, purpose: null, stillWanted: true,
            () => new EmailMessage(alumnus.PersonalEmail, alumnus.FamilyName, campaignId, "<p>A link</p>", "A link", ["privacy"],
                new Dictionary<string, string> { ["campaign"] = campaignId, ["alumnusId"] = alumnusId }),
            CancellationToken.None);
    }

    private async Task<SuppressionReason?> SuppressedOnTheRowAsync() =>
        (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None))!.Suppressed;

    [Fact]
    public async Task BlockedBounce_LeavesTheAddressMailable_WhileABounceOfTypeBounceSuppressesIt()
    {
        var blocked = Event("bounce", alumnusId);
        (blocked["type"], blocked["reason"]) = ("blocked", "550 5.7.1 sender IP listed by a block list");

        var report = await ReportOf(await app.PostEventsAsync(blocked));

        Assert.Equal((0, 1), (report.GetProperty("applied").GetInt32(), report.GetProperty("ignored").GetInt32()));
        Assert.Null(await SuppressionReasonAsync());
        Assert.Null(await SuppressedOnTheRowAsync());
        Assert.Equal(SendStatus.Sent, (await SendTransactionalAsync("privacy-after-block")).Status);
        Assert.Single(await app.OutboxAsync(), m => m.Subject == "privacy-after-block" && m.To[0] == "hanako@example.net");

        var bounce = Event("bounce", alumnusId);
        bounce["type"] = "bounce";
        await ReportOf(await app.PostEventsAsync(bounce));

        Assert.Equal("Bounce", await SuppressionReasonAsync());
        Assert.Equal(SuppressionReason.Bounce, await SuppressedOnTheRowAsync());
        Assert.Equal(SendStatus.Refused, (await SendTransactionalAsync("privacy-after-bounce")).Status);
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Subject == "privacy-after-bounce");
    }

    [Fact]
    public async Task DropForTheMessagesContent_SettlesTheSendAsDroppedAndLeavesTheAddressMailable()
    {
        Assert.Equal(SendStatus.Sent, (await SendTransactionalAsync("privacy-before-drop")).Status);
        var dropped = Event("dropped", alumnusId);
        (dropped["reason"], dropped[Core.Sends.SendId.CustomArg]) = ("Spam Content (if Spam Checker app enabled)", $"privacy-before-drop/{alumnusId}/1");

        var report = await ReportOf(await app.PostEventsAsync(dropped));

        Assert.Equal(1, report.GetProperty("applied").GetInt32());
        var send = Assert.Single(await app.Services.GetRequiredService<Core.Sends.ISendLedger>().ForAlumnusAsync(AlumnusId.Parse(alumnusId), CancellationToken.None),
            s => s.CampaignId == "privacy-before-drop");
        Assert.Equal(Core.Sends.SendState.Dropped, send.State);
        Assert.Null(await SuppressionReasonAsync());
        Assert.Null(await SuppressedOnTheRowAsync());
        Assert.Equal(SendStatus.Sent, (await SendTransactionalAsync("privacy-after-drop")).Status);

        var addressDrop = Event("dropped", alumnusId);
        addressDrop["reason"] = "Bounced Address";
        await ReportOf(await app.PostEventsAsync(addressDrop));

        Assert.Equal("Dropped", await SuppressionReasonAsync());
        Assert.Equal(SuppressionReason.Dropped, await SuppressedOnTheRowAsync());
    }

    [Fact]
    public async Task EventWithoutAlumnusId_StillSuppressesByAddress()
    {
        await ReportOf(await app.PostEventsAsync(Event("bounce")));

        Assert.Equal("Bounce", await SuppressionReasonAsync());
        // Marked on the row of whoever holds the address too, where campaign batches read it (an async bounce carries no custom args).
        Assert.Equal(SuppressionReason.Bounce, await SuppressedOnTheRowAsync());
        Assert.Equal(ConsentPurposes.Email.Append(ConsentPurpose.NetworkMembership).Order(), (await GrantedAsync()).Order());
    }

    [Fact]
    public async Task SpamReportWithoutAlumnusId_MarksTheHoldersRowAndWithdrawsTheirConsent_OnTheRowToo()
    {
        await ReportOf(await app.PostEventsAsync(Event("spamreport", category: new JsonArray("newsletter", "2026-12"))));

        Assert.Equal("SpamReport", await SuppressionReasonAsync());
        Assert.Equal(SuppressionReason.SpamReport, await SuppressedOnTheRowAsync());
        Assert.DoesNotContain(ConsentPurpose.Newsletter, await GrantedAsync());
        Assert.Contains(ConsentPurpose.Events, await GrantedAsync());
        var row = (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None))!;
        Assert.Equal(await GrantedAsync(), row.Consented!.Order().ToHashSet());
    }

    [Fact]
    public async Task ComplaintDeliveredAfterThePurposeWasGivenAgain_LeavesItGranted_OnTheRowAndInTheLedger()
    {
        var now = TimeProvider.System.GetUtcNow();
        var id = AlumnusId.Parse(alumnusId);
        await app.Services.GetRequiredService<IConsentLedger>().AppendAsync(
            new ConsentRecord(id, ConsentPurpose.Newsletter, true, now.AddMinutes(-5), ConsentMethod.Link, "test"), CancellationToken.None);

        // Complained ten minutes ago, granted again five minutes ago, the complaint delivered now.
        await ReportOf(await app.PostEventsAsync(Event("spamreport", alumnusId, category: new JsonArray("newsletter"), at: now.AddMinutes(-10))));

        Assert.Contains(ConsentPurpose.Newsletter, await GrantedAsync());
        var row = (await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Contains(ConsentPurpose.Newsletter, row.Consented!);
    }

    [Fact]
    public async Task SpamReport_AlsoWithdrawsTheCategorysPurposeAsAComplaint()
    {
        await ReportOf(await app.PostEventsAsync(Event("spamreport", alumnusId, category: new JsonArray("newsletter", "2026-12"))));

        Assert.DoesNotContain(ConsentPurpose.Newsletter, await GrantedAsync());
        Assert.Contains(ConsentPurpose.Events, await GrantedAsync());
        var withdrawal = (await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(AlumnusId.Parse(alumnusId), CancellationToken.None))[^1];
        Assert.Equal((ConsentPurpose.Newsletter, false, ConsentMethod.Complaint), (withdrawal.Purpose, withdrawal.Granted, withdrawal.Method));
    }

    [Fact]
    public async Task UnsubscribeFromACategory_WithdrawsOnlyThatPurposeAndDoesNotSuppress()
    {
        await ReportOf(await app.PostEventsAsync(Event("unsubscribe", alumnusId, category: "job-offers")));

        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events, ConsentPurpose.Surveys, ConsentPurpose.Collaboration], (await GrantedAsync()).Order());
        Assert.Null(await SuppressionReasonAsync());
    }

    [Fact]
    public async Task UnsubscribeWithNoKnownCategory_WithdrawsEveryEmailPurposeAndSuppresses()
    {
        await ReportOf(await app.PostEventsAsync(Event("unsubscribe", alumnusId, category: "welcome", campaign: "welcome")));

        Assert.Equal([ConsentPurpose.NetworkMembership], await GrantedAsync());
        Assert.Equal("Unsubscribe", await SuppressionReasonAsync());
    }

    [Fact]
    public async Task GroupUnsubscribe_WithdrawsTheCampaignsPurposeOnly()
    {
        await ReportOf(await app.PostEventsAsync(Event("group_unsubscribe", alumnusId, campaign: "surveys")));

        Assert.DoesNotContain(ConsentPurpose.Surveys, await GrantedAsync());
        Assert.Contains(ConsentPurpose.Newsletter, await GrantedAsync());
        Assert.Null(await SuppressionReasonAsync());
    }

    [Fact]
    public async Task DeliveredOpenAndClick_AreCountedPerAlumnus()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());

        await ReportOf(await app.PostEventsAsync(Event("delivered", alumnusId, at: at.AddMinutes(-2)), Event("open", alumnusId, at: at), Event("open", alumnusId, at: at.AddMinutes(-1)), Event("click", alumnusId, at: at.AddMinutes(-1))));

        var counts = await app.Services.GetRequiredService<IEngagementCounters>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None);
        Assert.Equal(new Engagement(AlumnusId.Parse(alumnusId), 1, 2, 1, at), counts);
    }

    [Fact]
    public async Task EventsForSomeoneWhoseErasureBegan_WriteNothingAboutThem_AndTheFinishedErasureLeavesNoRowsOfTheirs()
    {
        var id = AlumnusId.Parse(alumnusId);
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var ledger = app.Services.GetRequiredService<IConsentLedger>();
        var entries = (await ledger.HistoryAsync(id, CancellationToken.None)).Count;

        await ReportOf(await app.PostEventsAsync(
            Event("delivered", alumnusId), Event("open", alumnusId), Event("click", alumnusId), Event("group_unsubscribe", alumnusId, campaign: "surveys")));

        Assert.Null(await app.Services.GetRequiredService<IEngagementCounters>().GetAsync(id, CancellationToken.None));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Engagement), r => r.PartitionKey.Contains(alumnusId, StringComparison.Ordinal) || r.RowKey.Contains(alumnusId, StringComparison.Ordinal));
        Assert.Equal(entries, (await ledger.HistoryAsync(id, CancellationToken.None)).Count);

        Assert.Equal(HttpStatusCode.OK, (await app.PostFormAsync(Core.Links.LinkPurpose.Erase, id)).StatusCode);

        foreach (var table in new[] { AlumniTables.Engagement, AlumniTables.OutreachDecisions, AlumniTables.Consents })
        {
            Assert.DoesNotContain(await app.RowsAsync(table), r => r.PartitionKey.Contains(alumnusId, StringComparison.Ordinal) || r.RowKey.Contains(alumnusId, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SameEventIdsDeliveredTwice_AreAppliedOnce()
    {
        var batch = new JsonArray(Event("delivered", alumnusId, eventId: "ev-1"), Event("open", alumnusId, eventId: "ev-2"), Event("click", alumnusId, eventId: "ev-2")).ToJsonString();

        var first = await ReportOf(await app.PostEventsAsync(batch));
        var second = await ReportOf(await app.PostEventsAsync(batch));

        Assert.Equal((3, 2, 1), (first.GetProperty("received").GetInt32(), first.GetProperty("applied").GetInt32(), first.GetProperty("duplicates").GetInt32()));
        Assert.Equal((0, 3), (second.GetProperty("applied").GetInt32(), second.GetProperty("duplicates").GetInt32()));
        var counts = await app.Services.GetRequiredService<IEngagementCounters>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None);
        Assert.Equal((1, 1, 0), (counts!.Delivered, counts.Opened, counts.Clicked));
    }

    [Fact]
    public async Task SameSignedBatchPostedConcurrently_CountsEachEventOnce()
    {
        var events = Enumerable.Range(0, 30).Select(i => Event((i % 3) switch { 0 => "delivered", 1 => "open", _ => "click" }, alumnusId, eventId: $"ev-{i}"));
        var batch = new JsonArray(events.ToArray<JsonNode>()).ToJsonString();

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await ReportOf(await app.PostEventsAsync(batch))));

        Assert.Equal((30, 90), (reports.Sum(r => r.GetProperty("applied").GetInt32()), reports.Sum(r => r.GetProperty("duplicates").GetInt32())));
        var counts = await app.Services.GetRequiredService<IEngagementCounters>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None);
        Assert.Equal((10, 10, 10), (counts!.Delivered, counts.Opened, counts.Clicked));
    }

    [Fact]
    public async Task ConcurrentBatches_CountEveryEventExactlyOnce()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => app.PostEventsAsync(Event("open", alumnusId), Event("open", alumnusId))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(12, (await app.Services.GetRequiredService<IEngagementCounters>().GetAsync(AlumnusId.Parse(alumnusId), CancellationToken.None))!.Opened);
    }

    [Fact]
    public async Task UnknownEventTypes_AreAcknowledgedAndStoreNothing()
    {
        // The webhook's heartbeat (one row, the time of accepted posts, noted at most once a minute) is written by the
        // first accepted post: it is about the webhook, not about anyone, so it is written before counting.
        (await app.PostEventsAsync(new JsonObject { ["event"] = "account_status_change", ["timestamp"] = 1 })).EnsureSuccessStatusCode();
        var before = await app.CountAllRowsAsync();

        var report = await ReportOf(await app.PostEventsAsync(new JsonObject { ["event"] = "account_status_change", ["timestamp"] = 1 }, Event("processed", alumnusId)));

        Assert.Equal(2, report.GetProperty("ignored").GetInt32());
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    // A minute outside the five-minute window: the signed timestamp is whole seconds on the real clock, so one second
    // past the edge could land inside it. The edge itself is tested on a fixed clock (SendGridEventSignatureTests).
    public static TheoryData<string, int> BadSignatures => new()
    {
        { "missing", 0 },
        { "wrong-key", 0 },
        { "too-old", -360 },
        { "from-the-future", 360 },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task BadSignature_Returns401AndChangesNothing(string kind, int skewSeconds)
    {
        var before = await app.CountAllRowsAsync();
        var body = new JsonArray(Event("bounce", alumnusId), Event("unsubscribe", alumnusId)).ToJsonString();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var response = await app.PostEventsAsync(body, signed: kind != "missing", key: kind == "wrong-key" ? otherKey : null,
            signedAt: TimeProvider.System.GetUtcNow().AddSeconds(skewSeconds));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task OneBadEventAmongGoodOnes_Returns400NamingItAndAppliesNothing()
    {
        var before = await app.CountAllRowsAsync();
        var bad = Event("bounce", alumnusId);
        bad.Remove("sg_event_id");
        var worse = Event("open", alumnusId, email: "not-an-email");

        var response = await app.PostEventsAsync(Event("bounce", alumnusId), Event("delivered", alumnusId), Event("unsubscribe", alumnusId), bad, worse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["[3].sg_event_id", "[4].email"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("not-an-email", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAllRowsAsync());
        Assert.Null(await SuppressionReasonAsync());
    }

    [Fact]
    public async Task BodyThatIsNotABatch_Returns400()
    {
        var response = await app.PostEventsAsync(Event("bounce", alumnusId).ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("$", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task BodyOver1MiB_Returns413AndChangesNothing()
    {
        var before = await app.CountAllRowsAsync();
        var events = Enumerable.Range(0, 1100).Select(i => Event("bounce", alumnusId, category: new string('x', 1000))).ToArray();

        var response = await app.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task NotJson_Returns415AndChangesNothing()
    {
        var before = await app.CountAllRowsAsync();

        var response = await app.PostEventsAsync(new JsonArray(Event("bounce", alumnusId)).ToJsonString(), contentType: "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task SignatureIsOverTheExactBytes_SoReformattedJsonIsRejected()
    {
        var body = new JsonArray(Event("bounce", alumnusId)).ToJsonString();
        using var key = DevelopmentKey();
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, SendGridEventPosts.Path)
        {
            Content = new StringContent(body.Replace(",", ", ", StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SendGridEventsFunction.TimestampHeader, timestamp);
        request.Headers.Add(SendGridEventsFunction.SignatureHeader, SendGridEventSignature.Sign(key, timestamp, Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.SendAsync(request)).StatusCode);
    }
}
