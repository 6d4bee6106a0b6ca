using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Conflicts;

/// <summary>Checking one alumnus: what is read, what is written and in which order, and the cooling-off's wake-up.</summary>
public sealed class ConflictChecksTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly Mock<IConflictRegister> register = new();
    private readonly Mock<IConflictAssessments> assessments = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<string> writes = [];
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);
    private readonly RegisterEntry entry = new(RegisterEntry.NewId(), "株式会社サンプル商事", ConflictCategory.Competitor, ["Sample Trading"], 30, "officer", Now.AddDays(-10));

    public ConflictChecksTests()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).Callback(() => writes.Add($"alumnus:{alumnus.ConflictOfInterest?.Category}")).ReturnsAsync(true);
        assessments.Setup(a => a.SaveAsync(It.IsAny<ConflictAssessment>(), It.IsAny<CancellationToken>())).Callback((ConflictAssessment a, CancellationToken _) => writes.Add($"saved:{a.EntryId}"));
        assessments.Setup(a => a.RemoveAsync(alumnus.Id, It.IsAny<CancellationToken>())).Callback(() => writes.Add("removed"));
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem w, CancellationToken _) => writes.Add($"work:{w.Kind}@{w.DueAt:O}"));
        register.Setup(r => r.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((string key, CancellationToken _) => entry.Keys.Contains(key) ? entry : null);
        register.Setup(r => r.GetAsync(entry.Id, It.IsAny<CancellationToken>())).ReturnsAsync(entry);
    }

    private ConflictChecks Checks(FakeTimeProvider? time = null)
    {
        var clock = time ?? new FakeTimeProvider(Now.AddMilliseconds(250));
        return new(register.Object, assessments.Object, profiles.Object, alumni.Object, work.Object,
            new WorkItemRunner(work.Object, Options.Create(new DispatchOptions()), clock, NullLogger<WorkItemRunner>.Instance),
            new ErasureRecheck(alumni.Object, work.Object, clock, NullLogger<ErasureRecheck>.Instance), clock, NullLogger<ConflictChecks>.Instance);
    }

    private void Employer(string employer) => profiles.Setup(p => p.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
        new Profile(alumnus.Id, new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = employer }, ReturnInterest.Unspecified, new Dictionary<ProfileField, FieldVisibility>(), Now));

    private void Previously(ConflictAssessment? assessment)
    {
        assessments.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(assessment);
        alumnus.ConflictOfInterest = assessment?.Flag;
    }

    [Fact]
    public async Task MatchingEmployer_WritesTheFlagOnTheRowFirst_ThenTheAssessment_ToTheSecond()
    {
        Employer("SAMPLE TRADING CO., LTD.");

        var assessment = await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Equal(["alumnus:Competitor", $"saved:{entry.Id}"], writes);
        Assert.Equal(Now, assessment!.Since);
        Assert.Equal(new ConflictFlag(entry.Id, "Competitor", Now), alumnus.ConflictOfInterest);
    }

    [Fact]
    public async Task NothingChanged_WritesNothing()
    {
        Employer("Sample Trading");
        Previously(new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-3)));

        await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Empty(writes);
    }

    [Fact]
    public async Task AssessmentWrittenButNotTheRow_IsRepairedByTheNextCheck()
    {
        Employer("Sample Trading");
        Previously(new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-3)));
        alumnus.ConflictOfInterest = null;

        await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Equal(["alumnus:Competitor"], writes);
    }

    [Fact]
    public async Task LeavingAnEntryWithCoolingOff_SchedulesTheCheckThatEndsIt_BeforeWriting()
    {
        Employer("Independent consulting");
        Previously(new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-3)));

        var assessment = await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Equal(Now.AddDays(30), assessment!.CoolingOffUntil);
        Assert.Equal([$"work:{WorkKinds.ConflictCheck}@{Now.AddDays(30):O}", $"saved:{entry.Id}"], writes);
        Assert.NotNull(alumnus.ConflictOfInterest);
    }

    [Fact]
    public async Task LeavingAnEntryWithoutCoolingOff_DuringAnEarlierOnesCoolingOff_FlagsByTheEarlierEntry_AndSchedulesItsEnd()
    {
        var client = new RegisterEntry(RegisterEntry.NewId(), "Client Corp", ConflictCategory.ClientUnderEngagement, [], null, "officer", Now.AddDays(-10));
        register.Setup(r => r.GetAsync(client.Id, It.IsAny<CancellationToken>())).ReturnsAsync(client);
        Employer("Independent consulting");
        var earlier = new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-60), Now.AddDays(20));
        Previously(new ConflictAssessment(alumnus.Id, client.Id, client.Category, client.Name, "Client Corp", "Client Corp", Now.AddDays(-10), Earlier: earlier));

        var assessment = await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Equal(earlier, assessment);
        Assert.Equal([$"work:{WorkKinds.ConflictCheck}@{Now.AddDays(20):O}", "alumnus:Competitor", $"saved:{entry.Id}"], writes);
        Assert.Equal(new ConflictFlag(entry.Id, "Competitor", Now.AddDays(-60)), alumnus.ConflictOfInterest);
    }

    [Fact]
    public async Task FlagLifted_ClearsTheRowThenRemovesTheAssessment()
    {
        Employer("Independent consulting");
        Previously(new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-60), Now.AddDays(-1)));

        Assert.Null(await Checks().CheckAsync(alumnus.Id, CancellationToken.None));

        Assert.Equal(["alumnus:", "removed"], writes);
        Assert.Null(alumnus.ConflictOfInterest);
    }

    [Fact]
    public async Task ChecksWrittenBeforeAWrite_FallDueTheWriteGraceLater_AndAgainOnlyAfterASlowWrite()
    {
        var clock = new FakeTimeProvider(Now);
        var checks = Checks(clock);

        await checks.ScheduleCheckAsync(alumnus.Id, CancellationToken.None);
        await checks.ScheduleEveryoneAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await checks.ScheduleCheckAsync(alumnus.Id, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await checks.ScheduleEveryoneAsync(CancellationToken.None);

        var due = Now + IntentWork.WriteGrace;
        Assert.Equal([$"work:{WorkKinds.ConflictCheck}@{due:O}", $"work:{WorkKinds.ConflictRegister}@{due:O}",
            $"work:{WorkKinds.ConflictRegister}@{due.AddSeconds(3):O}"], writes);
    }

    [Fact]
    public async Task AlumnusNoLongerHeld_OnlyTheAssessmentIsRemoved()
    {
        var gone = AlumnusId.New();

        Assert.Null(await Checks().CheckAsync(gone, CancellationToken.None));

        assessments.Verify(a => a.RemoveAsync(gone, It.IsAny<CancellationToken>()));
        alumni.Verify(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AlumnusWhoseErasureIsUnderWay_IsTreatedAsGone_TheAssessmentIsRemovedAndNothingIsWritten()
    {
        Employer("Sample Trading");
        Previously(new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-3)));
        alumnus.ErasureStartedAt = Now.AddMinutes(-1);

        Assert.Null(await Checks().CheckAsync(alumnus.Id, CancellationToken.None));

        Assert.Equal(["removed"], writes);
        assessments.Verify(a => a.SaveAsync(It.IsAny<ConflictAssessment>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ErasureBeganBetweenTheReadAndTheSave_TheSavedAssessmentIsTakenBack_ItsWorkItemFirst()
    {
        // The erasure removes the assessment once; one the check saves after that step must not stay for compliance to see.
        Employer("Sample Trading");
        assessments.Setup(a => a.SaveAsync(It.IsAny<ConflictAssessment>(), It.IsAny<CancellationToken>())).Callback((ConflictAssessment a, CancellationToken _) =>
        {
            writes.Add($"saved:{a.EntryId}");
            alumnus.ErasureStartedAt = Now;
        });

        Assert.Null(await Checks().CheckAsync(alumnus.Id, CancellationToken.None));

        Assert.Equal(["alumnus:Competitor", $"saved:{entry.Id}", $"work:{WorkKinds.TakeBack}@{Now.AddMilliseconds(250) + TakeBackWrites.Delay:O}", "removed"], writes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryoneCheck_RemovesAnUnchangedAssessmentWhosePersonIsGoneOrBeingErased(bool beingErased)
    {
        var profile = new Profile(alumnus.Id, new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = "Sample Trading" },
            ReturnInterest.Unspecified, new Dictionary<ProfileField, FieldVisibility>(), Now);
        register.Setup(r => r.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([entry]);
        assessments.Setup(a => a.ListAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new ConflictAssessment(alumnus.Id, entry.Id, entry.Category, entry.Name, "Sample Trading", "Sample Trading", Now.AddDays(-3))]);
        profiles.Setup(p => p.ListRangeAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .Returns((AlumnusId first, AlumnusId _, CancellationToken _) => new[] { profile }.Where(p => p.AlumnusId.Bucket == first.Bucket).ToAsyncEnumerable());
        if (beingErased)
        {
            alumnus.ErasureStartedAt = Now.AddMinutes(-1);
        }
        else
        {
            alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);
        }

        Assert.Equal(1, await Checks().CheckEveryoneAsync(CancellationToken.None));

        Assert.Equal(["removed"], writes);
    }

    [Fact]
    public async Task EveryoneCheck_SavesNothingForAPersonWhoseErasureIsUnderWay()
    {
        var profile = new Profile(alumnus.Id, new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = "Sample Trading" },
            ReturnInterest.Unspecified, new Dictionary<ProfileField, FieldVisibility>(), Now);
        register.Setup(r => r.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([entry]);
        assessments.Setup(a => a.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        profiles.Setup(p => p.ListRangeAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .Returns((AlumnusId first, AlumnusId _, CancellationToken _) => new[] { profile }.Where(p => p.AlumnusId.Bucket == first.Bucket).ToAsyncEnumerable());
        alumnus.ErasureStartedAt = Now.AddMinutes(-1);

        Assert.Equal(0, await Checks().CheckEveryoneAsync(CancellationToken.None));

        Assert.Empty(writes);
    }

    [Fact]
    public async Task RowChangedMeanwhile_IsReadAgainAndWritten()
    {
        Employer("Sample Trading");
        var fresh = Builders.Alumnus(Now.AddDays(-200), AlumnusStatus.Joined);
        alumni.SetupSequence(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus).ReturnsAsync(fresh);
        alumni.Setup(a => a.TryUpdateAsync(alumnus, It.IsAny<CancellationToken>())).ReturnsAsync(false);
        alumni.Setup(a => a.TryUpdateAsync(fresh, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        await Checks().CheckAsync(alumnus.Id, CancellationToken.None);

        Assert.Equal("Competitor", fresh.ConflictOfInterest?.Category);
    }

    [Fact]
    public async Task EveryoneCheck_WritesOnlyTheAlumniWhoseAssessmentChanged()
    {
        var unchanged = new Profile(AlumnusId.Parse("00" + new string('1', 30)), new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = "Other" },
            ReturnInterest.Unspecified, new Dictionary<ProfileField, FieldVisibility>(), Now);
        var matching = new Profile(alumnus.Id, new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = "ｻﾝﾌﾟﾙ商事" },
            ReturnInterest.Unspecified, new Dictionary<ProfileField, FieldVisibility>(), Now);
        register.Setup(r => r.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([entry]);
        assessments.Setup(a => a.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        profiles.Setup(p => p.ListRangeAsync(It.IsAny<AlumnusId>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .Returns((AlumnusId first, AlumnusId _, CancellationToken _) => new[] { unchanged, matching }.Where(p => p.AlumnusId.Bucket == first.Bucket).ToAsyncEnumerable());

        var changed = await Checks().CheckEveryoneAsync(CancellationToken.None);

        Assert.Equal(1, changed);
        Assert.Equal(["alumnus:Competitor", $"saved:{entry.Id}"], writes);
        alumni.Verify(a => a.GetAsync(unchanged.AlumnusId, It.IsAny<CancellationToken>()), Times.Never);
    }
}
