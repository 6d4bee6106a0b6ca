using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Core.Alumni;

public enum JoinStatus
{
    Ready,
    Joined,
    AlreadyMember,

    /// <summary>The person works at the company again (rehired): the network is not for them now, and nothing is recorded.</summary>
    Returned,

    /// <summary>The form came back without the membership box ticked: nothing is recorded and the form is shown again.</summary>
    MembershipNotTicked,
    Expired,

    /// <summary>A genuine link to data that is no longer held (erased or purged).</summary>
    Gone,
    Invalid,
}

/// <param name="Alumnus">Set when the link was genuine (even if expired), so the page can use the alumnus's language and name.</param>
/// <param name="Ticked">The optional purposes the alumnus ticked, kept when the form is shown again.</param>
/// <param name="ConsentWithdrawn">
/// <see cref="JoinStatus.Returned"/> found after this submission had recorded its consents (a rehire landed meanwhile):
/// they were withdrawn again, and the page says so rather than that nothing was recorded.
/// </param>
public sealed record JoinResult(JoinStatus Status, Alumnus? Alumnus, IReadOnlySet<ConsentPurpose>? Ticked = null, bool ConsentWithdrawn = false);

/// <summary>What the alumnus ticked on the join form: the membership box and any optional purposes.</summary>
public sealed record JoinChoice(bool Membership, IReadOnlySet<ConsentPurpose> Purposes);

/// <summary>
/// The join offer behind the signed link in the welcome invitation. Consent is an affirmative act: joining needs the
/// membership box ticked, and records membership and exactly the optional purposes ticked as confirmed opt-ins,
/// withdrawing any other purpose granted before (the form shows nothing ticked); a form without the membership box
/// records nothing. Consent is written before the status, and only what is not yet
/// granted, so a retry after a crash or a double submission records nothing twice. Whether the person may join at all
/// (not a member already, not rehired) is decided before anything is written; a rehire that lands between the consents
/// and the status withdraws the consents this submission granted.
/// </summary>
public sealed class JoinNetwork(SignedLinkAccess links, IAlumniStore alumni, IConsentLedger consents, TimeProvider time)
{
    public async Task<JoinResult> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Join, cancellationToken);
        var status = Status(access);
        return new JoinResult(status == JoinStatus.Ready ? Standing(access.Required) ?? status : status, access.Alumnus);
    }

    public async Task<JoinResult> JoinAsync(string? token, JoinChoice choice, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.Join, cancellationToken);
        if (Status(access) != JoinStatus.Ready)
        {
            return new JoinResult(Status(access), access.Alumnus);
        }

        for (var alumnus = access.Alumnus; alumnus is not null; alumnus = await alumni.GetAsync(alumnus.Id, cancellationToken))
        {
            // An erasure that set its flag after the link was checked changed the row, so the join's write failed and this
            // is the re-read: answered as erased, never as joined (ADR 0007). Consents appended meanwhile may have landed
            // after the erasure removed the ledger's entries; the retention purge removes those of a person no longer held.
            if (alumnus.ErasureStartedAt is not null)
            {
                return new JoinResult(JoinStatus.Gone, null);
            }

            // HR corrected the address after the link was checked: the link was mailed to the old one, and whoever reads
            // that mailbox is not the person, so it opens nothing, as it would have had it been checked now, and the
            // consents this submission recorded for someone who is not a member are withdrawn again.
            if (!links.StillFor(access, alumnus))
            {
                if (alumnus.JoinedAt is null)
                {
                    await WithdrawJoinGrantsAsync(alumnus.Id, cancellationToken);
                }

                return new JoinResult(JoinStatus.Invalid, null);
            }

            if (Standing(alumnus) is { } standing)
            {
                return standing == JoinStatus.Returned && alumnus.JoinedAt is null && await WithdrawJoinGrantsAsync(alumnus.Id, cancellationToken)
                    ? new JoinResult(standing, alumnus, ConsentWithdrawn: true)
                    : new JoinResult(standing, alumnus);
            }

            if (!choice.Membership)
            {
                return new JoinResult(JoinStatus.MembershipNotTicked, alumnus, choice.Purposes);
            }

            var now = time.GetUtcNow();
            var wanted = choice.Purposes.Append(ConsentPurpose.NetworkMembership).ToHashSet();
            var state = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken));
            // Over every purpose, not just the ticked ones: a grant from before (the preferences link in the welcome's footer)
            // that the form, showing nothing ticked, left unticked is withdrawn, so the person gets exactly what they chose.
            foreach (var change in state.ChangesTo(wanted, ConsentPurposes.All, alumnus.Id, now, ConsentMethod.Link, ConsentWording.Join))
            {
                await consents.AppendAsync(change, cancellationToken);
            }

            if (!alumnus.Join(now))
            {
                // The alumnus decides: a join it refuses is never reported as one.
                return new JoinResult(Standing(alumnus) ?? JoinStatus.Invalid, alumnus);
            }

            if (await alumni.TryUpdateAsync(alumnus, cancellationToken))
            {
                return new JoinResult(JoinStatus.Joined, alumnus);
            }
        }

        // The row went after the link was checked: erased (or purged).
        return new JoinResult(JoinStatus.Gone, null);
    }

    /// <summary>
    /// Withdraws the grants a join gave to a person rehired before they became a member: a rehire landed while a join was
    /// written (this submission's, or an earlier one's that stopped before it got here), and the person is not a member, as
    /// the page tells them. Dated after the grants, so the ledger's last word is this. Whether any were withdrawn.
    /// </summary>
    private async Task<bool> WithdrawJoinGrantsAsync(AlumnusId id, CancellationToken cancellationToken)
    {
        var grants = ConsentState.From(await consents.HistoryAsync(id, cancellationToken)).GrantedBy(ConsentMethod.Link, ConsentWording.Join);
        if (grants.Count == 0)
        {
            return false;
        }

        var at = Later(time.GetUtcNow(), grants.Max(g => g.At));
        foreach (var grant in grants)
        {
            await consents.AppendAsync(new ConsentRecord(id, grant.Purpose, false, at, ConsentMethod.Link, ConsentWording.Join), cancellationToken);
        }

        return true;
    }

    private static DateTimeOffset Later(DateTimeOffset now, DateTimeOffset after) => now > after ? now : after.AddMilliseconds(1);

    /// <summary>Why this person cannot join now (already a member, or rehired); null when they can.</summary>
    private static JoinStatus? Standing(Alumnus alumnus) => alumnus.Status switch
    {
        AlumnusStatus.Joined => JoinStatus.AlreadyMember,
        AlumnusStatus.Returned => JoinStatus.Returned,
        _ => null,
    };

    private static JoinStatus Status(LinkAccess access) => access.Status switch
    {
        LinkAccessStatus.Valid => JoinStatus.Ready,
        LinkAccessStatus.Expired => JoinStatus.Expired,
        LinkAccessStatus.Gone => JoinStatus.Gone,
        _ => JoinStatus.Invalid,
    };
}
