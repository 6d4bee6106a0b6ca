using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class AlumnusReturnTests
{
    private static readonly DateTimeOffset DueAt = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Return_AfterTheLastWorkingDay_MakesTheAlumnusReturned_Once()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Joined);

        Assert.True(alumnus.Return(new DateOnly(2027, 4, 1)));
        Assert.False(alumnus.Return(new DateOnly(2027, 4, 1)));
        Assert.Equal((AlumnusStatus.Returned, new DateOnly(2027, 4, 1)), (alumnus.Status, alumnus.ReturnedOn!.Value));
    }

    [Fact]
    public void Return_OnOrBeforeTheLastWorkingDay_ChangesNothing()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Joined);

        Assert.False(alumnus.Return(new DateOnly(2026, 11, 30)));
        Assert.Equal(AlumnusStatus.Joined, alumnus.Status);
    }

    [Fact]
    public void ReturnedMemberLeavingAgain_IsAMemberAgain_WithoutANewInvitation()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Joined);
        alumnus.JoinedAt = DueAt.AddDays(1);
        alumnus.Return(new DateOnly(2027, 4, 1));

        var (changed, rescheduled) = alumnus.ApplyRepeatedDeparture(Builders.Notice(lastWorkingDay: "2029-03-31"), DueAt.AddYears(3));

        Assert.Equal((true, false), (changed, rescheduled));
        Assert.Equal((AlumnusStatus.Joined, (DateOnly?)null), (alumnus.Status, alumnus.ReturnedOn));
    }

    [Fact]
    public void ReturnedBeforeTheInvitation_LeavingAgain_IsInvitedAfterTheNewLastDay()
    {
        var alumnus = Builders.Alumnus(DueAt);
        alumnus.Return(new DateOnly(2027, 4, 1));

        var (_, rescheduled) = alumnus.ApplyRepeatedDeparture(Builders.Notice(lastWorkingDay: "2029-03-31"), DueAt.AddYears(3));

        Assert.True(rescheduled);
        Assert.Equal((AlumnusStatus.Departed, DueAt.AddYears(3)), (alumnus.Status, alumnus.WelcomeDueAt));
    }

    [Fact]
    public void ReturnedAlumnus_IsNotDueAWelcome_AndCannotJoinAgainMeanwhile()
    {
        var alumnus = Builders.Alumnus(DueAt);
        alumnus.Return(new DateOnly(2027, 4, 1));

        Assert.False(alumnus.IsWelcomeDue(DueAt.AddDays(1)));
        Assert.False(alumnus.Join(DueAt.AddDays(1)));
    }
}
