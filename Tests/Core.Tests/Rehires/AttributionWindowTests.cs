using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Rehires;

namespace AlumniNetwork.Core.Tests.Rehires;

/// <summary>The 12-month window in the company's calendar (Tokyo, UTC+9): from midnight a year before the hire day to the end of that day.</summary>
public sealed class AttributionWindowTests
{
    private static readonly DateOnly HiredOn = new(2027, 4, 1);
    private static readonly CompanyCalendar Calendar = new(Builders.Company());

    // Midnight 2026-04-01 in Tokyo is 15:00 UTC on 2026-03-31; the end of 2027-04-01 in Tokyo is 15:00 UTC that day.
    private static readonly DateTimeOffset WindowOpens = new(2026, 3, 31, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowCloses = new(2027, 4, 1, 15, 0, 0, TimeSpan.Zero);

    private static Touch At(DateTimeOffset at, TouchKind kind = TouchKind.Campaign, string source = "newsletter-2026-05") => new(kind, source, "Newsletter", "email", at);

    [Fact]
    public void Window_IsTwelveMonthsOfCompanyDays()
    {
        Assert.Equal((WindowOpens, WindowCloses), AttributionWindow.Of(HiredOn, Calendar));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void TouchAtTheWindowsOpening_Counts_TheSecondBefore_DoesNot(int seconds, bool kept) =>
        Assert.Equal(kept, AttributionWindow.Attribute([At(WindowOpens.AddSeconds(seconds))], HiredOn, Calendar).Count == 1);

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, false)]
    public void TouchOnTheHireDay_Counts_AfterIt_DoesNot(int seconds, bool kept) =>
        Assert.Equal(kept, AttributionWindow.Attribute([At(WindowCloses.AddSeconds(seconds))], HiredOn, Calendar).Count == 1);

    [Fact]
    public void EveryTouchInTheWindow_IsKept_InOrder_FirstAndLastMarked()
    {
        var newsletter = At(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var lecture = new Touch(TouchKind.Event, "event-1", "LectureSeries", "attended", new DateTimeOffset(2026, 9, 10, 10, 0, 0, TimeSpan.Zero));
        var opening = new Touch(TouchKind.Opening, "opening-1", "Comeback", "interest", new DateTimeOffset(2027, 1, 20, 0, 0, 0, TimeSpan.Zero));
        var tooOld = At(new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero), source: "newsletter-2025-12");

        var attributed = AttributionWindow.Attribute([opening, tooOld, newsletter, lecture], HiredOn, Calendar);

        Assert.Equal(
            [newsletter with { First = true }, lecture, opening with { Last = true }],
            attributed);
    }

    [Fact]
    public void OneTouch_IsBothFirstAndLast() =>
        Assert.Equal([At(WindowOpens) with { First = true, Last = true }], AttributionWindow.Attribute([At(WindowOpens)], HiredOn, Calendar));

    [Fact]
    public void NoTouch_MeansNotAttributed() =>
        Assert.Empty(AttributionWindow.Attribute([], HiredOn, Calendar));

    [Fact]
    public void LeapDay_WindowOpensOnTheLastDayOfFebruary() =>
        Assert.Equal(new DateTimeOffset(2027, 2, 27, 15, 0, 0, TimeSpan.Zero), AttributionWindow.Of(new DateOnly(2028, 2, 29), Calendar).From);
}
