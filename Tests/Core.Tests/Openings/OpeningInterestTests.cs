using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Openings;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class OpeningInterestTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly OpeningInterest interest = OpeningInterest.New(Opening.NewId(), AlumnusId.New());

    [Fact]
    public void FirstExpression_OwesOneNotice()
    {
        Assert.True(interest.Express("週3日なら可能です", Now));

        Assert.Equal((InterestStatus.Interested, 1, true), (interest.Status, interest.Version, interest.NoticePending));
        Assert.Equal("週3日なら可能です", interest.Note);
    }

    [Fact]
    public void SecondExpression_ChangesNothing_NotEvenTheNote()
    {
        interest.Express("first", Now);
        interest.MarkNoticed(interest.Version);

        var changed = interest.Express("second", Now.AddHours(1));

        Assert.False(changed);
        Assert.Equal(("first", 1, false), (interest.Note, interest.Version, interest.NoticePending));
    }

    [Fact]
    public void Withdrawing_OwesANoticeOfItsOwn_AndExpressingAgainAnother()
    {
        interest.Express("", Now);
        interest.MarkNoticed(1);

        Assert.True(interest.Withdraw(Now.AddDays(1)));
        Assert.True(interest.NoticePending);
        interest.MarkNoticed(2);
        Assert.True(interest.Express("again", Now.AddDays(2)));
        Assert.Equal((InterestStatus.Interested, 3), (interest.Status, interest.Version));
    }

    [Fact]
    public void WithdrawingWithoutInterest_ChangesNothing()
    {
        Assert.False(interest.Withdraw(Now));
        Assert.Equal(0, interest.Version);
    }

    [Fact]
    public void NoticeOfAnOlderVersion_LeavesTheNewerOnePending()
    {
        interest.Express("", Now);
        interest.Withdraw(Now.AddMinutes(1));

        interest.MarkNoticed(1);

        Assert.True(interest.NoticePending);
    }

    [Theory]
    [InlineData("ぜひ\u202Eお願いします")]
    [InlineData("ぜひ\u2066お願いします")]
    [InlineData("ぜひ\u2029お願いします")]
    public void Note_WithATextDirectionOrSeparatorCharacter_IsRefused(string note) =>
        Assert.Equal("note", BrowseOpenings.NoteProblem(note)?.Field);

    [Fact]
    public void Note_WithLineBreaksAndTabs_IsAccepted() => Assert.Null(BrowseOpenings.NoteProblem("ぜひ\r\n\tお願いします"));
}
