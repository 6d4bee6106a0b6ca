using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Tests.Admin;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Collaboration;

/// <summary>Who may be asked, how often, and what a refusal leaves behind (nothing).</summary>
public sealed class RequestCollaborationTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly List<ConsentRecord> history = [];
    private readonly Mock<ICollaborationStore> store = new();
    private readonly Mock<IComplianceApprovals> approvals = new();
    private readonly Mock<IApprovalStore> approvalStore = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;
    private readonly List<CollaborationRequest> existing = [];
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);
    private CollaborationCard card;

    public RequestCollaborationTests()
    {
        audited = audit.Captures();
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Collaboration };
        card = new CollaborationCard(alumnus.Id, new Dictionary<CardField, string> { [CardField.Company] = "Acme", [CardField.Offer] = "Payments" },
            Industry.Finance, true, true, false, CardStatus.Listed, Now.AddDays(-20));
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        consents.Setup(c => c.HistoryAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => history);
        store.Setup(s => s.GetCardAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => card);
        store.Setup(s => s.RequestsToAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => existing);
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private RequestCollaboration Handler(int limit = 2) => new(alumni.Object, consents.Object, store.Object, approvals.Object,
        new CollaborationData(store.Object, Mock.Of<IConflictAssessments>(), approvalStore.Object),
        new Core.Privacy.ErasureRecheck(alumni.Object, work.Object, new FakeTimeProvider(Now), NullLogger<Core.Privacy.ErasureRecheck>.Instance), work.Object, audit.Object, Builders.Creates(),
        Options.Create(new CollaborationOptions { MaxRequestsPerWindow = limit }), new CompanyMailDomains(["example.com"]), new FakeTimeProvider(Now),
        NullLogger<RequestCollaboration>.Instance);

    private static byte[] Body(AlumnusId id, string confidentiality = "Normal", Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["alumnusId"] = id.Value, ["requesterKind"] = "Employee", ["requesterName"] = "佐藤 一郎", ["requesterDepartment"] = "法人営業部",
            ["requesterEmail"] = "sato@corp.example.com", ["reason"] = "決済分野での共同提案", ["confidentiality"] = confidentiality,
        };
        change?.Invoke(body);
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private Task<AdminOutcome<CollaborationRequestView>> RequestAsync(byte[] body, int limit = 2, IdempotencyKey? key = null) =>
        Handler(limit).HandleAsync(body, "admin-1", key, CancellationToken.None);

    private static IdempotencyKey Key(string value) => IdempotencyKey.Parse([value], IdempotencyKey.Header, new List<FieldError>())!.Value;

    private static CollaborationRequest Earlier(AlumnusId id, int daysAgo, RequestStatus status = RequestStatus.Sent) =>
        new(CollaborationRequest.NewId(), id, RequesterKind.Employee, "x", "y", EmailAddress.Parse("x@corp.example.com"), "r", Confidentiality.Normal, status, Now.AddDays(-daysAgo), "a");

    private void AssertNothingWritten()
    {
        Assert.Empty(audited);
        work.Verify(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()), Times.Never);
        store.Verify(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ListedCardAndConsent_IsAcceptedForDelivery_AuditedAndScheduledBeforeItIsAdded()
    {
        var order = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("audit"));
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback(() => order.Add("work"));
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), 2, Now.AddDays(-30), It.IsAny<CancellationToken>())).Callback(() => order.Add("add")).ReturnsAsync(true);

        var outcome = await RequestAsync(Body(alumnus.Id));

        Assert.Equal(RequestStatus.Pending, Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(outcome).Value.Status);
        Assert.Equal(["audit", "work", "add"], order);
        approvals.Verify(a => a.RequestAsync(It.IsAny<ApprovalRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task TwoRequestsInTheLast30Days_TheThirdIsRefused_AndNothingIsWritten()
    {
        existing.AddRange([Earlier(alumnus.Id, 29), Earlier(alumnus.Id, 1, RequestStatus.Declined)]);

        var outcome = await RequestAsync(Body(alumnus.Id));

        Assert.Contains("most allowed", Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task RequestsOlderThanTheWindowOrNotDelivered_DoNotCount()
    {
        existing.AddRange([Earlier(alumnus.Id, 31), Earlier(alumnus.Id, 30), Earlier(alumnus.Id, 2, RequestStatus.NotDelivered), Earlier(alumnus.Id, 1)]);

        Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id)));
    }

    [Fact]
    public async Task ConfiguredLimit_IsTheOneApplied()
    {
        existing.AddRange([Earlier(alumnus.Id, 3), Earlier(alumnus.Id, 2)]);

        Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id), limit: 3));
        Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(await RequestAsync(Body(alumnus.Id), limit: 1));
    }

    [Fact]
    public async Task LastPlaceTakenInARace_IsRefused()
    {
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(await RequestAsync(Body(alumnus.Id)));
        Assert.Equal([CollaborationAuditActions.Requested, "collaboration-request.create-not-saved"], audited.Select(e => e.Action));
    }

    /// <summary>
    /// Two requests with the same key both miss the read; the other one's insert lands first. This one's entry, written
    /// first, is followed by one saying it created nothing (its delivery is the winner's: the send ledger mails once).
    /// </summary>
    [Fact]
    public async Task KeyedRequestThatLosesTheInsertRace_AnswersWithTheWinner_AndAuditsThatItCreatedNothing()
    {
        CollaborationRequest? winner = null;
        store.Setup(s => s.GetRequestAsync(alumnus.Id, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AlumnusId _, string id, CancellationToken _) => winner?.Id == id ? winner : null);
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((CollaborationRequest r, int _, DateTimeOffset _, CancellationToken _) => winner = r).ReturnsAsync(false);

        var outcome = await RequestAsync(Body(alumnus.Id), key: Key("retry-1"));

        Assert.Equal(winner!.Id, Assert.IsType<AdminOutcome<CollaborationRequestView>.Repeated>(outcome).Value.Id);
        Assert.Equal([CollaborationAuditActions.Requested, "collaboration-request.create-not-saved"], audited.Select(e => e.Action));
        Assert.All(audited, e => Assert.Equal(alumnus.Id.Value, e.Subject));
        Assert.StartsWith($"id={winner.Id}; not saved", audited[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameKeyAndBody_FindsTheFirstRequest_AndWritesNothing()
    {
        CollaborationRequest? added = null;
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((CollaborationRequest r, int _, DateTimeOffset _, CancellationToken _) => added = r).ReturnsAsync(true);
        var first = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id), key: Key("retry-1"))).Value;
        store.Setup(s => s.GetRequestAsync(alumnus.Id, first.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => added);
        existing.AddRange([Earlier(alumnus.Id, 1), Earlier(alumnus.Id, 2)]);
        audited.Clear();
        work.Invocations.Clear();
        store.Invocations.Clear();

        var repeat = await RequestAsync(Body(alumnus.Id), key: Key("retry-1"));

        Assert.Equal(first, Assert.IsType<AdminOutcome<CollaborationRequestView>.Repeated>(repeat).Value);
        AssertNothingWritten();
    }

    [Fact]
    public async Task SameKeyAnotherBody_IsRefusedNamingTheKey_AndWritesNothing()
    {
        CollaborationRequest? added = null;
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback((CollaborationRequest r, int _, DateTimeOffset _, CancellationToken _) => added = r).ReturnsAsync(true);
        var first = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id), key: Key("retry-1"))).Value;
        store.Setup(s => s.GetRequestAsync(alumnus.Id, first.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => added);
        audited.Clear();
        work.Invocations.Clear();
        store.Invocations.Clear();

        var reused = await RequestAsync(Body(alumnus.Id, change: b => b["reason"] = "別の提案"), key: Key("retry-1"));

        Assert.Equal(ConflictCode.IdempotencyKeyReused, Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(reused).Code);
        AssertNothingWritten();
    }

    [Fact]
    public async Task OtherKeysOrNoKey_MakeNewRequests()
    {
        var a = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id), key: Key("a"))).Value;
        var b = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id), key: Key("b"))).Value;
        var none = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id))).Value;

        Assert.Equal(3, new[] { a.Id, b.Id, none.Id }.Distinct().Count());
        Assert.True(CollaborationRequest.IsId(a.Id));
    }

    public static TheoryData<string> Unreachable => new() { "pending-review", "members-only", "paused", "no-consent", "no-card" };

    [Theory]
    [MemberData(nameof(Unreachable))]
    public async Task AlumnusWhoCannotTakeRequests_IsRefused_AndNothingIsWritten(string why)
    {
        switch (why)
        {
            case "pending-review": card = card with { Status = CardStatus.PendingReview }; break;
            case "members-only": card = card with { VisibleToEmployees = false }; break;
            case "paused": card = card with { RequestsPaused = true }; break;
            case "no-consent": alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership }; break;
            default: card = null!; break;
        }

        Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(await RequestAsync(Body(alumnus.Id)));
        AssertNothingWritten();
    }

    [Fact]
    public async Task RowFromBeforeTheConsentProjection_ConsentedInTheLedger_IsAccepted()
    {
        alumnus.Consented = null;
        history.Add(new ConsentRecord(alumnus.Id, ConsentPurpose.Collaboration, true, Now.AddDays(-40), ConsentMethod.Link, "v1"));

        Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id)));
    }

    [Fact]
    public async Task RowFromBeforeTheConsentProjection_WithdrawnInTheLedger_IsRefused_AndNothingIsWritten()
    {
        alumnus.Consented = null;
        history.Add(new ConsentRecord(alumnus.Id, ConsentPurpose.Collaboration, true, Now.AddDays(-40), ConsentMethod.Link, "v1"));
        history.Add(new ConsentRecord(alumnus.Id, ConsentPurpose.Collaboration, false, Now.AddDays(-10), ConsentMethod.Link, "v1"));

        var outcome = await RequestAsync(Body(alumnus.Id));

        Assert.Contains("not agreed", Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    /// <summary>
    /// Rehired or not to be contacted, the card is as good as unlisted: the requester gets the unlisted card's answer,
    /// which tells them neither that the person came back nor that they asked not to be contacted.
    /// </summary>
    [Theory]
    [InlineData("do-not-contact")]
    [InlineData("returned")]
    public async Task AlumnusNotToBeAsked_IsAnsweredAsAnUnlistedCard(string why)
    {
        var listed = card;
        card = null!;
        var unlisted = Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(await RequestAsync(Body(alumnus.Id))).Reason;
        card = listed;
        if (why == "returned")
        {
            alumnus.Status = AlumnusStatus.Returned;
        }
        else
        {
            alumnus.DoNotContact = true;
        }

        Assert.Equal(unlisted, Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(await RequestAsync(Body(alumnus.Id))).Reason);
        AssertNothingWritten();
    }

    [Fact]
    public async Task UnknownOrErasedAlumnus_IsNotFound()
    {
        Assert.IsType<AdminOutcome<CollaborationRequestView>.NotFound>(await RequestAsync(Body(AlumnusId.New())));
        AssertNothingWritten();
    }

    [Fact]
    public async Task AlumnusWhoseErasureHasBegun_IsNotFound_AndNothingIsWritten()
    {
        alumnus.ErasureStartedAt = Now.AddMinutes(-1);

        Assert.IsType<AdminOutcome<CollaborationRequestView>.NotFound>(await RequestAsync(Body(alumnus.Id)));
        AssertNothingWritten();
    }

    /// <summary>
    /// The erasure set its flag and removed the alumnus's requests between the checks and the add (ADR 0007): the request
    /// is taken back, with a takeback work item written first, and the alumnus counts as erased.
    /// </summary>
    [Fact]
    public async Task ErasureBeganWhileTheRequestWasAdded_TakesItBack_AndIsNotFound()
    {
        var order = new List<string>();
        store.Setup(s => s.TryAddRequestAsync(It.IsAny<CollaborationRequest>(), It.IsAny<int>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .Callback(() => alumnus.ErasureStartedAt = Now).ReturnsAsync(true);
        work.Setup(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack), It.IsAny<CancellationToken>())).Callback(() => order.Add("takeback-work"));
        store.Setup(s => s.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => order.Add("requests-removed")).Returns(Task.CompletedTask);

        var outcome = await RequestAsync(Body(alumnus.Id));

        Assert.IsType<AdminOutcome<CollaborationRequestView>.NotFound>(outcome);
        Assert.Equal(["takeback-work", "requests-removed"], order);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack && i.SubjectId == alumnus.Id.Value), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>A flagged alumnus's request asks compliance after the add: the erasure beginning by then takes back that question too.</summary>
    [Fact]
    public async Task ErasureBeganWhileComplianceWasAsked_TakesBackTheRequestAndTheQuestion_AndIsNotFound()
    {
        alumnus.ConflictOfInterest = new ConflictFlag(RegisterEntry.NewId(), "Competitor", Now.AddDays(-5));
        approvals.Setup(a => a.RequestAsync(It.IsAny<ApprovalRequest>(), It.IsAny<CancellationToken>())).Callback(() => alumnus.ErasureStartedAt = Now).Returns(Task.CompletedTask);

        var outcome = await RequestAsync(Body(alumnus.Id));

        Assert.IsType<AdminOutcome<CollaborationRequestView>.NotFound>(outcome);
        store.Verify(s => s.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
        approvalStore.Verify(a => a.RemoveAllAsync(alumnus.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task NoErasure_TheRequestStands_AndNothingIsTakenBack()
    {
        Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(await RequestAsync(Body(alumnus.Id)));

        store.Verify(s => s.RemoveAllAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        approvalStore.Verify(a => a.RemoveAllAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SensitiveRequestToAFlaggedAlumnus_IsRefused_AndNothingIsWritten()
    {
        alumnus.ConflictOfInterest = new ConflictFlag(RegisterEntry.NewId(), "Competitor", Now.AddDays(-5));

        var outcome = await RequestAsync(Body(alumnus.Id, "Sensitive"));

        Assert.Contains("conflict of interest", Assert.IsType<AdminOutcome<CollaborationRequestView>.Conflict>(outcome).Reason, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public async Task NormalRequestToAFlaggedAlumnus_WaitsForCompliance_WhichIsAsked()
    {
        alumnus.ConflictOfInterest = new ConflictFlag(RegisterEntry.NewId(), "Competitor", Now.AddDays(-5));

        var outcome = await RequestAsync(Body(alumnus.Id));

        var view = Assert.IsType<AdminOutcome<CollaborationRequestView>.Done>(outcome).Value;
        Assert.Equal(RequestStatus.AwaitingApproval, view.Status);
        approvals.Verify(a => a.RequestAsync(It.Is<ApprovalRequest>(r => r.Subject == $"collaboration:{view.Id}" && r.AlumnusId == alumnus.Id &&
            r.FollowUpKind == WorkKinds.CollaborationRequest && r.Summary.Contains("佐藤 一郎")), It.IsAny<CancellationToken>()));
        Assert.DoesNotContain("AwaitingApproval", Assert.Single(audited).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("requesterKind", "Customer")]
    [InlineData("confidentiality", "secret")]
    [InlineData("requesterEmail", "not-an-address")]
    [InlineData("requesterEmail", "ichiro.sato@gmail.com")]
    [InlineData("requesterEmail", "sato@example.com.evil.example")]
    [InlineData("requesterEmail", "sato@notexample.com")]
    [InlineData("alumnusId", "ABC")]
    [InlineData("reason", "")]
    [InlineData("requesterName", "佐藤\u0007")]
    [InlineData("requesterName", "佐藤\n一郎")]
    [InlineData("requesterDepartment", "法人営業部\r\n第二課")]
    [InlineData("reason", "共同提案\u0000")]
    public async Task BadField_IsInvalidByName_AndNothingIsRead(string field, string value)
    {
        var outcome = await RequestAsync(Body(alumnus.Id, change: b => b[field] = value));

        Assert.Equal(field, Assert.Single(Assert.IsType<AdminOutcome<CollaborationRequestView>.Invalid>(outcome).Errors).Field);
        alumni.Verify(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        AssertNothingWritten();
    }

    [Fact]
    public async Task RequesterEmailOutsideTheCompanysDomains_IsRefusedWithTheRule_AndNothingIsWritten()
    {
        var outcome = await RequestAsync(Body(alumnus.Id, change: b => b["requesterEmail"] = "ichiro.sato@example.net"));

        var error = Assert.Single(Assert.IsType<AdminOutcome<CollaborationRequestView>.Invalid>(outcome).Errors);
        Assert.Equal("requesterEmail", error.Field);
        Assert.Contains("company's mail domains (example.com", error.Rule, StringComparison.Ordinal);
        Assert.DoesNotContain("ichiro", error.Rule, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    /// <summary>The reason reaches the alumnus's mail and the compliance queue: line breaks yes, text-direction or line-separator characters no.</summary>
    [Theory]
    [InlineData("決済分野での\u202E案提同共")]
    [InlineData("決済分野\n\u2028共同提案")]
    [InlineData("\u2068Payments\u2069 partnership")]
    public async Task ReasonWithMisleadingCharacters_IsInvalidNamingItsRule_AndNothingIsRead(string reason)
    {
        var outcome = await RequestAsync(Body(alumnus.Id, change: b => b["reason"] = reason));

        Assert.Equal(new Core.Validation.FieldError("reason", Core.Validation.FreeText.MisleadingRule),
            Assert.Single(Assert.IsType<AdminOutcome<CollaborationRequestView>.Invalid>(outcome).Errors));
        alumni.Verify(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        AssertNothingWritten();
    }
}
