using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Links;

public enum LinkAccessStatus
{
    Valid,
    Expired,

    /// <summary>Genuine link, but nothing is held about the alumnus any more (erased or purged), or their erasure has begun.</summary>
    Gone,
    Invalid,
}

/// <param name="Alumnus">Set for valid and expired links, so a page can speak the alumnus's language.</param>
/// <param name="Scope">What the link is bound to besides the alumnus (an event, a survey wave), if anything.</param>
public sealed record LinkAccess(LinkAccessStatus Status, Alumnus? Alumnus, string? Scope = null)
{
    public Alumnus Required => Alumnus ?? throw new InvalidOperationException("The link gave no access.");

    /// <summary>
    /// For a <see cref="LinkAccessStatus.Gone"/> link, the id it was genuinely issued for: the one thing left that lets an
    /// interrupted erasure finish its last step on a retry.
    /// </summary>
    public AlumnusId? GoneAlumnusId { get; init; }

    /// <summary>
    /// Set on a <see cref="LinkAccessStatus.Gone"/> erase link of someone whose erasure began and did not finish: the row
    /// the erasure itself needs to finish the job on the alumnus's retry. Past its time too: finishing only completes what
    /// the link's holder asked for, and the page must not say no data is held while it still is. No other page gets it.
    /// </summary>
    public Alumnus? Erasing { get; init; }

    /// <summary>
    /// Set on an <see cref="LinkAccessStatus.Invalid"/> link that is genuinely signed but for another scope than the
    /// request names (a refusal link whose category was changed), so the page can name the field at fault.
    /// </summary>
    public bool WrongScope { get; init; }

    /// <summary>
    /// The checked token behind a valid or expired link, or behind an erase link that found its erasure under way, so a
    /// writer that re-reads the row can check it again (<see cref="SignedLinkAccess.StillFor"/>).
    /// </summary>
    internal LinkTokenCheck? Token { get; init; }

    /// <summary>A genuine link of someone no longer held, or whose erasure has begun.</summary>
    public static LinkAccess GoneFor(AlumnusId id) => new(LinkAccessStatus.Gone, null) { GoneAlumnusId = id };
}

/// <summary>Turns a signed link into the alumnus it was issued for, checking purpose, signature, the address it was mailed to and expiry.</summary>
public sealed class SignedLinkAccess(LinkTokenService tokens, IAlumniStore alumni)
{
    /// <param name="scope">When given, the link must have been issued for exactly this scope (another event's link is invalid here).</param>
    public async Task<LinkAccess> ResolveAsync(string? token, LinkPurpose purpose, CancellationToken cancellationToken, string? scope = null)
    {
        var check = tokens.Check(token, purpose);
        if (check.AlumnusId is not { } id)
        {
            return new LinkAccess(LinkAccessStatus.Invalid, null);
        }

        if (await alumni.GetAsync(id, cancellationToken) is not { } alumnus)
        {
            return LinkAccess.GoneFor(id);
        }

        // Mailed to an address the record no longer holds (HR corrected a typo after the welcome went): whoever reads that
        // mailbox is not the person, so the link opens nothing, whatever its purpose, and says nothing about the record.
        if (!tokens.IsFor(check, alumnus.PersonalEmail))
        {
            return new LinkAccess(LinkAccessStatus.Invalid, null);
        }

        // An erasure under way is answered as done on every page, so no write through a link can land between its removal
        // steps and outlive it (ADR 0007).
        if (alumnus.ErasureStartedAt is not null)
        {
            return purpose == LinkPurpose.Erase ? LinkAccess.GoneFor(id) with { Erasing = alumnus, Token = check } : LinkAccess.GoneFor(id);
        }

        if (check.Status == LinkTokenStatus.Expired)
        {
            return new LinkAccess(LinkAccessStatus.Expired, alumnus, check.Scope) { Token = check };
        }

        // Checked last: a genuine link for a person no longer held, or one past its time, is answered as that.
        return scope is not null && !string.Equals(check.Scope, scope, StringComparison.Ordinal)
            ? new LinkAccess(LinkAccessStatus.Invalid, null) { WrongScope = true }
            : new LinkAccess(LinkAccessStatus.Valid, alumnus, check.Scope) { Token = check };
    }

    /// <summary>
    /// Whether the link still belongs to <paramref name="current"/>, a re-read of its alumnus: a writer that retries on a
    /// conflict checks this again, since HR may have corrected the address after the link was resolved, and whoever
    /// reads the old mailbox is not the person.
    /// </summary>
    public bool StillFor(LinkAccess access, Alumnus current) =>
        access.Token is { } check && tokens.IsFor(check, current.PersonalEmail);
}
