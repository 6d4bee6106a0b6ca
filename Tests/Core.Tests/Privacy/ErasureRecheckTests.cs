using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Privacy;

/// <summary>A page's write through a signed link, looked at again against the person's row once it is written.</summary>
public sealed class ErasureRecheckTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly List<WorkItem> scheduled = [];
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-100), AlumnusStatus.Joined);
    private int takenBack;

    public ErasureRecheckTests() =>
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);

    private Task<bool> WriteStandsAsync(Exception? takeBackFails = null) =>
        new ErasureRecheck(alumni.Object, work.Object, new FakeTimeProvider(Now), NullLogger<ErasureRecheck>.Instance).WriteStandsAsync(alumnus.Id, TakenBack.Rsvp, _ =>
        {
            takenBack++;
            return takeBackFails is null ? Task.CompletedTask : Task.FromException(takeBackFails);
        }, CancellationToken.None);

    [Fact]
    public async Task PersonStillHeld_WithNoErasureBegun_WriteStands()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);

        Assert.True(await WriteStandsAsync());
        Assert.Equal(0, takenBack);
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task ErasureBeganDuringTheWrite_TakesTheWriteBack_AndLeavesWorkToRemoveIt()
    {
        alumnus.ErasureStartedAt = Now;
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);

        Assert.False(await WriteStandsAsync());
        Assert.Equal(1, takenBack);
        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, $"rsvp-{alumnus.Id.Value}", Now + TakeBackWrites.Delay), (item.Kind, item.SubjectId, item.DueAt));
    }

    [Fact]
    public async Task ErasureFinishedDuringTheWrite_TakesTheWriteBack()
    {
        // The record is gone: nothing would ever look for what was written.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        Assert.False(await WriteStandsAsync());
        Assert.Equal(1, takenBack);
        Assert.Single(scheduled);
    }

    [Fact]
    public async Task TakeBackFails_AnswersAsErased_WithTheWorkItemWritten()
    {
        // The event stayed busy (or storage failed): the page answers 410, not 500, and the work item removes the record later.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        Assert.False(await WriteStandsAsync(new InvalidOperationException("event stayed busy")));
        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, $"rsvp-{alumnus.Id.Value}"), (item.Kind, item.SubjectId));
    }
}
