using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Tests.Validation;

public sealed class SupportedCalendarTests
{
    [Theory]
    [InlineData("1900-01-01", true)]
    [InlineData("2199-12-31", true)]
    [InlineData("2026-11-30", true)]
    [InlineData("1899-12-31", false)]
    [InlineData("2200-01-01", false)]
    [InlineData("0001-01-01", false)]
    [InlineData("9999-12-31", false)]
    public void Day_IsInsideOnlyBetween1900And2199(string day, bool inside) =>
        Assert.Equal(inside, SupportedCalendar.Contains(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Instant_IsJudgedByItsUtcDay()
    {
        Assert.True(SupportedCalendar.Contains(new DateTimeOffset(2199, 12, 31, 23, 59, 59, TimeSpan.Zero)));
        Assert.True(SupportedCalendar.Contains(new DateTimeOffset(2200, 1, 1, 8, 59, 59, TimeSpan.FromHours(9))));
        Assert.False(SupportedCalendar.Contains(new DateTimeOffset(2200, 1, 1, 9, 0, 0, TimeSpan.FromHours(9))));
        Assert.False(SupportedCalendar.Contains(DateTimeOffset.MinValue));
        Assert.False(SupportedCalendar.Contains(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData(0L, true)]
    [InlineData(1_700_000_000L, true)]
    [InlineData(7_258_118_399L, true)]
    [InlineData(7_258_118_400L, false)]
    [InlineData(-1L, false)]
    [InlineData(253_402_300_799L, false)]
    [InlineData(long.MaxValue, false)]
    public void UnixSeconds_RunFrom1970ToTheEndOf2199(long seconds, bool inside) =>
        Assert.Equal(inside, SupportedCalendar.ContainsUnixSeconds(seconds));
}
