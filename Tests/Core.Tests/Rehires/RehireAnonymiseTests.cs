using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Core.Tests.Rehires;

public sealed class RehireAnonymiseTests
{
    private static readonly DateTimeOffset Now = new(2027, 4, 15, 0, 0, 0, TimeSpan.Zero);

    private static Rehire Returned(string? emailKey, DateOnly left, params Touch[] touches)
    {
        var alumnus = Builders.Alumnus(Now.AddYears(-1), AlumnusStatus.Joined);
        alumnus.LastWorkingDay = left;
        var rehire = new Rehire { Key = new string('a', 64), HiredOn = new DateOnly(2027, 4, 1), EmployeeKey = "e", EmailKey = emailKey, ReceivedAt = Now };
        rehire.Match(alumnus, touches, Now);
        return rehire;
    }

    [Fact]
    public void Anonymise_KeepsOnlyWhatTheInsightsCount_NoAddressPseudonym_TheMonthLeft_AndTouchesAsKinds()
    {
        var rehire = Returned("email-key", new DateOnly(2026, 9, 17),
            new Touch(TouchKind.Campaign, "c1", "Newsletter", "email", Now.AddDays(-90), First: true),
            new Touch(TouchKind.Opening, "o1", "Comeback", "interest", Now.AddDays(-10), Last: true));

        rehire.Anonymise();

        Assert.Equal((null, null), (rehire.AlumnusId, rehire.EmailKey));
        Assert.Equal(new DateOnly(2026, 9, 1), rehire.LastWorkingDay);
        Assert.Equal(
            [new Touch(TouchKind.Campaign, "", "Newsletter", "", null, First: true), new Touch(TouchKind.Opening, "", "Comeback", "", null, Last: true)],
            rehire.Touches);
        Assert.Equal((RehireOutcome.Matched, true, new DateOnly(2027, 4, 1)), (rehire.Outcome, rehire.IsAttributed, rehire.HiredOn));
    }

    [Fact]
    public void Anonymise_Twice_IsTheSame_AndLeavesAnUnknownLastWorkingDayUnknown()
    {
        // Hired before the day left then known: no last working day is kept (ADR 0029).
        var rehire = Returned(null, new DateOnly(2027, 5, 1));

        rehire.Anonymise();
        rehire.Anonymise();

        Assert.Equal((null, null, null, 0), (rehire.AlumnusId, rehire.EmailKey, rehire.LastWorkingDay, rehire.Touches.Count));
    }
}
