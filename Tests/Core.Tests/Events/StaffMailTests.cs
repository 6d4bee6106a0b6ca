using AlumniNetwork.Core.Events;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class StaffMailTests
{
    /// <summary>Ids by name: "old" the one before versions, "s{n}" a version counted back from the current one ("s-0" is it), "other" another event's.</summary>
    private static string[] IdsFor(NetworkEvent e, string reachedUnder) => reachedUnder.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(name => name switch
    {
        "old" => $"event-{e.Id}-staff",
        "other" => $"event-{NetworkEvent.NewId()}-staff-s0",
        "junk" => $"event-{e.Id}-staff-s0x",
        "padded" => $"event-{e.Id}-staff-s0{e.Sequence - 1}",
        _ => $"event-{e.Id}-staff-s{e.Sequence - int.Parse(name[2..], System.Globalization.CultureInfo.InvariantCulture)}",
    }).ToArray();

    [Theory]
    [InlineData("", StaffMailKind.Invitation)]
    [InlineData("old", StaffMailKind.SentBeforeVersions)]
    [InlineData("old s-0", StaffMailKind.SentBeforeVersions)]
    [InlineData("s-1", StaffMailKind.Invitation)]
    [InlineData("s-0", StaffMailKind.Invitation)]
    [InlineData("other", StaffMailKind.Invitation)]
    public void PublishedEvent_IsInvited_UnlessTheOldIdMayHaveReachedTheAddress(string reachedUnder, StaffMailKind expected)
    {
        var e = EventBuilders.Event();
        Assert.True(e.Update(e.Details with { Title = new LocalizedText("新しい題名", "New title") }, EventBuilders.Now));

        Assert.Equal(expected, StaffMail.For(e, IdsFor(e, reachedUnder)));
    }

    [Theory]
    [InlineData("", StaffMailKind.NotInvited)]
    [InlineData("old", StaffMailKind.Cancellation)]
    [InlineData("s-1", StaffMailKind.Cancellation)]
    [InlineData("s-2", StaffMailKind.Cancellation)]
    [InlineData("s-0", StaffMailKind.NotInvited)]
    [InlineData("s-0 s-1", StaffMailKind.Cancellation)]
    [InlineData("other", StaffMailKind.NotInvited)]
    [InlineData("junk padded", StaffMailKind.NotInvited)]
    public void CancelledEvent_IsCancelledToAnAddressAnEarlierInvitationMayHaveReached_AndToNoOther(string reachedUnder, StaffMailKind expected)
    {
        var e = EventBuilders.Event();
        Assert.True(e.Update(e.Details with { Title = new LocalizedText("新しい題名", "New title") }, EventBuilders.Now));
        Assert.True(e.Cancel(EventBuilders.Now));
        Assert.True(e.Sequence >= 2);

        Assert.Equal(expected, StaffMail.For(e, IdsFor(e, reachedUnder)));
    }

    [Fact]
    public void SendId_IsPerVersion_AndStartsWithTheOldId()
    {
        var e = EventBuilders.Event();
        var first = StaffMail.SendId(e);
        Assert.True(e.Update(e.Details with { Title = new LocalizedText("新しい題名", "New title") }, EventBuilders.Now));

        Assert.Equal($"event-{e.Id}-staff-s{e.Sequence - 1}", first);
        Assert.Equal($"event-{e.Id}-staff-s{e.Sequence}", StaffMail.SendId(e));
        Assert.StartsWith(StaffMail.IdPrefix(e), StaffMail.SendId(e), StringComparison.Ordinal);
    }
}
