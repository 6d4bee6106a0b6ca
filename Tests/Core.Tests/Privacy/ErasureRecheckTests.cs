using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;
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
    private readonly LogLines<ErasureRecheck> logs = new();
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-100), AlumnusStatus.Joined);
    private int takenBack;

    public ErasureRecheckTests() =>
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).Callback((WorkItem i, CancellationToken _) => scheduled.Add(i)).Returns(Task.CompletedTask);

    private Task<bool> WriteStandsAsync(Exception? takeBackFails = null) =>
        new ErasureRecheck(alumni.Object, work.Object, new FakeTimeProvider(Now), logs).WriteStandsAsync(alumnus.Id, _ =>
        {
            takenBack++;
            return takeBackFails is null ? Task.CompletedTask : Task.FromException(takeBackFails);
        }, CancellationToken.None);

    private void ErasureBegan()
    {
        alumnus.ErasureStartedAt = Now;
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);
    }

    private void SchedulingFails() =>
        work.Setup(w => w.ScheduleAsync(It.IsAny<WorkItem>(), It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "storage busy"));

    /// <summary>No line names the person or what was written (ADR 0025: not even that a survey was answered).</summary>
    private void AssertLinesNameNeitherThePersonNorTheRecord() => Assert.All(logs.Lines, line =>
    {
        Assert.DoesNotContain(alumnus.Id.Value, line, StringComparison.Ordinal);
        Assert.DoesNotContain("survey", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("rsvp", line, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public async Task PersonStillHeld_WithNoErasureBegun_WriteStands()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);

        Assert.True(await WriteStandsAsync());
        Assert.Equal(0, takenBack);
        Assert.Empty(scheduled);
    }

    [Fact]
    public async Task ErasureBeganDuringTheWrite_TakesTheWriteBack_AndLeavesWorkNamingThePersonOnly()
    {
        ErasureBegan();

        Assert.False(await WriteStandsAsync());
        Assert.Equal(1, takenBack);
        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, alumnus.Id.Value, Now + TakeBackWrites.Delay), (item.Kind, item.SubjectId, item.DueAt));
        Assert.Empty(logs.Lines);
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
    public async Task TakeBackFails_AnswersAsErased_WithTheWorkItemWritten_AndSaysSoWithoutNamingAnyone()
    {
        // The event stayed busy (or storage failed): the page answers 410, not 500, and the work item removes the record later.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        Assert.False(await WriteStandsAsync(new InvalidOperationException("event stayed busy")));

        var item = Assert.Single(scheduled);
        Assert.Equal((WorkKinds.TakeBack, alumnus.Id.Value), (item.Kind, item.SubjectId));
        var (level, line) = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("could not be taken back (InvalidOperationException); its work item will remove it", line, StringComparison.Ordinal);
        AssertLinesNameNeitherThePersonNorTheRecord();
    }

    [Fact]
    public async Task SchedulingFails_ButTheTakeBackSucceeds_AnswersAsErased_WithoutThrowing()
    {
        // A storage blip on the work item must not keep the page from taking its write back: the write is gone, so 410.
        ErasureBegan();
        SchedulingFails();

        Assert.False(await WriteStandsAsync());

        Assert.Equal(1, takenBack);
        var (level, line) = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("could not be written (RequestFailedException)", line, StringComparison.Ordinal);
        AssertLinesNameNeitherThePersonNorTheRecord();
    }

    [Fact]
    public async Task SchedulingAndTakeBackBothFail_Throws_SoThePageDoesNotSayTheWriteIsGone()
    {
        ErasureBegan();
        SchedulingFails();

        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => WriteStandsAsync(new InvalidOperationException("event stayed busy")));

        Assert.Equal(1, takenBack);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Line.Contains("could not be taken back (InvalidOperationException)", StringComparison.Ordinal));
        AssertLinesNameNeitherThePersonNorTheRecord();
    }
}
