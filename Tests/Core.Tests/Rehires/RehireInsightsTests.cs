using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Rehires;
using Moq;

namespace AlumniNetwork.Core.Tests.Rehires;

public sealed class RehireInsightsTests
{
    private static readonly DateTimeOffset Now = new(2027, 4, 15, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IRehireStore> rehires = new();

    internal static Rehire Returned(DateOnly hiredOn, DateOnly left, params Touch[] touches)
    {
        var alumnus = Builders.Alumnus(Now.AddYears(-1), AlumnusStatus.Joined);
        alumnus.LastWorkingDay = left;
        var rehire = new Rehire { Key = Guid.NewGuid().ToString("N"), HiredOn = hiredOn, EmployeeKey = "e", ReceivedAt = Now };
        rehire.Match(alumnus, touches, Now);
        return rehire;
    }

    [Fact]
    public async Task Figures_CountReturnsAndAttributedReturnsPerMonth_FirstTouchesAndTheMedianTimeAway()
    {
        var opening = new Touch(TouchKind.Opening, "o", "Comeback", "email", Now.AddDays(-30), First: true, Last: true);
        var newsletter = new Touch(TouchKind.Campaign, "n", "Newsletter", "email", Now.AddDays(-60), First: true);
        rehires.Setup(r => r.MatchedAsync(new DateOnly(2026, 5, 1), new DateOnly(2027, 4, 30), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            Returned(new DateOnly(2027, 3, 1), new DateOnly(2026, 3, 1), opening),
            Returned(new DateOnly(2027, 4, 1), new DateOnly(2027, 1, 1), newsletter, opening with { First = false }),
            Returned(new DateOnly(2027, 4, 20), new DateOnly(2026, 12, 1)),
        ]);
        var collector = new InsightCollector(Now, new Core.Company.CompanyCalendar(Builders.Company()));

        await new RehireInsights(rehires.Object).CollectAsync(collector, CancellationToken.None);

        var snapshot = collector.MergeInto(InsightSnapshot.Empty);
        Assert.Equal((1, 1), (snapshot.Value(RehireInsightKeys.ReturnsIn("2027-03")), snapshot.Value(RehireInsightKeys.AttributedIn("2027-03"))));
        Assert.Equal((2, 1), (snapshot.Value(RehireInsightKeys.ReturnsIn("2027-04")), snapshot.Value(RehireInsightKeys.AttributedIn("2027-04"))));
        Assert.Equal(0, snapshot.Value(RehireInsightKeys.ReturnsIn("2026-05")));
        Assert.Equal((1, 1, 0), (snapshot.Value(RehireInsightKeys.FirstTouch(TouchKind.Opening)), snapshot.Value(RehireInsightKeys.FirstTouch(TouchKind.Campaign)),
            snapshot.Value(RehireInsightKeys.FirstTouch(TouchKind.Event))));
        Assert.Equal((3, 3), (snapshot.Value(RehireInsightKeys.Returns12Months), snapshot.Value(RehireInsightKeys.DaysAwayOf)));
        Assert.Equal(140, snapshot.Value(RehireInsightKeys.MedianDaysAway));
    }

    [Fact]
    public async Task MedianTimeAway_IsOfTheReturnsWithALastWorkingDay_NotOfAllReturns()
    {
        var withoutDay = Returned(new DateOnly(2027, 3, 1), new DateOnly(2027, 9, 30));
        rehires.Setup(r => r.MatchedAsync(It.IsAny<DateOnly>(), It.IsAny<DateOnly>(), It.IsAny<CancellationToken>())).ReturnsAsync(
            [.. Enumerable.Repeat(withoutDay, 4), Returned(new DateOnly(2027, 4, 1), new DateOnly(2026, 12, 31))]);
        var collector = new InsightCollector(Now, new Core.Company.CompanyCalendar(Builders.Company()));

        await new RehireInsights(rehires.Object).CollectAsync(collector, CancellationToken.None);

        var snapshot = collector.MergeInto(InsightSnapshot.Empty);
        Assert.Equal((5, 1, 91), (snapshot.Value(RehireInsightKeys.Returns12Months), snapshot.Value(RehireInsightKeys.DaysAwayOf), snapshot.Value(RehireInsightKeys.MedianDaysAway)));
    }
}
