using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Core.Alumni;

public enum JoinStatus
{
    Ready,
    Joined,
    AlreadyMember,
    Expired,
    Invalid,
}

/// <param name="Alumnus">Set when the link was genuine (even if expired), so the page can use the alumnus's language and name.</param>
public sealed record JoinResult(JoinStatus Status, Alumnus? Alumnus);

/// <summary>Shows the join offer behind a signed link and records network membership consent (confirmed opt-in).</summary>
public sealed class JoinNetwork(IAlumniStore alumni, IConsentLedger consents, LinkTokenService links, TimeProvider time)
{
    public const string WordingVersion = "join-2026-11";

    public async Task<JoinResult> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var (status, alumnus) = await ResolveAsync(token, cancellationToken);
        return status != JoinStatus.Ready ? new JoinResult(status, alumnus)
            : new JoinResult(alumnus!.Status == AlumnusStatus.Joined ? JoinStatus.AlreadyMember : JoinStatus.Ready, alumnus);
    }

    public async Task<JoinResult> JoinAsync(string? token, CancellationToken cancellationToken)
    {
        var (status, alumnus) = await ResolveAsync(token, cancellationToken);
        while (status == JoinStatus.Ready && alumnus is not null)
        {
            if (!alumnus.Join(time.GetUtcNow()))
            {
                // Already a member: make sure the consent entry exists (an earlier attempt may have died before it).
                await AppendConsentAsync(alumnus, cancellationToken);
                return new JoinResult(JoinStatus.AlreadyMember, alumnus);
            }

            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                await AppendConsentAsync(alumnus, cancellationToken);
                return new JoinResult(JoinStatus.Joined, alumnus);
            }

            alumnus = await alumni.GetAsync(alumnus.Id, cancellationToken);
        }

        return new JoinResult(alumnus is null && status == JoinStatus.Ready ? JoinStatus.Invalid : status, alumnus);
    }

    private Task AppendConsentAsync(Alumnus alumnus, CancellationToken cancellationToken) => consents.AppendAsync(
        new ConsentRecord(alumnus.Id, ConsentPurpose.NetworkMembership, Granted: true, alumnus.JoinedAt!.Value, ConsentMethod.Link, WordingVersion),
        cancellationToken);

    private async Task<(JoinStatus, Alumnus?)> ResolveAsync(string? token, CancellationToken cancellationToken)
    {
        var check = links.Check(token, LinkPurpose.Join);
        if (check.AlumnusId is not { } id)
        {
            return (JoinStatus.Invalid, null);
        }

        var alumnus = await alumni.GetAsync(id, cancellationToken);
        if (alumnus is null)
        {
            return (JoinStatus.Invalid, null);
        }

        return (check.Status == LinkTokenStatus.Expired ? JoinStatus.Expired : JoinStatus.Ready, alumnus);
    }
}
