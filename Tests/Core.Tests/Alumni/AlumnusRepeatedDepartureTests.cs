using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Tests.Alumni;

/// <summary>What a departure sent again does to the record: HR corrects its own fields until the person joins; a member's record is theirs.</summary>
public sealed class AlumnusRepeatedDepartureTests
{
    private static readonly DateTimeOffset DueAt = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static DepartureNotice Corrected(string lastWorkingDay = "2026-11-30") => Builders.Notice(lastWorkingDay: lastWorkingDay, locale: Locale.English) with
    {
        PersonalEmail = EmailAddress.Parse("hanako.yamada@example.net"),
        GivenName = "Hanako",
        FamilyName = "Yamada",
        Department = "Markets",
        JobTitle = "Senior Analyst",
        HireDate = new DateOnly(2017, 4, 1),
    };

    private static void AssertHrFieldsOf(DepartureNotice notice, Alumnus alumnus) =>
        Assert.Equal(
            (notice.PersonalEmail, notice.GivenName, notice.FamilyName, notice.Department, notice.JobTitle, notice.HireDate, notice.Locale),
            (alumnus.PersonalEmail, alumnus.GivenName, alumnus.FamilyName, alumnus.Department, alumnus.JobTitle, alumnus.HireDate, alumnus.Locale));

    [Fact]
    public void SameDayResend_BeforeTheWelcome_TakesHrCorrections_WithoutMovingTheInvitation()
    {
        var alumnus = Builders.Alumnus(DueAt);

        var (changed, rescheduled) = alumnus.ApplyRepeatedDeparture(Corrected(), DueAt.AddDays(9));

        Assert.Equal((true, false), (changed, rescheduled));
        AssertHrFieldsOf(Corrected(), alumnus);
        Assert.Equal((AlumnusStatus.Departed, DueAt), (alumnus.Status, alumnus.WelcomeDueAt));
    }

    [Fact]
    public void SameDayResend_AfterTheWelcome_WithTheSameAddress_TakesHrCorrections_AndStaysInvited()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);

        var (changed, rescheduled) = alumnus.ApplyRepeatedDeparture(Corrected() with { PersonalEmail = alumnus.PersonalEmail }, DueAt.AddDays(9), DueAt.AddDays(3));

        Assert.Equal((true, false), (changed, rescheduled));
        Assert.Equal((AlumnusStatus.Invited, DueAt), (alumnus.Status, alumnus.WelcomeDueAt));
    }

    [Fact]
    public void CorrectedAddress_AfterTheWelcome_MakesTheWelcomeDueAgainNow_ForTheNewAddress()
    {
        // The welcome went to a mistyped address: the person was never invited.
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        alumnus.InvitedAt = DueAt;
        var now = DueAt.AddDays(3);

        var (changed, rescheduled) = alumnus.ApplyRepeatedDeparture(Corrected(), DueAt, now);

        Assert.Equal((true, true), (changed, rescheduled));
        AssertHrFieldsOf(Corrected(), alumnus);
        Assert.Equal((AlumnusStatus.Departed, (DateTimeOffset?)null, now), (alumnus.Status, alumnus.InvitedAt, alumnus.WelcomeDueAt));
        Assert.Equal((false, false), alumnus.ApplyRepeatedDeparture(Corrected(), DueAt, now.AddMinutes(5)));
        Assert.Equal(now, alumnus.WelcomeDueAt);
    }

    [Fact]
    public void CorrectedAddress_AfterTheWelcome_WithALaterLastWorkingDay_WaitsForThatDay()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);

        var (changed, rescheduled) = alumnus.ApplyRepeatedDeparture(Corrected("2026-12-20"), DueAt.AddDays(20), DueAt.AddDays(3));

        Assert.Equal((true, true), (changed, rescheduled));
        Assert.Equal((AlumnusStatus.Departed, new DateOnly(2026, 12, 20), DueAt.AddDays(20)), (alumnus.Status, alumnus.LastWorkingDay, alumnus.WelcomeDueAt));
    }

    [Fact]
    public void SameDayResend_WithoutTheOptionalFields_KeepsTheStoredOnes()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        alumnus.ApplyRepeatedDeparture(Corrected(), DueAt);

        var (changed, _) = alumnus.ApplyRepeatedDeparture(
            Corrected() with { Department = null, JobTitle = null, HireDate = null, Locale = Locale.Japanese, LocaleStated = false }, DueAt);

        Assert.False(changed);
        AssertHrFieldsOf(Corrected(), alumnus);
    }

    [Fact]
    public void SameDayResend_WithANewDepartment_ChangesIt()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        alumnus.ApplyRepeatedDeparture(Corrected(), DueAt);

        var (changed, _) = alumnus.ApplyRepeatedDeparture(Corrected() with { Department = "Treasury" }, DueAt);

        Assert.True(changed);
        Assert.Equal(("Treasury", "Senior Analyst"), (alumnus.Department, alumnus.JobTitle));
    }

    [Fact]
    public void SameDayReplay_OfTheSameData_ChangesNothing()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);

        Assert.Equal((false, false), alumnus.ApplyRepeatedDeparture(Builders.Notice(), DueAt));
    }

    [Fact]
    public void EarlierDay_BeforeJoining_ChangesNothing()
    {
        var alumnus = Builders.Alumnus(DueAt);

        Assert.Equal((false, false), alumnus.ApplyRepeatedDeparture(Corrected("2026-11-01"), DueAt));
        AssertHrFieldsOf(Builders.Notice(), alumnus);
    }

    [Theory]
    [InlineData("2026-11-30")]
    [InlineData("2026-12-31")]
    public void Replay_ForAMember_LeavesTheirAddressNamesAndLanguage(string lastWorkingDay)
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Joined);
        alumnus.JoinedAt = DueAt.AddDays(1);

        alumnus.ApplyRepeatedDeparture(Corrected(lastWorkingDay), DueAt.AddMonths(1));

        AssertHrFieldsOf(Builders.Notice(), alumnus);
        Assert.Equal(AlumnusStatus.Joined, alumnus.Status);
    }

    [Fact]
    public void NewDepartureAfterAReturn_TakesTheNewAddressAndNames()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Joined);
        alumnus.JoinedAt = DueAt.AddDays(1);
        alumnus.Return(new DateOnly(2027, 4, 1));

        var (changed, _) = alumnus.ApplyRepeatedDeparture(Corrected("2030-03-31"), DueAt.AddYears(4));

        Assert.True(changed);
        AssertHrFieldsOf(Corrected(), alumnus);
        Assert.Equal((AlumnusStatus.Joined, new DateOnly(2030, 3, 31)), (alumnus.Status, alumnus.LastWorkingDay));
    }

    [Fact]
    public void SameDayReplay_WhileReturned_ChangesNothing()
    {
        var alumnus = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        alumnus.Return(new DateOnly(2027, 4, 1));

        Assert.Equal((false, false), alumnus.ApplyRepeatedDeparture(Corrected(), DueAt));
        AssertHrFieldsOf(Builders.Notice(), alumnus);
    }

    [Fact]
    public void CorrectedAddress_StartsOneNewWelcomeRound_WhichAResendOfTheCorrectionDoesNotRepeat()
    {
        var invited = Builders.Alumnus(DueAt, AlumnusStatus.Invited);
        invited.InvitedAt = DueAt;
        var departed = Builders.Alumnus(DueAt);
        var member = Builders.Alumnus(DueAt, AlumnusStatus.Joined);

        foreach (var alumnus in new[] { invited, departed, member })
        {
            alumnus.ApplyRepeatedDeparture(Corrected(), DueAt, DueAt.AddDays(3));
            alumnus.ApplyRepeatedDeparture(Corrected(), DueAt, DueAt.AddDays(4));
        }

        Assert.Equal((2, 2, 1), (invited.WelcomeRound, departed.WelcomeRound, member.WelcomeRound));
        invited.MarkInvited(DueAt.AddDays(5));
        invited.ApplyRepeatedDeparture(Corrected(), DueAt, DueAt.AddDays(6));
        Assert.Equal((AlumnusStatus.Invited, 2), (invited.Status, invited.WelcomeRound));
    }
}
