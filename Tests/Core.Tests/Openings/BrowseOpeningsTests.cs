using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Openings;

/// <summary>The recruiter's notice of an interest expressed on the page cannot run before the interest lands (ADR 0028).</summary>
public sealed class BrowseOpeningsTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IOpeningStore> openings = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<(WorkItem Item, bool InterestSaved)> scheduled = [];
    private readonly LinkTokenService tokens;
    private readonly Alumnus member = OpeningBuilders.Member();
    private readonly Opening opening = OpeningBuilders.Opening();
    private bool saved;

    public BrowseOpeningsTests()
    {
        tokens = new LinkTokenService(Builders.Links(), time);
        alumni.Setup(a => a.GetAsync(member.Id, It.IsAny<CancellationToken>())).ReturnsAsync(member);
        openings.Setup(o => o.GetAsync(opening.Id, It.IsAny<CancellationToken>())).ReturnsAsync(opening);
        openings.Setup(o => o.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([opening]);
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>()))
            .Callback((WorkItem item, CancellationToken _) => scheduled.Add((item, saved))).Returns(Task.CompletedTask);
    }

    private Task<OpeningsView> ExpressAsync() =>
        new BrowseOpenings(new SignedLinkAccess(tokens, alumni.Object), openings.Object, work.Object,
                new OpeningsPersonalData(openings.Object, Mock.Of<IRehireStore>()),
                new Core.Privacy.ErasureRecheck(alumni.Object, work.Object, time, NullLogger<Core.Privacy.ErasureRecheck>.Instance), time,
                NullLogger<BrowseOpenings>.Instance)
            .RespondAsync(tokens.Issue(LinkPurpose.Openings, member), opening.Id, InterestChoice.Interest, "よろしくお願いします", CancellationToken.None);

    [Fact]
    public async Task InterestExpressed_ItsNoticeWorkFallsDueOnlyAfterTheWriteGrace()
    {
        openings.Setup(o => o.TrySaveInterestAsync(It.IsAny<OpeningInterest>(), It.IsAny<CancellationToken>()))
            .Callback(() => saved = true).ReturnsAsync(true);

        var view = await ExpressAsync();

        Assert.Equal(InterestOutcome.Expressed, view.Outcome);
        var (item, _) = Assert.Single(scheduled);
        Assert.Equal(WorkKinds.OpeningInterest, item.Kind);
        Assert.Equal(OpeningWork.PersonSubject(opening.Id, member.Id), item.SubjectId);
        Assert.True(item.DueAt >= Now + IntentWork.WriteGrace, "due at once, the notice can run before the interest lands, find nothing and complete");
    }

    [Fact]
    public async Task InterestWrittenSlowly_ItsNoticeWorkIsWrittenAgainAfterTheWrite()
    {
        // The write took longer than the grace: the first work item may have run already and found nothing pending.
        openings.Setup(o => o.TrySaveInterestAsync(It.IsAny<OpeningInterest>(), It.IsAny<CancellationToken>()))
            .Callback(() => { time.Advance(IntentWork.WriteGrace); saved = true; }).ReturnsAsync(true);

        await ExpressAsync();

        Assert.Contains(scheduled, s => s.InterestSaved && s.Item.Kind == WorkKinds.OpeningInterest && s.Item.DueAt > Now + IntentWork.WriteGrace);
    }
}
