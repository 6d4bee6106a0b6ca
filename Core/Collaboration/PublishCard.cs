using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Collaboration;

public enum CardOutcome
{
    /// <summary>The page as it is.</summary>
    None,

    /// <summary>Saved; <see cref="CardView.Card"/> says whether it awaits review.</summary>
    Saved,

    /// <summary>The same card was submitted again: nothing changed.</summary>
    Unchanged,
    Withdrawn,

    /// <summary>The form broke a rule (<see cref="CardView.Errors"/>); nothing was saved.</summary>
    Invalid,

    /// <summary>Only members of the network publish cards; nothing was saved.</summary>
    NotMember,

    /// <summary>The card changed while this was saved (an admin reviewed it); nothing was saved.</summary>
    Busy,
}

/// <param name="Card">The card as stored, or as submitted when <see cref="Outcome"/> is <see cref="CardOutcome.Invalid"/>.</param>
/// <param name="Profile">The profile, to start a new card from (company, business, skills, location).</param>
/// <param name="RequestsConsented">Whether the alumnus agreed to receive collaboration requests (on the preferences page).</param>
/// <param name="Submitted">On errors, the form as sent: the page shows it again, so a refused field is never shown (and then saved) empty.</param>
public sealed record CardView(
    LinkAccess Access, CollaborationCard? Card, Profile? Profile, bool RequestsConsented, CardOutcome Outcome = CardOutcome.None,
    IReadOnlyList<FieldError>? Errors = null, CardForm? Submitted = null)
{
    /// <summary>The text the form shows for <paramref name="field"/>: what was submitted when it was refused, else the card's; null without either.</summary>
    public string? TextOf(CardField field) =>
        Submitted is { } form ? FreeText.NormaliseLineBreaks(form.Fields.GetValueOrDefault(field.ToString()) ?? "").Trim() : Card?.ValueOf(field);
}

/// <summary>
/// The alumnus's collaboration card behind a signed link from their profile: write it, choose who may see it, pause
/// requests, or withdraw it. A new or changed card waits for an admin's review before it is listed; pausing requests or
/// changing who sees an approved card does not. Members only: someone who has not joined the network publishes nothing.
/// A card saved as the alumnus's erasure began is taken back and answered as erased (<see cref="Privacy.ErasureRecheck"/>).
/// </summary>
public sealed class PublishCard(
    SignedLinkAccess links, ICollaborationStore store, IProfileStore profiles, IConsentLedger consents, Privacy.ErasureRecheck erasure, TimeProvider time)
{
    public async Task<CardView> ShowAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.CollaborationCard, cancellationToken);
        return await ViewAsync(access, null, CardOutcome.None, cancellationToken);
    }

    public async Task<CardView> SaveAsync(string? token, CardForm form, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.CollaborationCard, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid || access.Required.Status != AlumnusStatus.Joined)
        {
            return await ViewAsync(access, null, access.Status == LinkAccessStatus.Valid ? CardOutcome.NotMember : CardOutcome.None, cancellationToken);
        }

        var alumnus = access.Required;
        var (draft, errors) = form.Parse(alumnus.Id, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return await ViewAsync(access, draft, CardOutcome.Invalid, cancellationToken, errors) with { Submitted = form };
        }

        var current = await store.GetCardAsync(alumnus.Id, cancellationToken);
        var card = (draft with { FamilyName = alumnus.FamilyName, GivenName = alumnus.GivenName }).SubmittedOver(current) with { ETag = current?.ETag };
        if (current is not null && Same(card, current))
        {
            return await ViewAsync(access, current, CardOutcome.Unchanged, cancellationToken);
        }

        if (await store.TrySaveCardAsync(card, cancellationToken) is not { } saved)
        {
            return await ViewAsync(access, null, CardOutcome.Busy, cancellationToken);
        }

        // The card copies the name: one written as the erasure began must not outlive it.
        return await erasure.WriteStandsAsync(alumnus.Id, ct => store.DeleteCardAsync(alumnus.Id, ct), cancellationToken)
            ? await ViewAsync(access, saved, CardOutcome.Saved, cancellationToken)
            : new CardView(LinkAccess.GoneFor(alumnus.Id), null, null, false);
    }

    public async Task<CardView> WithdrawAsync(string? token, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.CollaborationCard, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return await ViewAsync(access, null, CardOutcome.None, cancellationToken);
        }

        await store.DeleteCardAsync(access.Required.Id, cancellationToken);
        return new CardView(access, null, null, false, CardOutcome.Withdrawn);
    }

    private async Task<CardView> ViewAsync(LinkAccess access, CollaborationCard? card, CardOutcome outcome, CancellationToken cancellationToken,
        IReadOnlyList<FieldError>? errors = null)
    {
        if (access.Alumnus is not { } alumnus || access.Status != LinkAccessStatus.Valid)
        {
            return new CardView(access, null, null, false, outcome);
        }

        var consented = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken)).Has(ConsentPurpose.Collaboration);
        return new CardView(access, card ?? await store.GetCardAsync(alumnus.Id, cancellationToken), await profiles.GetAsync(alumnus.Id, cancellationToken),
            consented, outcome, errors);
    }

    /// <summary>Whether the submission changes nothing the alumnus controls (the review fields are the admins').</summary>
    private static bool Same(CollaborationCard submitted, CollaborationCard current) =>
        !submitted.ContentDiffers(current) && submitted.Status == current.Status &&
        (submitted.VisibleToMembers, submitted.VisibleToEmployees, submitted.RequestsPaused) == (current.VisibleToMembers, current.VisibleToEmployees, current.RequestsPaused);
}
