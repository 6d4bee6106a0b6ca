using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Tests.Conflicts;

/// <summary>When an alumnus is flagged, for how long, and by which entry.</summary>
public sealed class ConflictRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlumnusId Id = AlumnusId.New();

    private static RegisterEntry Entry(string name = "株式会社サンプル商事", int? coolingOff = null, ConflictCategory category = ConflictCategory.Competitor) =>
        new(RegisterEntry.NewId(), name, category, ["Sample Trading"], coolingOff, "officer", Now.AddDays(-100));

    private static RegisterMatch Match(RegisterEntry entry, string name = "Sample Trading") => new(entry, name);

    [Fact]
    public void EmployerMatchingAnEntry_IsFlaggedWithTheEntryAndTheNameThatMatched()
    {
        var entry = Entry(category: ConflictCategory.AuditClient);

        var assessment = ConflictRules.Assess(Id, "SAMPLE TRADING CO.", Match(entry), null, null, Now);

        Assert.Equal((entry.Id, ConflictCategory.AuditClient, "Sample Trading", "SAMPLE TRADING CO.", Now, (DateTimeOffset?)null),
            (assessment!.EntryId, assessment.Category, assessment.MatchedName, assessment.Employer, assessment.Since, assessment.CoolingOffUntil));
        Assert.Equal(new ConflictFlag(entry.Id, "AuditClient", Now), assessment.Flag);
    }

    [Fact]
    public void StillMatchingTheSameEntry_KeepsTheStart()
    {
        var entry = Entry();
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));

        var now = ConflictRules.Assess(Id, "サンプル商事", Match(entry, "株式会社サンプル商事"), previous, entry, Now);

        Assert.Equal(Now.AddDays(-40), now!.Since);
        Assert.Equal("サンプル商事", now.Employer);
    }

    [Fact]
    public void MatchingAnotherEntry_StartsAgainFromNow()
    {
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(Entry()), null, null, Now.AddDays(-40));
        var other = Entry("Other Corp");

        var now = ConflictRules.Assess(Id, "Other Corp", Match(other, "Other Corp"), previous, null, Now);

        Assert.Equal((other.Id, Now), (now!.EntryId, now.Since));
    }

    [Fact]
    public void NoMatch_AndNeverFlagged_IsNotFlagged() =>
        Assert.Null(ConflictRules.Assess(Id, "Independent", null, null, null, Now));

    [Fact]
    public void LeavingAnEntryWithoutCoolingOff_LiftsTheFlagAtOnce()
    {
        var entry = Entry();
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));

        Assert.Null(ConflictRules.Assess(Id, "Independent", null, previous, entry, Now));
    }

    [Fact]
    public void LeavingAnEntryWithCoolingOff_KeepsTheFlagForThatLong()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));

        var left = ConflictRules.Assess(Id, "Independent", null, previous, entry, Now);
        var during = ConflictRules.Assess(Id, "Independent", null, left, entry, Now.AddDays(89));
        var after = ConflictRules.Assess(Id, "Independent", null, during, entry, Now.AddDays(90));

        Assert.Equal(Now.AddDays(90), left!.CoolingOffUntil);
        Assert.Equal(previous!.Since, left.Since);
        Assert.Equal(left, during);
        Assert.Null(after);
    }

    [Fact]
    public void ComingBackToTheEntryDuringCoolingOff_IsFlaggedAgainWithoutAnEnd()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, entry, Now);

        var back = ConflictRules.Assess(Id, "Sample Trading", Match(entry), left, entry, Now.AddDays(10));

        Assert.Null(back!.CoolingOffUntil);
        Assert.Equal(previous!.Since, back.Since);
    }

    [Fact]
    public void EntryRemovedFromTheRegister_LiftsTheFlagEvenDuringCoolingOff()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, entry, Now);

        Assert.Null(ConflictRules.Assess(Id, "Independent", null, left, previousEntry: null, Now.AddDays(1)));
    }

    [Fact]
    public void CategoryChangedInTheRegister_IsTakenUpDuringCoolingOff()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, null, Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, entry, Now);

        var now = ConflictRules.Assess(Id, "Independent", null, left, entry with { Category = ConflictCategory.Regulator }, Now.AddDays(1));

        Assert.Equal(ConflictCategory.Regulator, now!.Category);
    }
}
