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
        Assert.Equal([null, null, 40L], WithTotal(3, 7, 40));

    [Fact]
    public void GroupWithATotal_OneCellHidden_PassesOverZeros() =>
        Assert.Equal([null, 0L, null, 12L], WithTotal(3, 0, 9, 12));

    [Fact]
    public void GroupWithATotal_NoneHidden_HidesNone() =>
        Assert.Equal([5L, 0L, 12L], WithTotal(5, 0, 12));

    [Fact]
    public void GroupWithATotal_TwoHiddenWithRoomForAGroupOfFive_HidesNoMore() =>
        Assert.Equal([null, null, 12L], WithTotal(3, 4, 12));

    [Fact]
    public void GroupWithATotal_OneSmallAndAFive_SumOfSixStillLetsEitherBeFive_HidesNoMore() =>
        Assert.Equal([null, null, 24L], WithTotal(1, 5, 24));

    [Theory]
    [InlineData(1, 1)] // both pinned to 1
    [InlineData(1, 4)] // both provably under 5
    public void GroupWithATotal_HiddenCellsTooSmallTogether_HidesTheNextSmallestToo(long first, long second) =>
        Assert.Equal([null, null, null, 30L], WithTotal(first, second, 12, 30));

    [Fact]
    public void GroupWithATotal_AllHidden_StaysAllHidden() =>
        Assert.Equal([null, null, null], WithTotal(1, 2, 3));

    [Fact]
    public void GroupWithATotal_OneHiddenAndOnlyZerosBesides_HidesNoZero() =>
        Assert.Equal([0L, null, 0L], WithTotal(0, 3, 0));

    [Fact]
    public void GroupWithATotal_CellsHiddenForAnotherReason_CountLikeSmallOnes() =>
        Assert.Equal([null, null, 40L], SmallGroups.ShownWithTotal([6, 7, 40], [null, 7, 40]));

    /// <summary>Each cell hidden when it is a small group, then the group's rule.</summary>
    private static long?[] WithTotal(params long[] people) => SmallGroups.ShownWithTotal(people, people.Select(SmallGroups.Shown).ToArray());
}
