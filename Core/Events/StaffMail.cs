using System.Globalization;

namespace AlumniNetwork.Core.Events;

/// <summary>What a request about an event's employees does for one address.</summary>
public enum StaffMailKind
{
    /// <summary>Send the invitation to the event as it is now (once per version: the ledger claim decides).</summary>
    Invitation,

    /// <summary>Send nothing: an invitation under the id used before versions may have reached it, and counts as sent.</summary>
    SentBeforeVersions,

    /// <summary>Send the cancellation: an invitation to an earlier version (or under the old id) may have reached it.</summary>
    Cancellation,

    /// <summary>Send nothing: no invitation may have reached it, so it is not told of the cancellation.</summary>
    NotInvited,
}

/// <summary>
/// The Sends ids of the employees' mail about an event (ADR 0022), and what a request sends one address given the ids a
/// mail to it may have gone under (ADR 0015: an unknown outcome counts).
/// </summary>
public static class StaffMail
{
    /// <summary>
    /// The id of the employees' mail about the event as it is: one per calendar sequence, like the attendees' notices of
    /// a change (<see cref="PendingNotice.For"/>), so each version (and the cancellation, which raises the sequence) goes
    /// once to each address.
    /// </summary>
    public static string SendId(NetworkEvent e) => SendId(e, e.Sequence);

    /// <summary>
    /// The id used before invitations were sent per version, which every staff send id of the event starts with. An
    /// invitation under it was sent too, and counts as sent for the current version (which version it was is not known;
    /// re-inviting everyone after the deploy would be worse).
    /// </summary>
    public static string IdPrefix(NetworkEvent e) => $"event-{e.Id}-staff";

    /// <param name="mayHaveReachedUnder">The staff send ids under which a mail may have reached the address.</param>
    public static StaffMailKind For(NetworkEvent e, IEnumerable<string> mayHaveReachedUnder) =>
        e.Status == EventStatus.Cancelled
            ? mayHaveReachedUnder.Any(id => IsEarlierInvitation(e, id)) ? StaffMailKind.Cancellation : StaffMailKind.NotInvited
            : mayHaveReachedUnder.Contains(IdPrefix(e), StringComparer.Ordinal) ? StaffMailKind.SentBeforeVersions : StaffMailKind.Invitation;

    private static string SendId(NetworkEvent e, int sequence) => string.Create(CultureInfo.InvariantCulture, $"event-{e.Id}-staff-s{sequence}");

    /// <summary>The old id, or the id of a version before the current one (the cancellation's own is not an invitation).</summary>
    private static bool IsEarlierInvitation(NetworkEvent e, string sendId)
    {
        var prefix = IdPrefix(e) + "-s";
        return sendId == IdPrefix(e) ||
            (sendId.StartsWith(prefix, StringComparison.Ordinal) &&
             int.TryParse(sendId.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) &&
             sequence < e.Sequence && sendId == SendId(e, sequence));
    }
}
