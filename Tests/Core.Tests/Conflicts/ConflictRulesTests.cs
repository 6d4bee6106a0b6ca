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

    /// <summary>The register as it holds these entries now (by id); an entry not given is gone from it.</summary>
    private static Dictionary<string, RegisterEntry> Held(params RegisterEntry[] entries) => entries.ToDictionary(e => e.Id);

    [Fact]
    public void EmployerMatchingAnEntry_IsFlaggedWithTheEntryAndTheNameThatMatched()
    {
        var entry = Entry(category: ConflictCategory.AuditClient);

        var assessment = ConflictRules.Assess(Id, "SAMPLE TRADING CO.", Match(entry), null, Held(), Now);

        Assert.Equal((entry.Id, ConflictCategory.AuditClient, "Sample Trading", "SAMPLE TRADING CO.", Now, (DateTimeOffset?)null),
            (assessment!.EntryId, assessment.Category, assessment.MatchedName, assessment.Employer, assessment.Since, assessment.CoolingOffUntil));
        Assert.Equal(new ConflictFlag(entry.Id, "AuditClient", Now), assessment.Flag);
    }

    [Fact]
    public void StillMatchingTheSameEntry_KeepsTheStart()
    {
        var entry = Entry();
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));

        var now = ConflictRules.Assess(Id, "サンプル商事", Match(entry, "株式会社サンプル商事"), previous, Held(entry), Now);

        Assert.Equal(Now.AddDays(-40), now!.Since);
        Assert.Equal("サンプル商事", now.Employer);
    }

    [Fact]
    public void MatchingAnotherEntry_StartsAgainFromNow()
    {
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(Entry()), null, Held(), Now.AddDays(-40));
        var other = Entry("Other Corp");

        var now = ConflictRules.Assess(Id, "Other Corp", Match(other, "Other Corp"), previous, Held(), Now);

        Assert.Equal((other.Id, Now), (now!.EntryId, now.Since));
    }

    [Fact]
    public void NoMatch_AndNeverFlagged_IsNotFlagged() =>
        Assert.Null(ConflictRules.Assess(Id, "Independent", null, null, Held(), Now));

    [Fact]
    public void LeavingAnEntryWithoutCoolingOff_LiftsTheFlagAtOnce()
    {
        var entry = Entry();
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));

        Assert.Null(ConflictRules.Assess(Id, "Independent", null, previous, Held(entry), Now));
    }

    [Fact]
    public void LeavingAnEntryWithCoolingOff_KeepsTheFlagForThatLong()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));

        var left = ConflictRules.Assess(Id, "Independent", null, previous, Held(entry), Now);
        var during = ConflictRules.Assess(Id, "Independent", null, left, Held(entry), Now.AddDays(89));
        var after = ConflictRules.Assess(Id, "Independent", null, during, Held(entry), Now.AddDays(90));

        Assert.Equal(Now.AddDays(90), left!.CoolingOffUntil);
        Assert.Equal(previous!.Since, left.Since);
        Assert.Equal(left, during);
        Assert.Null(after);
    }

    [Fact]
    public void ComingBackToTheEntryDuringCoolingOff_IsFlaggedAgainWithoutAnEnd()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, Held(entry), Now);

        var back = ConflictRules.Assess(Id, "Sample Trading", Match(entry), left, Held(entry), Now.AddDays(10));

        Assert.Null(back!.CoolingOffUntil);
        Assert.Equal(previous!.Since, back.Since);
    }

    [Fact]
    public void EntryRemovedFromTheRegister_LiftsTheFlagEvenDuringCoolingOff()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, Held(entry), Now);

        Assert.Null(ConflictRules.Assess(Id, "Independent", null, left, registered: Held(), Now.AddDays(1)));
    }

    [Fact]
    public void CategoryChangedInTheRegister_IsTakenUpDuringCoolingOff()
    {
        var entry = Entry(coolingOff: 90);
        var previous = ConflictRules.Assess(Id, "Sample Trading", Match(entry), null, Held(), Now.AddDays(-40));
        var left = ConflictRules.Assess(Id, "Independent", null, previous, Held(entry), Now);

        var now = ConflictRules.Assess(Id, "Independent", null, left, Held(entry with { Category = ConflictCategory.Regulator }), Now.AddDays(1));

        Assert.Equal(ConflictCategory.Regulator, now!.Category);
    }

    [Fact]
    public void MovingToAnotherFlaggedEntry_KeepsTheFirstCoolingOff_WhichTakesOverWhenTheSecondFlagEnds()
    {
        var competitor = Entry("Rival Corp", coolingOff: 180);
        var client = Entry("Client Corp", category: ConflictCategory.ClientUnderEngagement);
        var register = Held(competitor, client);
        var atRival = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), null, register, Now.AddDays(-40));

        var atClient = ConflictRules.Assess(Id, "Client Corp", Match(client, "Client Corp"), atRival, register, Now);
        var leftClient = ConflictRules.Assess(Id, "Independent", null, atClient, register, Now.AddDays(10));
        var during = ConflictRules.Assess(Id, "Independent", null, leftClient, register, Now.AddDays(179));
        var after = ConflictRules.Assess(Id, "Independent", null, during, register, Now.AddDays(180));

        Assert.Equal((client.Id, Now, (DateTimeOffset?)null), (atClient!.EntryId, atClient.Since, atClient.CoolingOffUntil));
        Assert.Equal((competitor.Id, Now.AddDays(-40), (DateTimeOffset?)Now.AddDays(180)), (atClient.Earlier?.EntryId, atClient.Earlier?.Since, atClient.Earlier?.CoolingOffUntil));
        Assert.Equal(new ConflictFlag(competitor.Id, "Competitor", Now.AddDays(-40)), leftClient!.Flag);
        Assert.Equal((Now.AddDays(180), (ConflictAssessment?)null), (leftClient.CoolingOffUntil, leftClient.Earlier));
        Assert.Equal(leftClient, during);
        Assert.Null(after);
    }

    [Fact]
    public void NameMovedToAnotherEntryInTheRegister_KeepsTheFirstEntrysCoolingOff()
    {
        // The employer stays; the officer moves its name from one entry to another, then removes the second.
        var first = Entry("Rival Corp", coolingOff: 90);
        var second = Entry("Rival Group", category: ConflictCategory.AuditClient);
        var before = ConflictRules.Assess(Id, "Sample Trading", Match(first), null, Held(first), Now.AddDays(-40));

        var moved = ConflictRules.Assess(Id, "Sample Trading", Match(second), before, Held(first, second), Now);
        var secondRemoved = ConflictRules.Assess(Id, "Sample Trading", null, moved, Held(first), Now.AddDays(1));

        Assert.Equal((second.Id, first.Id), (moved!.EntryId, moved.Earlier?.EntryId));
        Assert.Equal((first.Id, (DateTimeOffset?)Now.AddDays(90)), (secondRemoved?.EntryId, secondRemoved?.CoolingOffUntil));
    }

    [Fact]
    public void TwoCoolingOffs_TheLaterLeftEndsFirst_ThenTheEarlierTakesOver()
    {
        var competitor = Entry("Rival Corp", coolingOff: 180);
        var regulator = Entry("Agency", coolingOff: 30, category: ConflictCategory.Regulator);
        var register = Held(competitor, regulator);
        var atRival = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), null, register, Now.AddDays(-40));
        var atAgency = ConflictRules.Assess(Id, "Agency", Match(regulator, "Agency"), atRival, register, Now);

        var leftAgency = ConflictRules.Assess(Id, "Independent", null, atAgency, register, Now.AddDays(10));
        var agencyOver = ConflictRules.Assess(Id, "Independent", null, leftAgency, register, Now.AddDays(40));

        Assert.Equal((regulator.Id, (DateTimeOffset?)Now.AddDays(40)), (leftAgency!.EntryId, leftAgency.CoolingOffUntil));
        Assert.Equal((competitor.Id, (DateTimeOffset?)Now.AddDays(180)), (leftAgency.Earlier?.EntryId, leftAgency.Earlier?.CoolingOffUntil));
        Assert.Equal((competitor.Id, (DateTimeOffset?)Now.AddDays(180), (ConflictAssessment?)null), (agencyOver!.EntryId, agencyOver.CoolingOffUntil, agencyOver.Earlier));
    }

    [Fact]
    public void BackToTheEarlierEntryDuringItsCoolingOff_KeepsItsStart_AndItIsNoLongerEarlier()
    {
        var competitor = Entry("Rival Corp", coolingOff: 180);
        var client = Entry("Client Corp", category: ConflictCategory.ClientUnderEngagement);
        var register = Held(competitor, client);
        var atRival = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), null, register, Now.AddDays(-40));
        var atClient = ConflictRules.Assess(Id, "Client Corp", Match(client, "Client Corp"), atRival, register, Now);

        var back = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), atClient, register, Now.AddDays(10));

        Assert.Equal((competitor.Id, Now.AddDays(-40), (DateTimeOffset?)null, (ConflictAssessment?)null), (back!.EntryId, back.Since, back.CoolingOffUntil, back.Earlier));
    }

    [Fact]
    public void EarlierEntryRemovedFromTheRegister_EndsItsCoolingOff()
    {
        var competitor = Entry("Rival Corp", coolingOff: 180);
        var client = Entry("Client Corp", category: ConflictCategory.ClientUnderEngagement);
        var atRival = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), null, Held(competitor), Now.AddDays(-40));
        var atClient = ConflictRules.Assess(Id, "Client Corp", Match(client, "Client Corp"), atRival, Held(competitor, client), Now);

        var stillAtClient = ConflictRules.Assess(Id, "Client Corp", Match(client, "Client Corp"), atClient, Held(client), Now.AddDays(1));

        Assert.Null(stillAtClient!.Earlier);
        Assert.Null(ConflictRules.Assess(Id, "Independent", null, atClient, Held(client), Now.AddDays(1)));
    }

    [Fact]
    public void MovingOnFromAnEntryWithoutCoolingOff_KeepsNothingOfIt()
    {
        var client = Entry("Client Corp", category: ConflictCategory.ClientUnderEngagement);
        var competitor = Entry("Rival Corp");
        var atClient = ConflictRules.Assess(Id, "Client Corp", Match(client, "Client Corp"), null, Held(client), Now.AddDays(-40));

        var atRival = ConflictRules.Assess(Id, "Rival Corp", Match(competitor, "Rival Corp"), atClient, Held(client, competitor), Now);

        Assert.Equal((competitor.Id, (ConflictAssessment?)null), (atRival!.EntryId, atRival.Earlier));
    }
}
