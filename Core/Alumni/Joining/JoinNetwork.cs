using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Core.Alumni;

public enum JoinStatus
{
    Ready,
    Joined,
    AlreadyMember,
    Expired,

    /// <summary>A genuine link to data that is no longer held (erased or purged).</summary>
    Gone,
    Invalid,
}

/// <param name="Alumnus">Set when the link was genuine (even if expired), so the page can use the alumnus's language and name.</param>
public sealed record JoinResult(JoinStatus Status, Alumnus? Alumnus);

/// <summary>
/// The join offer behind the signed link in the welcome invitation. Joining records network membership and the
/// purposes the alumnus ticked as confirmed opt-ins. Consent is written before the status, and only what is not yet
/// granted, so a retry after a crash or a double submission records nothing twice.
/// </summary>
public sealed class JoinNetwork(SignedLinkAccess links, IAlumniStore alumni, IConsentLedger consents, TimeProvider time)
{
    public async Task<JoinResult> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Join, cancellationToken);
        return new JoinResult(Status(access) is var status && status == JoinStatus.Ready && access.Required.Status == AlumnusStatus.Joined
            ? JoinStatus.AlreadyMember : status, access.Alumnus);
    }

    public async Task<JoinResult> JoinAsync(string? token, IReadOnlySet<ConsentPurpose> chosen, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Join, cancellationToken);
        if (Status(access) != JoinStatus.Ready)
        {
            return new JoinResult(Status(access), access.Alumnus);
        }

        for (var alumnus = access.Alumnus; alumnus is not null; alumnus = await alumni.GetAsync(alumnus.Id, cancellationToken))
        {
            if (alumnus.Status == AlumnusStatus.Joined)
            {
                return new JoinResult(JoinStatus.AlreadyMember, alumnus);
            }

            var now = time.GetUtcNow();
            var wanted = chosen.Append(ConsentPurpose.NetworkMembership).ToHashSet();
            var state = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken));
            foreach (var change in state.ChangesTo(wanted, wanted, alumnus.Id, now, ConsentMethod.Link, ConsentWording.Join))
            {
                await consents.AppendAsync(change, cancellationToken);
            }

            alumnus.Join(now);
            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                return new JoinResult(JoinStatus.Joined, alumnus);
            }
        }

        return new JoinResult(JoinStatus.Invalid, null);
    }

    private static JoinStatus Status(LinkAccess access) => access.Status switch
    {
        LinkAccessStatus.Valid => JoinStatus.Ready,
        LinkAccessStatus.Expired => JoinStatus.Expired,
        LinkAccessStatus.Gone => JoinStatus.Gone,
        _ => JoinStatus.Invalid,
    };
}
