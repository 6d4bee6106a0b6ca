using AlumniNetwork.Core.Insights;

namespace AlumniNetwork.Core.Tests.Insights;

public sealed class SmallGroupsTests
{
    [Theory]
    [InlineData(0, 0L)]
    [InlineData(1, null)]
    [InlineData(4, null)]
    [InlineData(5, 5L)]
    [InlineData(100000, 100000L)]
    public void Count_IsShownUnlessOneToFourPeople(long people, long? shown) => Assert.Equal(shown, SmallGroups.Shown(people));

    [Theory]
    [InlineData(5, 10, 0.5)]
    [InlineData(0, 10, 0.0)]
    [InlineData(10, 10, 1.0)]
    [InlineData(3, 10, null)]
    [InlineData(5, 8, null)]
    [InlineData(2, 4, null)]
    [InlineData(0, 0, null)]
    public void Rate_IsHiddenWhenEitherSideOrTheRestIsASmallGroup(long part, long whole, double? rate) =>
        Assert.Equal(rate, SmallGroups.Rate(part, whole));

    [Fact]
    public void GroupWithATotal_OneCellHidden_HidesTheNextSmallestPositiveCellToo() =>
        Assert.Equal([null, null, 40L], SmallGroups.ShownWithTotal([null, 7, 40]));

    [Fact]
    public void GroupWithATotal_OneCellHidden_PassesOverZeros() =>
        Assert.Equal([null, 0L, null, 12L], SmallGroups.ShownWithTotal([null, 0, 9, 12]));

    [Fact]
    public void GroupWithATotal_NoneHidden_HidesNone() =>
        Assert.Equal([5L, 0L, 12L], SmallGroups.ShownWithTotal([5, 0, 12]));

    [Fact]
    public void GroupWithATotal_TwoHidden_HidesNoMore() =>
        Assert.Equal([null, null, 12L], SmallGroups.ShownWithTotal([null, null, 12]));

    [Fact]
    public void GroupWithATotal_AllHidden_StaysAllHidden() =>
        Assert.Equal([null, null, null], SmallGroups.ShownWithTotal([null, null, null]));

    [Fact]
    public void GroupWithATotal_OneHiddenAndOnlyZerosBesides_HidesNoZero() =>
        Assert.Equal([0L, null, 0L], SmallGroups.ShownWithTotal([0, null, 0]));
}
