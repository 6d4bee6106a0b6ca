using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class ManageOpeningsTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IComplianceApprovals> approvals = new();
    private readonly Mock<ICampaigns> campaigns = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<Alumnus> members = [];
    private readonly List<Profile> stored = [];

    public ManageOpeningsTests()
    {
        alumni.Setup(a => a.ListMembersPageAsync(It.IsAny<string?>(), It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => (members.ToArray(), null));
        alumni.Setup(a => a.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync((AlumnusId id, CancellationToken _) => members.FirstOrDefault(m => m.Id == id));
        profiles.Setup(p => p.ListRangeAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).Returns(() => stored.ToAsyncEnumerable());
    }

    private ManageOpenings Handler() => new(openings.Object, alumni.Object, profiles.Object, Mock.Of<IConsentLedger>(), approvals.Object, campaigns.Object,
        work.Object, new OpeningsPersonalData(openings.Object, Mock.Of<Core.Rehires.IRehireStore>()),
        new Core.Privacy.ErasureRecheck(alumni.Object, work.Object, new FakeTimeProvider(Now), NullLogger<Core.Privacy.ErasureRecheck>.Instance), audit.Object, Builders.Creates(), Options.Create(new OpeningsOptions()), new CompanyMailDomains(["example.com"]), new FakeTimeProvider(Now), NullLogger<ManageOpenings>.Instance);

    private Opening Stored(Opening opening)
    {
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        return opening;
    }

    /// <summary>A consenting member who left from Retail Banking on <paramref name="lastWorkingDay"/>, with skills shown to employees or not.</summary>
    private Alumnus Member(DateOnly lastWorkingDay, string skills, FieldVisibility shown)
    {
        var member = OpeningBuilders.Member();
        member.LastWorkingDay = lastWorkingDay;
        member.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.JobOffers, ConsentPurpose.EmployeeVisibility };
        members.Add(member);
        stored.Add(OpeningBuilders.Profile(member, ReturnInterest.ProjectWork, skills) with
        {
            Visibility = new Dictionary<ProfileField, FieldVisibility> { [ProfileField.Skills] = shown, [ProfileField.OpenToReturning] = shown },
        });
        return member;
    }

    [Fact]
    public async Task Matches_AreOrderedByTheReasonsShown_NotByReasonsResting_OnHiddenFields()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking", skills: ["リスク管理", "監査"]));
        // More reasons in all (return interest, two skills, department), but only the department is shown; and the later leaver.
        var hidden = Member(new DateOnly(2026, 11, 30), "リスク管理, 監査", FieldVisibility.Alumni);
        var shown = Member(new DateOnly(2026, 6, 30), "リスク管理", FieldVisibility.Employees);

        var outcome = await Handler().MatchesAsync(opening.Id, "recruiter", CancellationToken.None);

        var items = Assert.IsType<AdminOutcome<MatchList>.Done>(outcome).Value.Items;
        Assert.Equal([shown.Id.Value, hidden.Id.Value], items.Select(m => m.AlumnusId));
        Assert.Equal([OpeningMatcher.Returns, OpeningMatcher.Skill, OpeningMatcher.Department], items[0].Reasons.Select(r => r.Kind));
        Assert.Equal([OpeningMatcher.Department], items[1].Reasons.Select(r => r.Kind));
    }

    /// <summary>A flagged member of Retail Banking who matches the opening; the compliance answer is <paramref name="approved"/>, in order of asking.</summary>
    private Alumnus FlaggedMatch(Opening opening, params bool[] approved)
    {
        var member = Member(new DateOnly(2026, 6, 30), "リスク管理", FieldVisibility.Employees);
        member.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", Now.AddDays(-30));
        var answers = approvals.SetupSequence(a => a.IsApprovedAsync(member.Id, opening.Scope, It.IsAny<CancellationToken>()));
        foreach (var answer in approved)
        {
            answers = answers.ReturnsAsync(answer);
        }

        return member;
    }

    /// <summary>What the opening held when its campaign was started, per start.</summary>
    private List<IReadOnlyList<AlumnusId>> StartsWithApprovedFlagged(Opening opening)
    {
        var starts = new List<IReadOnlyList<AlumnusId>>();
        openings.Setup(o => o.TryUpdateAsync(opening, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        openings.Setup(o => o.InterestsAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        campaigns.Setup(c => c.StartAsync(It.Is<CampaignRequest>(r => r.CampaignId == opening.CampaignId), It.IsAny<CancellationToken>()))
            .Callback(() => starts.Add(opening.ApprovedFlagged))
            .ReturnsAsync(new CampaignStart.Started(opening.CampaignId, true));
        return starts;
    }

    /// <summary>
    /// The approval was asked by this send (pending), then decided before SentAt was saved: its follow-up found the opening
    /// unsent and ended. The send picks the decision up after saving SentAt, before the campaign starts.
    /// </summary>
    [Fact]
    public async Task Send_ApprovalDecidedWhileSending_PutsThePersonInTheCampaign_BeforeItStarts()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        var flagged = FlaggedMatch(opening, false, true);
        var starts = StartsWithApprovedFlagged(opening);

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        Assert.Equal([flagged.Id], Assert.Single(starts));
        approvals.Verify(a => a.RequestAsync(It.Is<ApprovalRequest>(r => r.AlumnusId == flagged.Id), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>
    /// Audit first (ADR 0005): a send whose entry cannot be written puts no question in the compliance queue, where a
    /// pending approval about a flagged person would stand with no entry saying who asked it, and saves nothing.
    /// </summary>
    [Fact]
    public async Task Send_AuditWriteFails_AsksComplianceNothing_AndSavesNothing()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        FlaggedMatch(opening, false);
        StartsWithApprovedFlagged(opening);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("audit log unavailable"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None));

        approvals.Verify(a => a.RequestAsync(It.IsAny<ApprovalRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        openings.Verify(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// The send found the person with no erasure begun and approved; the erasure then ran to its end, its last unlink
    /// finding them on no opening yet, before the send wrote them on it: the row, read again, is gone, so the id comes off
    /// again before the campaign starts. Alike when the approval was decided while sending.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false, true)]
    public async Task Send_ErasureFinishedBetweenTheMatchAndTheWrite_TakesTheIdBackOff_BeforeTheCampaignStarts(params bool[] approved)
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        var flagged = FlaggedMatch(opening, approved);
        var starts = StartsWithApprovedFlagged(opening);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => [opening]);
        alumni.Setup(a => a.GetAsync(flagged.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        Assert.Empty(Assert.Single(starts));
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack && i.SubjectId == flagged.Id.Value), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>
    /// The send read the flagged person with no erasure begun; the erasure then removed their approvals and ran to its end
    /// before the send asked compliance about them: the row, read again after the ask, is gone, so the question is taken
    /// back (the work item first) and no pending approval names them in the queue for good.
    /// </summary>
    [Fact]
    public async Task Send_ErasureFinishedBetweenTheMatchAndTheQuestion_TakesTheQuestionBack()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        var flagged = FlaggedMatch(opening, false);
        var starts = StartsWithApprovedFlagged(opening);
        approvals.Setup(a => a.RequestAsync(It.Is<ApprovalRequest>(r => r.AlumnusId == flagged.Id), It.IsAny<CancellationToken>()))
            .Callback(() => members.Remove(flagged)).Returns(Task.CompletedTask);

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        Assert.Empty(Assert.Single(starts));
        approvals.Verify(a => a.RemoveAllAsync(flagged.Id, It.IsAny<CancellationToken>()), Times.Once);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack && i.SubjectId == flagged.Id.Value), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Send_QuestionAskedWithNoErasureBegun_Stands()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        var flagged = FlaggedMatch(opening, false, false);
        StartsWithApprovedFlagged(opening);

        await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        approvals.Verify(a => a.RequestAsync(It.Is<ApprovalRequest>(r => r.AlumnusId == flagged.Id), It.IsAny<CancellationToken>()), Times.Once);
        approvals.Verify(a => a.RemoveAllAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.TakeBack), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Send_ApprovalStillPending_LeavesThePersonOutOfTheCampaign()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        FlaggedMatch(opening, false, false);
        var starts = StartsWithApprovedFlagged(opening);

        await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.Empty(Assert.Single(starts));
    }

    /// <summary>SentAt saved, then the start failed: a repeat starts the campaign under the same id, with approvals decided meanwhile, and sends nothing twice.</summary>
    [Fact]
    public async Task Send_RepeatedAfterAStartThatFailed_StartsTheSameCampaign_WithApprovalsDecidedMeanwhile()
    {
        var opening = OpeningBuilders.Opening(department: "Retail Banking");
        opening.SentAt = Now.AddHours(-1);
        Stored(opening);
        var flagged = FlaggedMatch(opening, true);
        var starts = StartsWithApprovedFlagged(opening);

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        Assert.Equal([flagged.Id], Assert.Single(starts));
        Assert.Equal(Now.AddHours(-1), opening.SentAt);
        approvals.Verify(a => a.RequestAsync(It.IsAny<ApprovalRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        audit.Verify(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Send_AReopenedOpeningWhoseCampaignWasStopped_IsACampaignStoppedConflict_AndSendsNothing()
    {
        var opening = OpeningBuilders.Opening();
        opening.SentAt = Now.AddDays(-2);
        Stored(opening);
        campaigns.Setup(c => c.GetProgressAsync(opening.CampaignId, It.IsAny<CancellationToken>())).ReturnsAsync(
            new CampaignProgress(opening.CampaignId, CampaignKind.Opening, opening.Id, CampaignStatus.Stopped, Now.AddDays(-2), 3, new Dictionary<string, int>(), 1, 0, 0, 0, 0, 0, 0, 0));

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        var conflict = Assert.IsType<AdminOutcome<OpeningView>.Conflict>(outcome);
        Assert.Equal((ConflictCode.CampaignStopped, ManageOpenings.CampaignStopped), (conflict.Code, conflict.Reason));
        openings.Verify(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        audit.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Matches_AHiddenSkillThatIsTheOnlyCriterion_IsNotListed_OnlyCounted()
    {
        var opening = Stored(OpeningBuilders.Opening(skills: ["監査"]));
        var hidden = Member(new DateOnly(2026, 11, 30), "内部監査", FieldVisibility.Alumni);
        var shown = Member(new DateOnly(2026, 6, 30), "監査", FieldVisibility.Employees);

        var outcome = await Handler().MatchesAsync(opening.Id, "recruiter", CancellationToken.None);

        var list = Assert.IsType<AdminOutcome<MatchList>.Done>(outcome).Value;
        Assert.Equal([shown.Id.Value], list.Items.Select(m => m.AlumnusId));
        Assert.Equal((2, 1, 1), (list.Matches, list.Shown, list.MatchOnHiddenFields));
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.Is<IReadOnlyCollection<AlumnusId>>(ids => !ids.Contains(hidden.Id)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Matches_AHiddenSkillAlongsideTheDepartment_IsListedOnTheDepartment()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking", skills: ["監査"]));
        var hidden = Member(new DateOnly(2026, 11, 30), "監査", FieldVisibility.Alumni);

        var list = Assert.IsType<AdminOutcome<MatchList>.Done>(await Handler().MatchesAsync(opening.Id, "recruiter", CancellationToken.None)).Value;

        var item = Assert.Single(list.Items);
        Assert.Equal(hidden.Id.Value, item.AlumnusId);
        Assert.Equal([OpeningMatcher.Department], item.Reasons.Select(r => r.Kind));
        Assert.Equal(0, list.MatchOnHiddenFields);
    }

    /// <summary>ADR 0028: one rule for the list and the campaign, which refuses do-not-contact; flagged, they are not counted for compliance either.</summary>
    [Fact]
    public async Task Matches_LeaveOutDoNotContactMembers_Silently_AndCountNoneForCompliance()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        var reachable = Member(new DateOnly(2026, 6, 30), "監査", FieldVisibility.Employees);
        Member(new DateOnly(2026, 6, 30), "監査", FieldVisibility.Employees).DoNotContact = true;
        var flagged = FlaggedMatch(opening, false);
        flagged.DoNotContact = true;

        var list = Assert.IsType<AdminOutcome<MatchList>.Done>(await Handler().MatchesAsync(opening.Id, "recruiter", CancellationToken.None)).Value;

        Assert.Equal([reachable.Id.Value], list.Items.Select(m => m.AlumnusId));
        Assert.Equal((3, 1, 0, 0), (list.Members, list.Matches, list.NeedsApproval, list.MatchOnHiddenFields));
        approvals.Verify(a => a.IsApprovedAsync(It.IsAny<AlumnusId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Interests_OfAnAlumnusWhoseErasureBegan_ShowNothing()
    {
        var opening = Stored(OpeningBuilders.Opening());
        var erasing = OpeningBuilders.Member();
        erasing.ErasureStartedAt = Now.AddMinutes(-1);
        var staying = OpeningBuilders.Member();
        foreach (var a in new[] { erasing, staying })
        {
            alumni.Setup(s => s.GetAsync(a.Id, It.IsAny<CancellationToken>())).ReturnsAsync(a);
        }

        var interests = new[] { erasing, staying }.Select(a =>
        {
            var i = OpeningInterest.New(opening.Id, a.Id);
            i.Express("Hello", Now.AddHours(-1));
            return i;
        }).ToArray();
        openings.Setup(o => o.InterestsAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(interests);

        var outcome = await Handler().InterestsAsync(opening.Id, "recruiter", CancellationToken.None);

        var views = Assert.IsType<AdminOutcome<IReadOnlyList<InterestView>>.Done>(outcome).Value;
        Assert.Equal([staying.Id.Value], views.Select(v => v.AlumnusId));
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.Is<IReadOnlyCollection<AlumnusId>>(ids => !ids.Contains(erasing.Id)), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Send_RetriedAfterAnotherWriteToTheOpening_IsAuditedBeforeEachWrite_AndTheLostAttemptAsNotSaved()
    {
        var opening = OpeningBuilders.Opening(department: "Retail Banking");
        Member(new DateOnly(2026, 6, 30), "監査", FieldVisibility.Employees);
        StartsWithApprovedFlagged(opening);
        // Each read is the stored row as it is: unsent until the one write that wins.
        var saved = false;
        Opening Read() => new()
        {
            Id = opening.Id, Details = opening.Details, CreatedAt = opening.CreatedAt, CreatedBy = opening.CreatedBy, UpdatedAt = opening.UpdatedAt,
            SentAt = saved ? Now : null,
        };
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => Read());
        var writes = 0;
        var order = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => order.Add(e.Action)).Returns(Task.CompletedTask);
        openings.Setup(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()))
            .Callback(() => order.Add("save")).ReturnsAsync(() => saved = ++writes > 1);

        var outcome = await Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        const string Sent = OpeningAuditActions.Sent;
        Assert.Equal([Sent, "save", UnsavedChange.NotSavedAction(Sent), Sent, "save"], order.Where(o => o is Sent or "save" || o == UnsavedChange.NotSavedAction(Sent)));
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(e => e.Action == UnsavedChange.NotSavedAction(Sent) && e.Subject == opening.Id && e.Actor == "recruiter"), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>
    /// An edit that fixes a mailbox outside the company's domains asks the held notices at once, unless it also closes the
    /// opening: a closed opening's recruiter gets no one's details (ADR 0028).
    /// </summary>
    [Theory]
    [InlineData("Open", 1)]
    [InlineData("Closed", 0)]
    public async Task Update_FixingAHeldBackMailbox_ReleasesTheHeldNotices_OnlyWhileTheOpeningIsOpen(string status, int released)
    {
        var opening = OpeningBuilders.Opening();
        opening.Details = opening.Details with { RecruiterMailbox = EmailAddress.Parse("recruiter@private.example.org") };
        Stored(opening);
        openings.Setup(o => o.TryUpdateAsync(opening, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var interest = OpeningInterest.New(opening.Id, OpeningBuilders.Member().Id);
        interest.Express("Call me", Now.AddDays(-1));
        openings.Setup(o => o.InterestsAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync([interest]);
        var body = $$"""
            {"title": {"ja": "リスク管理プロジェクト", "en": "Risk project"}, "description": {"ja": "説明", "en": "Description"},
             "kind": "ShortTermProject", "remote": true, "skills": [], "start": "2027-04-01", "end": "2027-09-30",
             "recruiterMailbox": "careers@example.com", "confidentiality": "Normal", "status": "{{status}}"}
            """;

        var outcome = await Handler().UpdateAsync(opening.Id, Encoding.UTF8.GetBytes(body), seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        work.Verify(w => w.ScheduleAsync(It.Is<WorkItem>(i => i.Kind == WorkKinds.OpeningInterest), It.IsAny<CancellationToken>()), Times.Exactly(released));
    }

    /// <summary>
    /// An edit whose write lost to another (ETag) is retried from a fresh read and audited again: the lost attempt's entry
    /// is followed by its not-saved entry, so one update stands for the one edit saved (ADR 0005).
    /// </summary>
    [Fact]
    public async Task Update_LostToAnotherWrite_FollowsTheLostAttemptsEntryWithItsNotSavedEntry()
    {
        var opening = Stored(OpeningBuilders.Opening());
        openings.SetupSequence(o => o.TryUpdateAsync(opening, It.IsAny<CancellationToken>())).ReturnsAsync(false).ReturnsAsync(true);
        openings.Setup(o => o.InterestsAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var actions = new List<string>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => actions.Add(e.Action));
        var body = """
            {"title": {"ja": "リスク管理プロジェクト", "en": "Risk project"}, "description": {"ja": "説明", "en": "Description"},
             "kind": "ShortTermProject", "remote": true, "skills": [], "start": "2027-04-01", "end": "2027-09-30",
             "recruiterMailbox": "careers@example.com", "confidentiality": "Normal", "status": "Open"}
            """;

        var outcome = await Handler().UpdateAsync(opening.Id, Encoding.UTF8.GetBytes(body), seen: null, "recruiter", CancellationToken.None);

        Assert.IsType<AdminOutcome<OpeningView>.Done>(outcome);
        Assert.Equal([OpeningAuditActions.Updated, UnsavedChange.NotSavedAction(OpeningAuditActions.Updated), OpeningAuditActions.Updated], actions);
    }

    [Fact]
    public async Task Send_WhoseAuditWriteFails_SavesNothing_AndStartsNoCampaign()
    {
        var opening = Stored(OpeningBuilders.Opening(department: "Retail Banking"));
        Member(new DateOnly(2026, 6, 30), "監査", FieldVisibility.Employees);
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("audit log unavailable"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler().SendAsync(opening.Id, seen: null, "recruiter", CancellationToken.None));

        openings.Verify(o => o.TryUpdateAsync(It.IsAny<Opening>(), It.IsAny<CancellationToken>()), Times.Never);
        campaigns.Verify(c => c.StartAsync(It.IsAny<CampaignRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
