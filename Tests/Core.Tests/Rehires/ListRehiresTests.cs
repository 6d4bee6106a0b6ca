using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Rehires;
using Microsoft.Extensions.Time.Testing;
using Moq;
using static AlumniNetwork.Core.Tests.Rehires.RehireInsightsTests;

namespace AlumniNetwork.Core.Tests.Rehires;

public sealed class ListRehiresTests
{
    // 2027-04-15 01:00 in Tokyo, still the 14th in UTC.
    private static readonly DateTimeOffset Now = new(2027, 4, 14, 16, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset At = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Mock<IRehireStore> rehires = new();
    private readonly Mock<IAuditLog> audit = new();

    private ListRehires Use() => new(rehires.Object, audit.Object, new CompanyCalendar(Builders.Company()), new FakeTimeProvider(Now));

    [Fact]
    public void Report_CountsPeopleOncePerKey_FirstAndLastTouches_AndTheTimeAway()
    {
        var comeback = new Touch(TouchKind.Opening, "o1", "Comeback", "email", At);
        var newsletter = new Touch(TouchKind.Campaign, "n1", "Newsletter", "email", At);
        var project = new Touch(TouchKind.Opening, "o2", "ShortTermProject", "email", At);
        var matched = new[]
        {
            Returned(new DateOnly(2027, 3, 1), new DateOnly(2027, 1, 30), comeback with { First = true }, comeback with { Via = "interest", Last = true }),
            Returned(new DateOnly(2027, 3, 2), new DateOnly(2027, 1, 1), newsletter with { First = true }, project with { Last = true }),
            Returned(new DateOnly(2027, 3, 3), new DateOnly(2026, 3, 3)),
            Returned(new DateOnly(2027, 3, 4), new DateOnly(2027, 3, 3), newsletter with { First = true, Last = true }),
        };

        var report = ListRehires.Report(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), matched);

        Assert.Equal((4, 3), (report.Rehires, report.Attributed));
        Assert.Equal(new Dictionary<string, int> { ["Comeback"] = 1, ["ShortTermProject"] = 1 }, report.ByOpeningKind);
        Assert.Equal(new Dictionary<string, int> { ["Campaign"] = 2, ["Opening"] = 1 }, report.ByFirstTouch);
        Assert.Equal(new Dictionary<string, int> { ["Campaign"] = 1, ["Opening"] = 2 }, report.ByLastTouch);
        Assert.Equal(new Dictionary<string, int> { ["Campaign"] = 2, ["Opening"] = 2 }, report.ByAnyTouch);
        Assert.Equal(new DaysToReturn(1, 45, 114, 365), report.DaysToReturn);
        Assert.Equal([false, false, true, false], report.Items.Select(i => i.Touches.Count == 0));
    }

    [Fact]
    public void Report_WithoutReturns_HasNoTimeAway()
    {
        var report = ListRehires.Report(new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), []);

        Assert.Equal((0, 0, null), (report.Rehires, report.Attributed, report.DaysToReturn));
        Assert.Empty(report.ByAnyTouch);
    }

    [Fact]
    public async Task NoPeriod_IsTheYearUpToTodayInTheCompanysCalendar_AuditedWithThePeopleItShows()
    {
        var hanako = Returned(new DateOnly(2027, 4, 1), new DateOnly(2026, 11, 30));
        rehires.Setup(r => r.MatchedAsync(new DateOnly(2026, 4, 16), new DateOnly(2027, 4, 15), It.IsAny<CancellationToken>())).ReturnsAsync([hanako]);

        var outcome = await Use().HandleAsync(new RehireQuery(null, null), "recruiter", CancellationToken.None);

        var report = Assert.IsType<AdminOutcome<RehireReport>.Done>(outcome).Value;
        Assert.Equal((new DateOnly(2026, 4, 16), new DateOnly(2027, 4, 15), 1), (report.From, report.To, report.Rehires));
        audit.Verify(a => a.WriteAsync(It.Is<AuditEntry>(e => e.Action == ListRehires.Action && e.Actor == "recruiter"), It.IsAny<CancellationToken>()), Times.Once);
        audit.Verify(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), new[] { hanako.AlumnusId!.Value }, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("2027-02-01", "2027-01-01", "from", "must not be after to")]
    [InlineData("2017-01-01", "2027-01-02", "from", "must be at most 10 years before to")]
    [InlineData("2027-13-01", null, "from", null)]
    [InlineData(null, "yesterday", "to", null)]
    public async Task BadPeriod_IsInvalid_NamingTheField_AndReadsNothing(string? from, string? to, string field, string? rule)
    {
        var outcome = await Use().HandleAsync(new RehireQuery(from, to), "recruiter", CancellationToken.None);

        var error = Assert.Single(Assert.IsType<AdminOutcome<RehireReport>.Invalid>(outcome).Errors);
        Assert.Equal(field, error.Field);
        Assert.True(rule is null || error.Rule == rule, error.Rule);
        rehires.VerifyNoOtherCalls();
        audit.VerifyNoOtherCalls();
    }
}
