using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Collaboration;

/// <summary>A directory search as typed: each field optional, text compared ignoring case and width (全角/半角).</summary>
public sealed record DirectoryQuery(string? Industry, string? Skills, string? Location, string? Offer, string? Status = null)
{
    public const int MaxTextLength = 100;

    public (DirectoryCriteria? Criteria, IReadOnlyList<FieldError> Errors) Parse(bool statusAllowed = false)
    {
        var errors = new List<FieldError>();
        Industry? industry = null;
        if (!string.IsNullOrEmpty(Industry))
        {
            if (EnumNames.TryParse<Industry>(Industry, ignoreCase: false, out var chosen))
            {
                industry = chosen;
            }
            else
            {
                errors.Add(new FieldError("industry", $"must be one of {EnumNames.List<Industry>()}, or empty for any"));
            }
        }

        CardStatus? status = null;
        if (!string.IsNullOrEmpty(Status))
        {
            if (statusAllowed && EnumNames.TryParse<CardStatus>(Status, ignoreCase: false, out var wanted))
            {
                status = wanted;
            }
            else
            {
                errors.Add(new FieldError("status", statusAllowed ? $"must be one of {EnumNames.List<CardStatus>()}, or empty for any" : "is not a filter of this page"));
            }
        }

        string Text(string name, string? value)
        {
            var text = (value ?? "").Trim();
            if (text.Length > MaxTextLength || text.Any(char.IsControl))
            {
                errors.Add(new FieldError(name, $"must be at most {MaxTextLength} characters without control characters"));
            }

            return text;
        }

        var criteria = new DirectoryCriteria(industry, Text("skills", Skills), Text("location", Location), Text("offer", Offer), status);
        return errors.Count > 0 ? (null, errors) : (criteria, errors);
    }
}

public sealed record DirectoryCriteria(Industry? Industry, string Skills, string Location, string Offer, CardStatus? Status = null)
{
    public bool Matches(CollaborationCard card) =>
        (Industry is not { } industry || card.Industry == industry)
        && Contains(card.ValueOf(CardField.Skills), Skills)
        && Contains(card.ValueOf(CardField.Location), Location)
        && (Contains(card.ValueOf(CardField.Offer), Offer) || Contains(card.ValueOf(CardField.Business), Offer));

    private static bool Contains(string text, string wanted) =>
        wanted.Length == 0 || Fold(text).Contains(Fold(wanted), StringComparison.Ordinal);

    /// <summary>NFKC folds full-width letters and digits to ASCII and half-width kana to full-width; then case is ignored.</summary>
    private static string Fold(string value) => value.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
}

/// <param name="More">More cards matched than are shown: the search should be narrower.</param>
/// <param name="After">The cursor this page starts after (null: the first page); admins' pages only.</param>
/// <param name="Next">The cursor of the next page, when there is one; admins' pages only.</param>
public sealed record DirectoryPage(IReadOnlyList<CollaborationCard> Cards, bool More, string? After = null, string? Next = null);

/// <summary>One card as an admin reads it, with the requests its alumnus received (newest first).</summary>
public sealed record CardDetails(CollaborationCard Card, IReadOnlyList<CollaborationRequest> Requests);

/// <param name="Access">For the members' page: the link and the member it was issued to.</param>
public sealed record DirectoryView(LinkAccess Access, DirectoryPage? Page, IReadOnlyList<FieldError> Errors, bool NotMember = false);

/// <summary>
/// The directory of collaboration cards: for members behind a signed link (listed cards their authors show to members),
/// and for admins (every card, any status, with the review queue). Newest reviewed first, at most
/// <see cref="MaxResults"/> at once for members; admins page through all of them, <see cref="CollaborationOptions.AdminPageSize"/>
/// at a time, each page starting after the cursor the previous one ended at. An admin's search is audited with the
/// alumni it showed. A card whose alumnus's erasure has begun is never shown: they count as erased, and the erasure
/// removes it. Members see only the cards of members: a card whose alumnus is no longer one (rehired, ADR 0031) stays
/// theirs and the admins' to see, and is listed again if they leave and join once more.
/// </summary>
public sealed class CollaborationDirectory(
    SignedLinkAccess links, ICollaborationStore store, IAlumniStore alumni, Privacy.ErasureRecheck erasure, IAuditLog audit, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<CollaborationOptions> options)
{
    public const int MaxResults = 100;

    public async Task<DirectoryView> BrowseAsync(string? token, DirectoryQuery query, CancellationToken cancellationToken)
    {
        var access = await links.ResolveAsync(token, LinkPurpose.CollaborationDirectory, cancellationToken);
        if (access.Status != LinkAccessStatus.Valid)
        {
            return new DirectoryView(access, null, []);
        }

        if (access.Required.Status != AlumnusStatus.Joined)
        {
            return new DirectoryView(access, null, [], NotMember: true);
        }

        var (criteria, errors) = query.Parse();
        return criteria is null
            ? new DirectoryView(access, null, errors)
            : new DirectoryView(access, await SearchAsync(CardStatus.Listed, c => c.VisibleToMembers && criteria.Matches(c), cancellationToken), []);
    }

    /// <param name="after">The cursor of the page: where the previous page ended (null or empty: the first page).</param>
    public async Task<AdminOutcome<DirectoryPage>> SearchForAdminAsync(DirectoryQuery query, string? after, string actor, CancellationToken cancellationToken)
    {
        var (criteria, problems) = query.Parse(statusAllowed: true);
        var errors = problems.ToList();
        var cursor = DirectoryCursor.Parse(after, errors);
        if (criteria is null || errors.Count > 0)
        {
            return new AdminOutcome<DirectoryPage>.Invalid(errors);
        }

        var found = new List<CollaborationCard>();
        await foreach (var card in store.ListCardsAsync(criteria.Status, cancellationToken))
        {
            if (criteria.Matches(card) && (cursor is null || cursor.Precedes(card)))
            {
                found.Add(card);
            }
        }

        var size = options.Value.AdminPageSize;
        var shownAndNext = await ShownRows.FirstAsync(found.OrderByDescending(DirectoryCursor.Time).ThenBy(c => c.AlumnusId.Value, StringComparer.Ordinal), c => c.AlumnusId, size + 1,
            async (id, ct) => !await erasure.BegunAsync(id, ct), cancellationToken);
        var shown = shownAndNext.Take(size).ToArray();
        var more = shownAndNext.Count > size;
        var page = new DirectoryPage(shown, more, string.IsNullOrEmpty(after) ? null : after, more ? DirectoryCursor.Of(shown[^1]) : null);
        var entry = new AuditEntry(time.GetUtcNow(), actor, CollaborationAuditActions.CardsRead, "", $"status={criteria.Status}; results={page.Cards.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, page.Cards.Select(c => c.AlumnusId).ToArray(), cancellationToken);
        return new AdminOutcome<DirectoryPage>.Done(page);
    }

    /// <summary>One card with the requests its alumnus received, for an admin; audited before it is shown; none once the alumnus's erasure has begun.</summary>
    public async Task<AdminOutcome<CardDetails>> ReadAsync(string id, string actor, CancellationToken cancellationToken)
    {
        if (!AlumnusId.TryParse(id, out var alumnusId) || await store.GetCardAsync(alumnusId, cancellationToken) is not { } card ||
            await erasure.BegunAsync(alumnusId, cancellationToken))
        {
            return new AdminOutcome<CardDetails>.NotFound();
        }

        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, CollaborationAuditActions.CardRead, alumnusId.Value, "view=card"), cancellationToken);
        return new AdminOutcome<CardDetails>.Done(new CardDetails(card, await store.RequestsToAsync(alumnusId, cancellationToken)));
    }

    private async Task<DirectoryPage> SearchAsync(CardStatus? status, Func<CollaborationCard, bool> matches, CancellationToken cancellationToken)
    {
        var found = new List<CollaborationCard>();
        await foreach (var card in store.ListCardsAsync(status, cancellationToken))
        {
            if (matches(card))
            {
                found.Add(card);
            }
        }

        var shown = await ShownRows.FirstAsync(found.OrderByDescending(c => c.ReviewedAt ?? c.SubmittedAt), c => c.AlumnusId, MaxResults + 1, IsMemberAsync, cancellationToken);
        return new DirectoryPage(shown.Take(MaxResults).ToArray(), shown.Count > MaxResults);
    }

    /// <summary>A member now, whose erasure has not begun: whose card the members' directory lists.</summary>
    private async Task<bool> IsMemberAsync(AlumnusId alumnusId, CancellationToken cancellationToken) =>
        await alumni.GetAsync(alumnusId, cancellationToken) is { ErasureStartedAt: null, Status: AlumnusStatus.Joined };
}

/// <summary>
/// Where a page of the admins' directory ended: the last card's time (reviewed, else submitted) and alumnus id, the
/// order the pages follow (newest first, then by id). Written <c>{ticks}-{alumnus id}</c>; a card changed since is
/// placed by its new time, so a page may show it again or skip it, never fail.
/// </summary>
internal sealed record DirectoryCursor(long Ticks, string AlumnusId)
{
    public static DateTimeOffset Time(CollaborationCard card) => card.ReviewedAt ?? card.SubmittedAt;

    public static string Of(CollaborationCard card) =>
        $"{Time(card).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{card.AlumnusId.Value}";

    /// <returns>Null for the first page, or with an error naming <c>after</c> when the text is no cursor.</returns>
    public static DirectoryCursor? Parse(string? text, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) &&
            ticks <= DateTimeOffset.MaxValue.UtcTicks && Alumni.AlumnusId.TryParse(text[(dash + 1)..], out var id))
        {
            return new DirectoryCursor(ticks, id.Value);
        }

        errors.Add(new FieldError("after", "must be the cursor a page of cards links to"));
        return null;
    }

    /// <summary>Whether <paramref name="card"/> comes after this cursor in the pages' order.</summary>
    public bool Precedes(CollaborationCard card)
    {
        var ticks = Time(card).UtcTicks;
        return ticks < Ticks || (ticks == Ticks && string.CompareOrdinal(card.AlumnusId.Value, AlumnusId) > 0);
    }
}
