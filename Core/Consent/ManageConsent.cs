using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Core.Consent;

public sealed record ConsentView(LinkAccess Access, ConsentState State, int Changed = 0);

/// <summary>
/// Consent through signed links: the preferences page, unsubscribe from one category or from everything, and the
/// RFC 8058 one-click unsubscribe. Changes are computed against the current state, so a repeated submission
/// appends nothing.
/// </summary>
public sealed class ManageConsent(SignedLinkAccess links, IConsentLedger ledger, TimeProvider time)
{
    public async Task<ConsentView> ShowAsync(string? token, LinkPurpose purpose, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, purpose, cancellationToken);
        return new ConsentView(access, await StateAsync(access, cancellationToken));
    }

    /// <summary>
    /// Sets every optional purpose to granted or not, as ticked on the preferences page. Membership is not on it:
    /// leaving the network is erasure, which the page links to, so no record lingers without a purpose.
    /// </summary>
    public Task<ConsentView> SaveAsync(string? token, IReadOnlySet<ConsentPurpose> wanted, CancellationToken cancellationToken) =>
        ChangeAsync(token, LinkPurpose.Preferences, ConsentPurposes.Optional,
            state => wanted, ConsentWording.Preferences, cancellationToken);

    /// <summary>Withdraws one email category, or every email category when <paramref name="category"/> is null.</summary>
    public Task<ConsentView> UnsubscribeAsync(string? token, LinkPurpose purpose, ConsentPurpose? category, CancellationToken cancellationToken) =>
        ChangeAsync(token, purpose, category is { } one ? [one] : ConsentPurposes.Email,
            state => new HashSet<ConsentPurpose>(), ConsentWording.Unsubscribe, cancellationToken);

    private async Task<ConsentView> ChangeAsync(
        string? token, LinkPurpose purpose, IEnumerable<ConsentPurpose> scope, Func<ConsentState, IReadOnlySet<ConsentPurpose>> wanted,
        string wording, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, purpose, cancellationToken);
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
