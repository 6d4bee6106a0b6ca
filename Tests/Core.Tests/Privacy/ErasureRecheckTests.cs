using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using Moq;

namespace AlumniNetwork.Core.Tests.Privacy;

/// <summary>A page's write through a signed link, looked at again against the person's row once it is written.</summary>
public sealed class ErasureRecheckTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Alumnus alumnus = Builders.Alumnus(Now.AddDays(-100), AlumnusStatus.Joined);
    private int takenBack;

    private Task<bool> WriteStandsAsync() =>
        new ErasureRecheck(alumni.Object).WriteStandsAsync(alumnus.Id, _ =>
        {
            takenBack++;
            return Task.CompletedTask;
        }, CancellationToken.None);

    [Fact]
    public async Task PersonStillHeld_WithNoErasureBegun_WriteStands()
    {
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);

        Assert.True(await WriteStandsAsync());
        Assert.Equal(0, takenBack);
    }

    [Fact]
    public async Task ErasureBeganDuringTheWrite_TakesTheWriteBack()
    {
        alumnus.ErasureStartedAt = Now;
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync(alumnus);

        Assert.False(await WriteStandsAsync());
        Assert.Equal(1, takenBack);
    }

    [Fact]
    public async Task ErasureFinishedDuringTheWrite_TakesTheWriteBack()
    {
        // The record is gone: nothing would ever look for what was written.
        alumni.Setup(a => a.GetAsync(alumnus.Id, It.IsAny<CancellationToken>())).ReturnsAsync((Alumnus?)null);

        Assert.False(await WriteStandsAsync());
        Assert.Equal(1, takenBack);
    }
}
