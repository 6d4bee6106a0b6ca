using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Core.Consent;

public sealed record ConsentView(LinkAccess Access, ConsentState State, int Changed = 0);

/// <summary>
/// Consent through signed links: the preferences page, unsubscribe from one category or from everything, and the
/// RFC 8058 one-click unsubscribe. The preferences page's changes are computed against the current state, so a repeated
/// submission appends nothing. A refusal link, and the preferences page's "unsubscribe from all emails", append a
/// withdrawal of each purpose they name that is not refused already, granted or not in the state they read, then read
/// again and withdraw what now shows granted (a grant appended meanwhile to a purpose read as refused): such a grant would
/// otherwise stand while the page says unsubscribed. A repeated click appends nothing.
/// </summary>
public sealed class ManageConsent(SignedLinkAccess links, IConsentLedger ledger, TimeProvider time)
{
    /// <summary>How many times a refusal link appends at most: grants that keep landing between its reads do not hold it forever.</summary>
    public const int MaxRefusalRounds = 3;

    /// <summary>
    /// The scope a refusal link is signed with: the category it withdraws, or <c>all</c> for a refusal of every email.
    /// The link's <c>category</c> query value is only a label; a value the signature does not cover (changed, added or
    /// cut) makes the link refuse with <see cref="LinkAccess.WrongScope"/>, so nobody withdraws another purpose with it.
    /// </summary>
    public static string UnsubscribeScope(ConsentPurpose? category) => category?.ToString() ?? "all";

    /// <param name="scope">When given, the link must have been signed for it (see <see cref="UnsubscribeScope"/>).</param>
    public async Task<ConsentView> ShowAsync(string? token, LinkPurpose purpose, CancellationToken cancellationToken, string? scope = null)
    {
        var access = await links.ResolveAsync(token, purpose, cancellationToken, scope);
        return new ConsentView(access, await StateAsync(access, cancellationToken));
    }

    /// <summary>
    /// Sets every optional purpose to granted or not, as ticked on the preferences page. Membership is not on it:
    /// leaving the network is erasure, which the page links to, so no record lingers without a purpose.
    /// </summary>
    public Task<ConsentView> SaveAsync(string? token, IReadOnlySet<ConsentPurpose> wanted, CancellationToken cancellationToken) =>
        ChangeAsync(token, LinkPurpose.Preferences, linkScope: null, ConsentPurposes.Optional,
            state => wanted, ConsentWording.Preferences, cancellationToken);

    /// <summary>
    /// Withdraws one email category, or every email category when <paramref name="category"/> is null, as a refusal:
    /// recorded even for a purpose never granted. Through a refusal link (<see cref="LinkPurpose.Unsubscribe"/>) the
    /// category must be the one the link was signed for.
    /// </summary>
    public Task<ConsentView> UnsubscribeAsync(string? token, LinkPurpose purpose, ConsentPurpose? category, CancellationToken cancellationToken) =>
        RefuseAsync(token, purpose, purpose == LinkPurpose.Unsubscribe ? UnsubscribeScope(category) : null, category, cancellationToken);

    /// <summary>
    /// The refusal link with no category (the welcome invitation's, and its one-click target): refuses every email
    /// purpose and records the refusal even for purposes never granted, so someone who never joined has their "no"
    /// on record, with the date and wording, and nothing is sent on those purposes until they opt in again.
    /// </summary>
    public Task<ConsentView> RefuseAllAsync(string? token, CancellationToken cancellationToken) =>
        RefuseAsync(token, LinkPurpose.Unsubscribe, UnsubscribeScope(null), category: null, cancellationToken);

    /// <summary>
    /// A refusal through a link of <paramref name="linkPurpose"/> (signed for <paramref name="linkScope"/> when given):
    /// withdraws the purposes it names (every email purpose without a category) unless refused already.
    /// </summary>
    private async Task<ConsentView> RefuseAsync(string? token, LinkPurpose linkPurpose, string? linkScope, ConsentPurpose? category, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, linkPurpose, cancellationToken, linkScope);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return new ConsentView(access, await StateAsync(access, cancellationToken));
        }

        // Every purpose named that is not refused already, granted or not as read: a grant appended after the read is
        // withdrawn by this later entry, and a repeated click (a mail scanner, a double submit) appends nothing. A grant
        // appended after the read to a purpose read as refused would be skipped, so the state is read again after the
        // appends and what it shows granted is withdrawn too, a few rounds at most.
        var named = category is { } one ? [one] : ConsentPurposes.Email;
        var changed = 0;
        for (var round = 0; ; round++)
        {
            var state = await StateAsync(access, cancellationToken);
            var now = time.GetUtcNow();
            var refusals = named.Where(p => !state.IsRefused(p))
                .Select(p => new ConsentRecord(access.Required.Id, p, Granted: false, now, ConsentMethod.Link, ConsentWording.Unsubscribe))
                .ToArray();
            if (refusals.Length == 0 || round == MaxRefusalRounds)
            {
                return new ConsentView(access, state, changed);
            }

            foreach (var refusal in refusals)
            {
                await ledger.AppendAsync(refusal, cancellationToken);
            }

            changed += refusals.Length;
        }
    }

    private async Task<ConsentView> ChangeAsync(
        string? token, LinkPurpose purpose, string? linkScope, IEnumerable<ConsentPurpose> scope, Func<ConsentState, IReadOnlySet<ConsentPurpose>> wanted,
        string wording, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, purpose, cancellationToken, linkScope);
        var state = await StateAsync(access, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return new ConsentView(access, state);
        }

        var changes = state.ChangesTo(wanted(state), scope, access.Required.Id, time.GetUtcNow(), ConsentMethod.Link, wording);
        foreach (var change in changes)
        {
            await ledger.AppendAsync(change, cancellationToken);
        }

        return new ConsentView(access, await StateAsync(access, cancellationToken), changes.Count);
    }

    private async Task<ConsentState> StateAsync(LinkAccess access, CancellationToken cancellationToken) =>
        access.Alumnus is { } alumnus ? ConsentState.From(await ledger.HistoryAsync(alumnus.Id, cancellationToken)) : ConsentState.From([]);
}
