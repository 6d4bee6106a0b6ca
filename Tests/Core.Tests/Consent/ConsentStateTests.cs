using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;

namespace AlumniNetwork.Core.Tests.Consent;

public sealed class ConsentStateTests
{
    private static readonly AlumnusId Id = AlumnusId.New();
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ConsentRecord Entry(ConsentPurpose purpose, bool granted, int minutes) =>
        new(Id, purpose, granted, T0.AddMinutes(minutes), ConsentMethod.Link, "v1");

    [Fact]
    public void EmptyLedger_GrantsNothing() =>
        Assert.All(ConsentPurposes.All, p => Assert.False(ConsentState.From([]).Has(p)));

    [Fact]
    public void WithdrawalRepeated_LeavesThePurposeRefusedAndTheOthersAsTheyWere()
    {
        var state = ConsentState.From([
            Entry(ConsentPurpose.Newsletter, true, 0),
            Entry(ConsentPurpose.Events, true, 0),
            Entry(ConsentPurpose.Newsletter, false, 5),
            Entry(ConsentPurpose.Newsletter, false, 10),
        ]);

        Assert.True(state.IsRefused(ConsentPurpose.Newsletter));
        Assert.Equal([ConsentPurpose.Events], state.Granted);
    }

    [Fact]
    public void LatestEntryPerPurpose_Wins_WhateverTheOrderGiven()
    {
        var state = ConsentState.From([
            Entry(ConsentPurpose.Newsletter, false, 10),
            Entry(ConsentPurpose.Newsletter, true, 0),
            Entry(ConsentPurpose.Events, true, 5),
        ]);

        Assert.False(state.Has(ConsentPurpose.Newsletter));
        Assert.True(state.Has(ConsentPurpose.Events));
        Assert.Equal([ConsentPurpose.Events], state.Granted);
    }

    [Fact]
    public void ChangesTo_WritesOnlyWhatDiffers()
    {
        var state = ConsentState.From([Entry(ConsentPurpose.Newsletter, true, 0), Entry(ConsentPurpose.Events, true, 0)]);

        var changes = state.ChangesTo(new HashSet<ConsentPurpose> { ConsentPurpose.Newsletter, ConsentPurpose.Surveys },
            ConsentPurposes.Email, Id, T0.AddDays(1), ConsentMethod.Link, "prefs-v1");

        Assert.Equal([(ConsentPurpose.Events, false), (ConsentPurpose.Surveys, true)], changes.Select(c => (c.Purpose, c.Granted)).Order());
        Assert.All(changes, c => Assert.Equal("prefs-v1", c.WordingVersion));
    }

    [Fact]
    public void ChangesTo_TheSameWishTwice_WritesNothingTheSecondTime()
    {
        var wanted = new HashSet<ConsentPurpose> { ConsentPurpose.Newsletter };
        var first = ConsentState.From([]).ChangesTo(wanted, ConsentPurposes.Email, Id, T0, ConsentMethod.Link, "v1");

        Assert.Empty(ConsentState.From(first).ChangesTo(wanted, ConsentPurposes.Email, Id, T0.AddMinutes(1), ConsentMethod.Link, "v1"));
    }
}
