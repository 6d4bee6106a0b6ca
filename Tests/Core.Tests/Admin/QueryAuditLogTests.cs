using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class QueryAuditLogTests
{
    private static readonly AuditEntry Earlier = new(AdminFixtures.Now.AddHours(-1), "admin-1", AdminAuditActions.AlumnusRead, "ab".PadRight(32, '0'), "view=details");

    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;

    public QueryAuditLogTests()
    {
        audited = audit.Captures();
        audit.Setup(a => a.QueryAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<AuditFilter>(), It.IsAny<AuditCursor?>(), It.IsAny<CancellationToken>())).ReturnsAsync(new AuditSlice([Earlier], null));
    }

    private Task<AdminOutcome<AuditLogPage>> QueryAsync(string? from = null, string? to = null, string? limit = null) =>
        new QueryAuditLog(audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<QueryAuditLog>.Instance)
            .HandleAsync(new AuditQueryRequest(from, to, limit), "admin-sub", CancellationToken.None);

    [Fact]
    public async Task NoParameters_ReadTheLastSevenDaysUpTo100Entries()
    {
        var page = Assert.IsType<AdminOutcome<AuditLogPage>.Done>(await QueryAsync()).Value;

        Assert.Equal((AdminFixtures.Now.AddDays(-7), AdminFixtures.Now), (page.From, page.To));
        Assert.Equal([Earlier], page.Entries);
        audit.Verify(a => a.QueryAsync(AdminFixtures.Now.AddDays(-7), AdminFixtures.Now, 100, AuditFilter.None, null, It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData("2026-12-01", "2026-12-05T12:00:00Z", "1000", "2026-12-01T00:00:00Z", "2026-12-05T12:00:00Z", 1000)]
    [InlineData("2026-12-01T09:00:00+09:00", null, "1", "2026-12-01T00:00:00Z", "2026-12-10T03:00:00Z", 1)]
    [InlineData(null, "2026-12-05T00:00:00Z", null, "2026-11-28T00:00:00Z", "2026-12-05T00:00:00Z", 100)]
    [InlineData("2026-12-05T10:00:00.123Z", "2026-12-05T10:00:00.123Z", null, "2026-12-05T10:00:00.123Z", "2026-12-05T10:00:00.123Z", 100)]
    public async Task GivenParameters_AreUsed(string? from, string? to, string? limit, string since, string until, int expectedLimit)
    {
        Assert.IsType<AdminOutcome<AuditLogPage>.Done>(await QueryAsync(from, to, limit));

        audit.Verify(a => a.QueryAsync(DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture), expectedLimit, AuditFilter.None, null, It.IsAny<CancellationToken>()));
    }

    [Theory]
    [InlineData("yesterday", null, null, "from")]
    [InlineData("12/01/2026", null, null, "from")]
    [InlineData(null, "2026-13-01", null, "to")]
    [InlineData("2026-12-05", "2026-12-01", null, "from")]
    [InlineData("2024-01-01", "2026-12-01", null, "from")]
    [InlineData(null, null, "0", "limit")]
    [InlineData(null, null, "1001", "limit")]
    [InlineData(null, null, "ten", "limit")]
    public async Task BadParameter_IsInvalidNamingItAndReadsNothing(string? from, string? to, string? limit, string field)
    {
        var invalid = Assert.IsType<AdminOutcome<AuditLogPage>.Invalid>(await QueryAsync(from, to, limit));

        Assert.Equal(field, Assert.Single(invalid.Errors).Field);
        audit.Verify(a => a.QueryAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<AuditFilter>(), It.IsAny<AuditCursor?>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task ReadingTheLog_IsAuditedWithTheResultCount()
    {
        await QueryAsync();

        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AuditRead, "", "filters=none; results=1"), Assert.Single(audited));
    }

    [Fact]
    public async Task MoreEntriesThanTheLimit_PageCarriesTheNextCursor_AndTheCursorContinuesTheQuery()
    {
        var stop = new AuditCursor(Earlier.At, "ab".PadRight(32, '0'));
        audit.Setup(a => a.QueryAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<AuditFilter>(), It.IsAny<AuditCursor?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AuditSlice([Earlier], stop));

        var page = Assert.IsType<AdminOutcome<AuditLogPage>.Done>(await QueryAsync(limit: "1")).Value;
        await new QueryAuditLog(audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<QueryAuditLog>.Instance)
            .HandleAsync(new AuditQueryRequest(null, null, "1", Cursor: page.Next), "admin-sub", CancellationToken.None);

        Assert.Equal(stop.Encode(), page.Next);
        audit.Verify(a => a.QueryAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), 1, AuditFilter.None, stop, It.IsAny<CancellationToken>()));
        Assert.Equal("filters=none; results=1; continued", audited[^1].Detail);
    }

    [Theory]
    [InlineData("garbled")]
    [InlineData("MDYzOTAwMTIzNDU2Nzg5MDAwMC4wMTIz")]
    public async Task GarbledCursor_IsInvalidNamingCursorAndReadsNothing(string cursor)
    {
        var invalid = Assert.IsType<AdminOutcome<AuditLogPage>.Invalid>(await new QueryAuditLog(audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<QueryAuditLog>.Instance)
            .HandleAsync(new AuditQueryRequest(null, null, null, Cursor: cursor), "admin-sub", CancellationToken.None));

        Assert.Equal("cursor", Assert.Single(invalid.Errors).Field);
        audit.Verify(a => a.QueryAsync(It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<AuditFilter>(), It.IsAny<AuditCursor?>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty(audited);
    }

    [Fact]
    public async Task CursorOutsideTheRange_IsInvalidNamingCursor()
    {
        var elsewhere = new AuditCursor(AdminFixtures.Now.AddDays(-30), "ab".PadRight(32, '0')).Encode();

        var invalid = Assert.IsType<AdminOutcome<AuditLogPage>.Invalid>(await new QueryAuditLog(audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<QueryAuditLog>.Instance)
            .HandleAsync(new AuditQueryRequest(null, null, null, Cursor: elsewhere), "admin-sub", CancellationToken.None));

        Assert.Equal("cursor", Assert.Single(invalid.Errors).Field);
        Assert.Empty(audited);
    }
}
