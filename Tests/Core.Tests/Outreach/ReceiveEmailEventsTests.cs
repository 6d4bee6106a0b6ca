using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class ReceiveEmailEventsTests
{
    private const string Address = "hanako@example.net";
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1764547200);
    private readonly Mock<IWebhookReceipts> receipts = new();
    private readonly Mock<ISuppressionList> suppressions = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IEngagementCounters> engagement = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<Core.Campaigns.ICampaignStore> campaigns = new();
    private readonly Mock<Core.Scheduling.IWorkItemStore> work = new();
    private readonly Alumnus alumnus = Builders.Alumnus(At.AddDays(-60), AlumnusStatus.Joined);
    private readonly List<string> calls = [];
    private readonly Core.Privacy.Pseudonyms pseudonyms = new(Microsoft.Extensions.Options.Options.Create(new Core.Privacy.PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) }));

    public ReceiveEmailEventsTests()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        receipts.Setup(r => r.RecordAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string id, string _, CancellationToken _) => Called($"receipt:{id}")).ReturnsAsync(true);
        engagement.Setup(e => e.IncrementAsync(It.IsAny<AlumnusId>(), It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((AlumnusId _, EngagementKind kind, DateTimeOffset _, CancellationToken _) => Called($"count:{kind}")).Returns(Task.CompletedTask);
        suppressions.Setup(s => s.AddAsync(It.IsAny<Suppression>(), It.IsAny<CancellationToken>()))
            .Callback((Suppression s, CancellationToken _) => Called($"suppress:{s.Reason}")).Returns(Task.CompletedTask);
        consents.Setup(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()))
            .Callback((ConsentRecord r, CancellationToken _) => Called($"withdraw:{r.Purpose}")).Returns(Task.CompletedTask);
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events, ConsentPurpose.JobOffers);
        alumni.Setup(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(() => Found());
    }

    private static async IAsyncEnumerable<Alumnus> Found(params Alumnus[] found)
    {
        await Task.Yield();
        foreach (var a in found)
        {
            yield return a;
        }
    }

    /// <summary>The alumnus holds <see cref="Address"/>, found by its pseudonym; row writes succeed and are noted.</summary>
    private void HoldsTheAddress()
    {
        alumni.Setup(a => a.FindByEmailKeyAsync(pseudonyms.Of("email", Address), It.IsAny<CancellationToken>())).Returns(() => Found(alumnus));
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>()))
            .Callback((Alumnus a, CancellationToken _) => Called($"mark:{a.Suppressed}")).ReturnsAsync(true);
    }

    private void Called(string what)
    {
        lock (calls)
        {
            calls.Add(what);
        }
    }

    private void Granted(params ConsentPurpose[] purposes) =>
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            purposes.Select(p => new ConsentRecord(alumnus.Id, p, true, At.AddDays(-30), ConsentMethod.Link, "v1")).ToArray());

    private ReceiveEmailEvents Handler(string zone = "Asia/Tokyo") =>
        new(receipts.Object, suppressions.Object, consents.Object, engagement.Object, alumni.Object, sends.Object,
            new Core.Campaigns.CampaignEngagement(campaigns.Object), pseudonyms, new Core.Company.CompanyMailDomains(["example.com"]), new Core.Company.CompanyCalendar(Builders.Company(zone)),
            new Core.Privacy.ErasureRecheck(alumni.Object, work.Object, TimeProvider.System, NullLogger<Core.Privacy.ErasureRecheck>.Instance),
            NullLogger<ReceiveEmailEvents>.Instance);

    private JsonObject Event(string type, string id = "ev1", object? category = null, bool withAlumnus = true, string? campaign = null, DateTimeOffset? at = null)
    {
        var e = new JsonObject
        {
            ["email"] = Address,
            ["timestamp"] = (at ?? At).ToUnixTimeSeconds(),
            ["event"] = type,
            ["sg_event_id"] = id,
            ["sg_message_id"] = "msg.filter0001",
        };
        if (withAlumnus)
        {
            e["alumnusId"] = alumnus.Id.Value;
        }

        if (campaign is not null)
        {
            e["campaign"] = campaign;
        }

        e["category"] = category switch
        {
            string one => one,
            string[] many => new JsonArray(many.Select(c => (JsonNode)c!).ToArray()),
            _ => null,
        };
        return e;
    }

    private async Task<EmailEventsOutcome> ReceiveAsync(params JsonObject[] events) =>
        await Handler().HandleAsync(Encoding.UTF8.GetBytes(new JsonArray(events).ToJsonString()), CancellationToken.None);

    private static EmailEventsReport Report(EmailEventsOutcome outcome) => Assert.IsType<EmailEventsOutcome.Applied>(outcome).Report;

    [Theory]
    [InlineData("bounce", SuppressionReason.Bounce)]
    [InlineData("dropped", SuppressionReason.Dropped)]
    public async Task BounceOrDrop_SuppressesTheAddressHashThenWritesTheReceipt(string type, SuppressionReason reason)
    {
        var report = Report(await ReceiveAsync(Event(type, withAlumnus: false)));

        Assert.Equal(new EmailEventsReport(1, 1, 0, 0), report);
        suppressions.Verify(s => s.AddAsync(new Suppression(EmailAddress.Parse(Address), reason, At), It.IsAny<CancellationToken>()));
        Assert.Equal([$"suppress:{reason}", "receipt:ev1"], calls);
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SpamReport_SuppressesAndWithdrawsTheCategorysPurposeAsAComplaint()
    {
        await ReceiveAsync(Event("spamreport", category: new[] { "newsletter", "2026-12" }));

        suppressions.Verify(s => s.AddAsync(It.Is<Suppression>(x => x.Reason == SuppressionReason.SpamReport), It.IsAny<CancellationToken>()));
        consents.Verify(c => c.AppendAsync(new ConsentRecord(alumnus.Id, ConsentPurpose.Newsletter, false, At, ConsentMethod.Complaint, ReceiveEmailEvents.WordingVersion), It.IsAny<CancellationToken>()));
        Assert.Equal(["suppress:SpamReport", "withdraw:Newsletter", "receipt:ev1"], calls);
    }

    [Fact]
    public async Task SpamReport_WithNoMappedCategory_SuppressesAndWithdrawsEveryGrantedEmailPurpose()
    {
        await ReceiveAsync(Event("spamreport", category: "welcome", campaign: "welcome"));

        Assert.Equal(("suppress:SpamReport", "receipt:ev1"), (calls[0], calls[^1]));
        Assert.Equal(["withdraw:Events", "withdraw:JobOffers", "withdraw:Newsletter"], calls[1..^1].Order(StringComparer.Ordinal));
        consents.Verify(c => c.AppendAsync(It.Is<ConsentRecord>(r => r.Purpose == ConsentPurpose.NetworkMembership), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Unsubscribe_FromAMappedCategory_WithdrawsOnlyThatPurposeAndDoesNotSuppress()
    {
        await ReceiveAsync(Event("unsubscribe", category: "job-offers"));

        Assert.Equal(["withdraw:JobOffers", "receipt:ev1"], calls);
    }

    [Fact]
    public async Task Unsubscribe_WithNoMappedCategory_WithdrawsEveryGrantedEmailPurposeAndSuppresses()
    {
        await ReceiveAsync(Event("unsubscribe", category: "welcome"));

        Assert.Equal(["receipt:ev1", "suppress:Unsubscribe", "withdraw:Events", "withdraw:JobOffers", "withdraw:Newsletter"], calls.Order(StringComparer.Ordinal));
        Assert.Equal("receipt:ev1", calls[^1]);
    }

    [Fact]
    public async Task GroupUnsubscribe_WithNoMappedCategory_WithdrawsEmailPurposesButDoesNotSuppress()
    {
        await ReceiveAsync(Event("group_unsubscribe"));

        Assert.DoesNotContain(calls, c => c.StartsWith("suppress:", StringComparison.Ordinal));
        Assert.Equal(3, calls.Count(c => c.StartsWith("withdraw:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GroupUnsubscribe_FromTheCampaignsPurpose_WithdrawsIt()
    {
        await ReceiveAsync(Event("group_unsubscribe", campaign: "Events"));

        Assert.Equal(["withdraw:Events", "receipt:ev1"], calls);
    }

    [Fact]
    public async Task Withdrawal_IsAppendedOnlyForPurposesCurrentlyGranted()
    {
        Granted(ConsentPurpose.NetworkMembership, ConsentPurpose.Surveys);

        await ReceiveAsync(Event("unsubscribe"));

        Assert.Equal(["withdraw:Surveys"], calls.Where(c => c.StartsWith("withdraw:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("unsubscribe")]
    [InlineData("group_unsubscribe")]
    public async Task UnsubscribeWithoutAlumnus_SuppressesTheAddressSinceNoConsentCanBeScoped(string type)
    {
        await ReceiveAsync(Event(type, category: "newsletter", withAlumnus: false));

        Assert.Equal(["suppress:Unsubscribe", "receipt:ev1"], calls);
        consents.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("bounce", SuppressionReason.Bounce)]
    [InlineData("dropped", SuppressionReason.Dropped)]
    public async Task BounceOrDropNamingNoAlumnus_MarksTheRowsHoldingTheAddress_BeforeTheSuppression(string type, SuppressionReason reason)
    {
        HoldsTheAddress();

        await ReceiveAsync(Event(type, withAlumnus: false));

        Assert.Equal(reason, alumnus.Suppressed);
        Assert.Equal([$"mark:{reason}", $"suppress:{reason}", "receipt:ev1"], calls);
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task BounceNamingAnAlumnusWhoseAddressChanged_MarksWhoeverHoldsTheAddressNow()
    {
        var holder = Builders.Alumnus(At.AddDays(-60), AlumnusStatus.Joined);
        var named = Builders.Alumnus(At.AddDays(-60), AlumnusStatus.Joined);
        named.PersonalEmail = EmailAddress.Parse("hanako.new@example.net");
        var bounce = Event("bounce");
        bounce["alumnusId"] = named.Id.Value;
        alumni.Setup(a => a.GetAsync(named.Id, It.IsAny<CancellationToken>())).ReturnsAsync(named);
        alumni.Setup(a => a.FindByEmailKeyAsync(pseudonyms.Of("email", Address), It.IsAny<CancellationToken>())).Returns(() => Found(holder));
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await ReceiveAsync(bounce);

        Assert.Equal((SuppressionReason.Bounce, (SuppressionReason?)null), (holder.Suppressed, named.Suppressed));
    }

    [Fact]
    public async Task SpamReportNamingNoAlumnus_MarksTheHoldersRowAndWithdrawsTheirConsent()
    {
        HoldsTheAddress();

        await ReceiveAsync(Event("spamreport", category: "newsletter", withAlumnus: false));

        Assert.Equal(SuppressionReason.SpamReport, alumnus.Suppressed);
        Assert.Equal(["mark:SpamReport", "suppress:SpamReport", "withdraw:Newsletter", "receipt:ev1"], calls);
        consents.Verify(c => c.AppendAsync(new ConsentRecord(alumnus.Id, ConsentPurpose.Newsletter, false, At, ConsentMethod.Complaint, ReceiveEmailEvents.WordingVersion), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task EventsNamingNoAlumnus_LookUpTheirAddressOncePerBatch_AndNotForEngagement()
    {
        HoldsTheAddress();

        await ReceiveAsync(Event("open", "ev0", withAlumnus: false), Event("bounce", "ev1", withAlumnus: false), Event("spamreport", "ev2", withAlumnus: false));

        alumni.Verify(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task BounceOfAnInternalMail_SuppressesTheAddress_WithoutLookingItUp()
    {
        HoldsTheAddress();
        var bounce = Event("bounce", withAlumnus: false);
        bounce["internal"] = "true";

        await ReceiveAsync(bounce);

        Assert.Contains("suppress:Bounce", calls);
        Assert.Null(alumnus.Suppressed);
        alumni.Verify(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task BounceAtTheCompanyMailDomains_SuppressesTheAddress_WithoutLookingItUp()
    {
        var bounce = Event("bounce", withAlumnus: false);
        bounce["email"] = "recruiting@jobs.example.com";

        await ReceiveAsync(bounce);

        Assert.Contains("suppress:Bounce", calls);
        alumni.Verify(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task BounceNamingTheAlumnusWhoHoldsTheAddress_DoesNotLookTheAddressUp()
    {
        HoldsTheAddress();

        await ReceiveAsync(Event("bounce"));

        Assert.Equal(SuppressionReason.Bounce, alumnus.Suppressed);
        alumni.Verify(a => a.FindByEmailKeyAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SpamReportOnAnEventNotice_WithdrawsTheEventsPurposeOnly()
    {
        var e = Core.Tests.Events.EventBuilders.Event();
        var rsvp = e.Attend(null, alumnus.Id, Core.Tests.Events.EventBuilders.Now).Changed.Single();
        var notice = Core.Events.EventMail.Notice(Core.Events.NoticeKind.Confirmed, $"event-{e.Id}-r1-s0", e, alumnus, rsvp, "Example", null, null);
        // SendGrid puts a message's custom arguments beside the event's own fields.
        var complaint = Event("spamreport", category: notice.Categories.ToArray());
        foreach (var (key, value) in notice.CustomArgs)
        {
            complaint[key] = value;
        }

        var report = Report(await ReceiveAsync(complaint));

        Assert.Equal(1, report.Applied);
        Assert.Equal(["suppress:SpamReport", "withdraw:Events", "receipt:ev1"], calls);
        Assert.Equal("event", ReceiveEmailEvents.CampaignKindOf(notice.CustomArgs["campaign"]));
    }

    [Theory]
    [InlineData("delivered", EngagementKind.Delivered)]
    [InlineData("open", EngagementKind.Opened)]
    [InlineData("click", EngagementKind.Clicked)]
    public async Task Engagement_CountsForTheAlumnus(string type, EngagementKind kind)
    {
        await ReceiveAsync(Event(type));

        engagement.Verify(e => e.IncrementAsync(alumnus.Id, kind, At, It.IsAny<CancellationToken>()), Times.Once);
        suppressions.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("delivered", EngagementKind.Delivered)]
    [InlineData("open", EngagementKind.Opened)]
    [InlineData("click", EngagementKind.Clicked)]
    public async Task Engagement_ClaimsTheReceiptBeforeCountingForTheAlumnus(string type, EngagementKind kind)
    {
        var report = Report(await ReceiveAsync(Event(type)));

        Assert.Equal(new EmailEventsReport(1, 1, 0, 0), report);
        Assert.Equal(["receipt:ev1", $"count:{kind}"], calls);
    }

    [Theory]
    [InlineData("delivered")]
    [InlineData("open")]
    [InlineData("click")]
    public async Task Engagement_WhoseReceiptAnotherPostClaimed_IsNotCountedForTheAlumnus(string type)
    {
        receipts.Setup(r => r.RecordAsync(ReceiveEmailEvents.Source, "ev1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var report = Report(await ReceiveAsync(Event(type)));

        Assert.Equal(new EmailEventsReport(1, 0, 1, 0), report);
        engagement.VerifyNoOtherCalls();
        campaigns.VerifyNoOtherCalls();
    }

    [Theory]
    [InlineData("delivered")]
    [InlineData("open")]
    [InlineData("click")]
    public async Task Engagement_AlreadyReceived_IsNotCountedAtAll(string type)
    {
        LedgerNotesEngagement();
        receipts.Setup(r => r.FindAsync(ReceiveEmailEvents.Source, "ev1", It.IsAny<CancellationToken>())).ReturnsAsync(type);

        var report = Report(await ReceiveAsync(WithSendId(Event(type))));

        Assert.Equal(new EmailEventsReport(1, 0, 1, 0), report);
        engagement.VerifyNoOtherCalls();
        campaigns.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Engagement_WhenCountingFailsAfterTheClaim_IsNotCountedForTheAlumnusByTheRedelivery()
    {
        var claimed = new HashSet<string>();
        receipts.Setup(r => r.RecordAsync(ReceiveEmailEvents.Source, It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string id, string _, CancellationToken _) => claimed.Add(id));
        receipts.Setup(r => r.FindAsync(ReceiveEmailEvents.Source, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string id, CancellationToken _) => claimed.Contains(id) ? "Open" : null);
        engagement.SetupSequence(e => e.IncrementAsync(alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("storage"))
            .Returns(Task.CompletedTask);

        await Assert.ThrowsAsync<IOException>(() => ReceiveAsync(Event("open")));
        var redelivered = Report(await ReceiveAsync(Event("open")));

        Assert.Equal(new EmailEventsReport(1, 0, 1, 0), redelivered);
        engagement.Verify(e => e.IncrementAsync(alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>The ledger's per-send marks, as <see cref="ISendLedger.MarkEngagedAsync"/> keeps them.</summary>
    private HashSet<(SendId, EngagementKind)> LedgerNotesEngagement()
    {
        var marked = new HashSet<(SendId, EngagementKind)>();
        sends.Setup(s => s.IsFirstEngagementAsync(It.IsAny<SendId>(), It.IsAny<EngagementKind>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((SendId id, EngagementKind kind, CancellationToken _) => !marked.Contains((id, kind)));
        sends.Setup(s => s.MarkEngagedAsync(It.IsAny<SendId>(), It.IsAny<EngagementKind>(), It.IsAny<CancellationToken>()))
            .Callback((SendId _, EngagementKind kind, CancellationToken _) => Called($"mark:{kind}"))
            .ReturnsAsync((SendId id, EngagementKind kind, CancellationToken _) => marked.Add((id, kind)));
        engagement.Setup(e => e.IncrementCampaignAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<AlumnusId>(), It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, AlumnusId _, EngagementKind kind, DateTimeOffset _, CancellationToken _) => Called($"kind:{kind}")).Returns(Task.CompletedTask);
        return marked;
    }

    [Theory]
    [InlineData("welcome", "welcome")]
    [InlineData("newsletter-2026-12", "newsletter")]
    [InlineData("event-0123456789abcdef0123456789abcdef-invitation", "event")]
    [InlineData("Survey-42", "survey")]
    [InlineData(null, "other")]
    [InlineData("<script>:1", "other")]
    [InlineData("averyveryverylongcampaignkindnamethatgoesonandon-1", "other")]
    public async Task Engagement_IsCountedForTheCampaignKind(string? campaign, string kind)
    {
        LedgerNotesEngagement();

        await ReceiveAsync(WithSendId(Event("open", campaign: campaign)));

        Assert.Equal(kind, ReceiveEmailEvents.CampaignKindOf(campaign));
        engagement.Verify(e => e.IncrementCampaignAsync(kind, "2025-12", alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("delivered", EngagementKind.Delivered)]
    [InlineData("open", EngagementKind.Opened)]
    [InlineData("click", EngagementKind.Clicked)]
    public async Task OneEmailEngagedThreeTimes_CountsOnceForTheCampaignKindAndThriceForTheAlumnus(string type, EngagementKind kind)
    {
        LedgerNotesEngagement();

        var report = Report(await ReceiveAsync(WithSendId(Event(type, "a")), WithSendId(Event(type, "b")), WithSendId(Event(type, "c"))));

        Assert.Equal(new EmailEventsReport(3, 3, 0, 0), report);
        engagement.Verify(e => e.IncrementCampaignAsync("other", "2025-12", alumnus.Id, kind, At, It.IsAny<CancellationToken>()), Times.Once);
        engagement.Verify(e => e.IncrementAsync(alumnus.Id, kind, At, It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Theory]
    [InlineData("Asia/Tokyo", "2025-12")]
    [InlineData("UTC", "2025-11")]
    public async Task Engagement_IsCountedInTheCompanysMonth_NotTheUtcOne(string zone, string month)
    {
        LedgerNotesEngagement();
        var lateOnTheLastDayInUtc = new DateTimeOffset(2025, 11, 30, 23, 30, 0, TimeSpan.Zero);

        await Handler(zone).HandleAsync(Encoding.UTF8.GetBytes(new JsonArray(WithSendId(Event("open", at: lateOnTheLastDayInUtc))).ToJsonString()), CancellationToken.None);

        engagement.Verify(e => e.IncrementCampaignAsync("other", month, alumnus.Id, EngagementKind.Opened, lateOnTheLastDayInUtc, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Engagement_CountsTheEmailBeforeNotingItAndBeforeTheReceipt()
    {
        LedgerNotesEngagement();

        await ReceiveAsync(WithSendId(Event("open")));

        Assert.Equal(["kind:Opened", "mark:Opened", "receipt:ev1", "count:Opened"], calls);
    }

    [Fact]
    public async Task Engagement_WhenTheKindCountFails_IsCountedForTheKindByTheRedelivery()
    {
        var marked = LedgerNotesEngagement();
        engagement.SetupSequence(e => e.IncrementCampaignAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<AlumnusId>(), EngagementKind.Opened, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("storage"))
            .Returns(Task.CompletedTask);

        await Assert.ThrowsAsync<IOException>(() => ReceiveAsync(WithSendId(Event("open"))));
        Assert.Empty(marked);
        await ReceiveAsync(WithSendId(Event("open")));

        engagement.Verify(e => e.IncrementCampaignAsync("other", "2025-12", alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Single(marked);
    }

    [Fact]
    public async Task EngagementNamingNoSend_IsCountedForTheAlumnusOnly()
    {
        await ReceiveAsync(Event("open"));

        engagement.Verify(e => e.IncrementAsync(alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()), Times.Once);
        engagement.Verify(e => e.IncrementCampaignAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<AlumnusId>(), It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task OpenOfACampaignBatchMail_CountsOnTheBatchOncePerRecipient()
    {
        LedgerNotesEngagement();
        var batch = Core.Campaigns.CampaignBatch.KeyOf("spring2027", 3);
        JsonObject Open(string id)
        {
            var e = Event("open", id);
            e[SendId.CustomArg] = new SendId(batch, alumnus.Id, 1).ToString();
            return e;
        }

        await ReceiveAsync(Open("a"), Open("b"));

        campaigns.Verify(c => c.CountEngagementAsync("spring2027", 3, EngagementKind.Opened, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Engagement_ForAnUnknownOrMissingAlumnus_IsNotCounted()
    {
        var erased = Event("open", id: "ev2");
        erased["alumnusId"] = AlumnusId.New().Value;

        var report = Report(await ReceiveAsync(Event("open", withAlumnus: false), erased));

        Assert.Equal(2, report.Applied);
        engagement.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task EventAlreadyReceived_IsSkipped()
    {
        receipts.Setup(r => r.FindAsync(ReceiveEmailEvents.Source, "ev1", It.IsAny<CancellationToken>())).ReturnsAsync("Bounce");
        receipts.Setup(r => r.FindAsync(ReceiveEmailEvents.Source, "ev2", It.IsAny<CancellationToken>())).ReturnsAsync("Open");

        var report = Report(await ReceiveAsync(Event("bounce"), Event("open", id: "ev2")));

        Assert.Equal(new EmailEventsReport(2, 0, 2, 0), report);
        Assert.Empty(calls);
        engagement.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task SameEventTwiceInOneBatch_IsAppliedOnce()
    {
        var report = Report(await ReceiveAsync(Event("click"), Event("click")));

        Assert.Equal(new EmailEventsReport(2, 1, 1, 0), report);
        engagement.Verify(e => e.IncrementAsync(alumnus.Id, EngagementKind.Clicked, At, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EventsWithNoEffectAndUnknownTypes_AreCountedAsIgnoredWithoutReceipts()
    {
        var report = Report(await ReceiveAsync(Event("processed", "a"), Event("deferred", "b"), Event("group_resubscribe", "c"), new JsonObject { ["event"] = "test_event" }));

        Assert.Equal(new EmailEventsReport(4, 0, 0, 4), report);
        receipts.VerifyNoOtherCalls();
        Assert.Empty(calls);
    }

    private JsonObject WithSendId(JsonObject e, int attempt = 1)
    {
        e[SendId.CustomArg] = $"welcome/{alumnus.Id.Value}/{attempt}";
        return e;
    }

    [Theory]
    [InlineData("processed", SendState.Sent)]
    [InlineData("deferred", SendState.Sent)]
    [InlineData("delivered", SendState.Sent)]
    [InlineData("bounce", SendState.Sent)]
    [InlineData("dropped", SendState.Dropped)]
    public async Task DeliveryEventWithSendId_SettlesThatSendInTheLedger(string type, SendState outcome)
    {
        var sendId = new SendId("welcome", alumnus.Id, 2);
        sends.Setup(s => s.ResolveAsync(sendId, outcome, $"event:{type}", At, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var report = Report(await ReceiveAsync(WithSendId(Event(type), attempt: 2)));

        sends.Verify(s => s.ResolveAsync(sendId, outcome, $"event:{type}", At, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(1, report.Applied);
    }

    [Fact]
    public async Task BlockedBounce_SettlesTheSendAsSentButSuppressesNothingAndWritesNoReceipt()
    {
        var sendId = new SendId("welcome", alumnus.Id, 1);
        sends.Setup(s => s.ResolveAsync(sendId, SendState.Sent, "event:blocked", At, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var blocked = WithSendId(Event("bounce"));
        blocked["type"] = "blocked";

        var report = Report(await ReceiveAsync(blocked));

        Assert.Equal(new EmailEventsReport(1, 1, 0, 0), report);
        sends.Verify(s => s.ResolveAsync(sendId, SendState.Sent, "event:blocked", At, It.IsAny<CancellationToken>()), Times.Once);
        suppressions.VerifyNoOtherCalls();
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        receipts.VerifyNoOtherCalls();
        Assert.Empty(calls);
    }

    [Fact]
    public async Task DropForTheMessage_SettlesTheSendAsDroppedButSuppressesNothingAndWritesNoReceipt()
    {
        var sendId = new SendId("welcome", alumnus.Id, 1);
        sends.Setup(s => s.ResolveAsync(sendId, SendState.Dropped, "event:droppedmessage", At, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var dropped = WithSendId(Event("dropped"));
        dropped["reason"] = "Invalid SMTPAPI header";

        var report = Report(await ReceiveAsync(dropped));

        Assert.Equal(new EmailEventsReport(1, 1, 0, 0), report);
        sends.Verify(s => s.ResolveAsync(sendId, SendState.Dropped, "event:droppedmessage", At, It.IsAny<CancellationToken>()), Times.Once);
        suppressions.VerifyNoOtherCalls();
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
        receipts.VerifyNoOtherCalls();
        Assert.Empty(calls);
    }

    [Fact]
    public async Task DropOfTheAddress_Suppresses()
    {
        var dropped = Event("dropped");
        dropped["reason"] = "Unsubscribed Address";

        await ReceiveAsync(dropped);

        Assert.Equal(["suppress:Dropped", "receipt:ev1"], calls);
    }

    [Fact]
    public async Task BlockedBounceNamingNoSend_IsIgnored()
    {
        var blocked = Event("bounce");
        blocked["type"] = "blocked";

        Assert.Equal(new EmailEventsReport(1, 0, 0, 1), Report(await ReceiveAsync(blocked)));
        suppressions.VerifyNoOtherCalls();
        Assert.Empty(calls);
    }

    [Fact]
    public async Task ProcessedForASendAlreadySettled_IsIgnored()
    {
        sends.Setup(s => s.ResolveAsync(It.IsAny<SendId>(), It.IsAny<SendState>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.Equal(new EmailEventsReport(1, 0, 0, 1), Report(await ReceiveAsync(WithSendId(Event("processed")))));
    }

    [Theory]
    [InlineData("open")]
    [InlineData("click")]
    [InlineData("unsubscribe")]
    public async Task EngagementEventWithSendId_DoesNotSettleTheSend(string type)
    {
        await ReceiveAsync(WithSendId(Event(type)));

        sends.Verify(s => s.ResolveAsync(It.IsAny<SendId>(), It.IsAny<SendState>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task MalformedSendId_RejectsTheBatchNamingTheField()
    {
        var e = Event("processed");
        e[SendId.CustomArg] = "welcome/not-an-id/1";

        var invalid = Assert.IsType<EmailEventsOutcome.Invalid>(await ReceiveAsync(e));

        Assert.Contains(invalid.Errors, x => x.Field == "[0].sendId");
        sends.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task InvalidBatch_AppliesNothingAtAll()
    {
        var bad = Event("bounce", id: "ev3");
        bad.Remove("sg_event_id");

        var outcome = await ReceiveAsync(Event("bounce"), Event("unsubscribe", id: "ev2"), bad);

        Assert.Equal("[2].sg_event_id", Assert.Single(Assert.IsType<EmailEventsOutcome.Invalid>(outcome).Errors).Field);
        receipts.VerifyNoOtherCalls();
        suppressions.VerifyNoOtherCalls();
        consents.VerifyNoOtherCalls();
        engagement.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AlumnusIsLookedUpOncePerBatch_AndReadAgainAfterEachCount()
    {
        await ReceiveAsync(Event("delivered", "a"), Event("open", "b"), Event("click", "c"));

        alumni.Verify(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Exactly(4));
    }

    [Theory]
    [InlineData(new[] { "newsletter" }, null, new[] { ConsentPurpose.Newsletter })]
    [InlineData(new[] { "NEWSLETTER" }, null, new[] { ConsentPurpose.Newsletter })]
    [InlineData(new[] { "job-offers" }, null, new[] { ConsentPurpose.JobOffers })]
    [InlineData(new[] { "joboffers" }, null, new[] { ConsentPurpose.JobOffers })]
    [InlineData(new[] { "job_offers" }, null, new[] { ConsentPurpose.JobOffers })]
    [InlineData(new[] { "welcome" }, "surveys", new[] { ConsentPurpose.Surveys })]
    [InlineData(new[] { "events", "2026-12" }, "events", new[] { ConsentPurpose.Events })]
    [InlineData(new[] { "networkmembership", "directoryvisibility" }, null, new ConsentPurpose[0])]
    [InlineData(new[] { "newsletter-2026-12" }, "welcome", new ConsentPurpose[0])]
    public void PurposesOf_MapsCategoriesAndCampaignToEmailPurposes(string[] categories, string? campaign, ConsentPurpose[] expected) =>
        Assert.Equal(expected.Order(), ReceiveEmailEvents.PurposesOf(
            new EmailEvent("e", EmailEventType.Unsubscribe, EmailAddress.Parse(Address), At, null, campaign, categories)).Order());

    [Theory]
    [InlineData("group_unsubscribe", "newsletter", false, null, new string[0])]
    [InlineData("unsubscribe", "newsletter", false, null, new string[0])]
    [InlineData("unsubscribe", null, false, "Unsubscribe", new[] { "mark:Unsubscribe", "suppress:Unsubscribe" })]
    [InlineData("bounce", null, false, "Bounce", new[] { "mark:Bounce", "suppress:Bounce" })]
    [InlineData("spamreport", "newsletter", false, "SpamReport", new[] { "mark:SpamReport", "suppress:SpamReport" })]
    [InlineData("dropped", null, false, null, new string[0])]
    [InlineData("group_unsubscribe", "newsletter", true, null, new string[0])]
    [InlineData("unsubscribe", null, true, "Unsubscribe", new[] { "mark:Unsubscribe", "suppress:Unsubscribe" })]
    [InlineData("bounce", null, true, "Bounce", new[] { "mark:Bounce", "suppress:Bounce" })]
    [InlineData("spamreport", "newsletter", true, "SpamReport", new[] { "mark:SpamReport", "suppress:SpamReport" })]
    [InlineData("dropped", null, true, null, new string[0])]
    public async Task EventNamingAnAlumnusUnderErasureOrGone_MarksOtherHoldersRowsSuppressed_ButWithdrawsNobodysConsent(
        string type, string? category, bool rowGone, string? marked, string[] effects)
    {
        // Someone else holds the same address now: campaign batches read only their row, so a bounce, spam report or
        // unsubscribe from everything must mark it (Act on Specified Electronic Mail); but an erased person's refusal
        // withdraws no one else's consent, and a drop is no refusal of the address.
        var other = Builders.Alumnus(At.AddDays(-60), AlumnusStatus.Joined);
        other.PersonalEmail = EmailAddress.Parse(Address);
        alumnus.PersonalEmail = EmailAddress.Parse(Address);
        alumni.Setup(a => a.FindByEmailKeyAsync(pseudonyms.Of("email", Address), It.IsAny<CancellationToken>()))
            .Returns(() => rowGone ? Found(other) : Found(alumnus, other));
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()))
            .Callback((Alumnus a, CancellationToken _) => Called($"mark:{a.Suppressed}")).ReturnsAsync(true);
        consents.Setup(c => c.HistoryAsync(other.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [new ConsentRecord(other.Id, ConsentPurpose.Newsletter, true, At.AddDays(-30), ConsentMethod.Link, "v1")]);
        if (rowGone)
        {
            alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);
        }
        else
        {
            alumnus.ErasureStartedAt = At.AddMinutes(-5);
        }

        Report(await ReceiveAsync(Event(type, category: category)));

        Assert.Equal([.. effects, "receipt:ev1"], calls);
        Assert.Equal(marked, other.Suppressed?.ToString());
        Assert.Null(alumnus.Suppressed);
        consents.Verify(c => c.AppendAsync(It.IsAny<ConsentRecord>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.TryUpdateAsync(It.Is<Alumnus>(a => a.Id != other.Id), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("delivered")]
    [InlineData("open")]
    [InlineData("click")]
    public async Task Engagement_AlreadyReceived_ForAnAlumnusWhoseErasureBegan_TakesTheCountsBack(string type)
    {
        // The receipt is written before the increment: a crash after a count made as the erasure began leaves it, and
        // the re-post finds only the receipt. It looks again, and writes the take-back as work before trying it.
        receipts.Setup(r => r.FindAsync(ReceiveEmailEvents.Source, "ev1", It.IsAny<CancellationToken>())).ReturnsAsync(type);
        alumnus.ErasureStartedAt = At;
        work.Setup(w => w.ScheduleAsync(It.IsAny<Core.Scheduling.WorkItem>(), It.IsAny<CancellationToken>()))
            .Callback(() => Called("takeback-work")).Returns(Task.CompletedTask);
        engagement.Setup(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => Called("remove")).Returns(Task.CompletedTask);

        var report = Report(await ReceiveAsync(Event(type)));

        Assert.Equal(new EmailEventsReport(1, 0, 1, 0), report);
        Assert.Equal(["takeback-work", "remove"], calls);
        work.Verify(w => w.ScheduleAsync(It.Is<Core.Scheduling.WorkItem>(i => i.Kind == Core.Scheduling.WorkKinds.TakeBack && i.SubjectId == alumnus.Id.Value), It.IsAny<CancellationToken>()));
        engagement.Verify(e => e.IncrementAsync(It.IsAny<AlumnusId>(), It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CountMadeAsTheAlumnusErasureBegins_IsRemovedAgain_SoItCannotOutliveTheErasure()
    {
        // The row was read before the erasure set its flag; the count lands after the erasure removed the counts.
        engagement.Setup(e => e.IncrementAsync(alumnus.Id, It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumnus.ErasureStartedAt = At).Returns(Task.CompletedTask);

        Report(await ReceiveAsync(Event("open")));

        engagement.Verify(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CountMadeAsTheAlumnusErasureBegins_WritesItsTakeBackAsWork_BeforeTheNextEventAndBeforeTryingIt()
    {
        // A crash after the count must not lose its take-back: a re-post only finds the receipt.
        engagement.Setup(e => e.IncrementAsync(alumnus.Id, It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => { alumnus.ErasureStartedAt = At; Called("count"); }).Returns(Task.CompletedTask);
        work.Setup(w => w.ScheduleAsync(It.IsAny<Core.Scheduling.WorkItem>(), It.IsAny<CancellationToken>()))
            .Callback(() => Called("takeback-work")).Returns(Task.CompletedTask);
        engagement.Setup(e => e.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => Called("remove")).Returns(Task.CompletedTask);

        Report(await ReceiveAsync(Event("open", "a"), Event("bounce", "b")));

        Assert.Equal(["count", "takeback-work", "remove", "receipt:b"], calls.Where(c => c != "receipt:a" && !c.StartsWith("suppress:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CountOfAnAlumnusStillHeld_IsKept()
    {
        Report(await ReceiveAsync(Event("open")));

        engagement.Verify(e => e.IncrementAsync(alumnus.Id, EngagementKind.Opened, At, It.IsAny<CancellationToken>()), Times.Once);
        engagement.Verify(e => e.RemoveAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task CountMadeAsTheAlumnusErasureBegins_ClearsTheNoteOnTheSendToo()
    {
        // The note of the send's first open (which mails they opened) is the person's as much as the count: the erasure's
        // own clearing may have run before it landed.
        engagement.Setup(e => e.IncrementAsync(alumnus.Id, It.IsAny<EngagementKind>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumnus.ErasureStartedAt = At).Returns(Task.CompletedTask);

        Report(await ReceiveAsync(Event("open")));

        sends.Verify(s => s.ForgetMessageIdsAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }
}
