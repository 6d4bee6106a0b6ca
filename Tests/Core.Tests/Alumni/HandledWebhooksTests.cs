using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class HandledWebhooksTests
{
    private static string Ids(int from, int to) => string.Join(' ', Enumerable.Range(from, to - from + 1).Select(i => $"w{i}"));

    [Fact]
    public void Add_ToNothing_HoldsTheOneId()
    {
        Assert.Equal("w1", HandledWebhooks.Add(null, "w1"));
        Assert.Equal("w1", HandledWebhooks.Add("", "w1"));
    }

    [Fact]
    public void Add_KeepsTheOrderOfArrival_NewestLast()
    {
        Assert.Equal("w2 w1 w3", HandledWebhooks.Add("w2 w1", "w3"));
    }

    [Fact]
    public void Add_AnIdHeldAlready_ChangesNothing_NorMovesIt()
    {
        Assert.Equal("w1 w2 w3", HandledWebhooks.Add("w1 w2 w3", "w1"));
    }

    [Fact]
    public void Add_BeyondTheBound_DropsTheOldest()
    {
        var full = Ids(1, HandledWebhooks.Bound);

        var added = HandledWebhooks.Add(full, "w21");

        Assert.Equal(Ids(2, 21), added);
        Assert.False(HandledWebhooks.Contains(added, "w1"));
        Assert.True(HandledWebhooks.Contains(added, "w2"));
        Assert.True(HandledWebhooks.Contains(added, "w21"));
    }

    [Fact]
    public void Contains_MatchesWholeIdsOnly_Ordinally()
    {
        Assert.True(HandledWebhooks.Contains("w1 w22", "w22"));
        Assert.False(HandledWebhooks.Contains("w1 w22", "w2"));
        Assert.False(HandledWebhooks.Contains("w1 w22", "W1"));
        Assert.False(HandledWebhooks.Contains(null, "w1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void Add_RefusesATokenThatWouldNotSplitBack(string token) =>
        Assert.Throws<ArgumentException>(() => HandledWebhooks.Add("w1", token));
}
