using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>One page of a compliance list.</summary>
/// <param name="After">The cursor this page started after (null on the first page).</param>
/// <param name="Next">The cursor of the page after it (null on the last page).</param>
public sealed record ConflictPage<T>(IReadOnlyList<T> Items, string? After, string? Next);

/// <summary>
/// Where a page of a compliance list ended: the last row's time and key, in the order the pages follow (by time, as
/// <see cref="PageOrder"/> says, then by key, ordinal). Written <c>{ticks}-{key}</c>, as the collaboration directory's cursor; a row changed since is placed
/// by its new time, so a page may show it again or skip it, never fail.
/// </summary>
internal sealed record ConflictCursor(long Ticks, string Key)
{
    public const string Field = "after";

    public static string Of(DateTimeOffset time, string key) =>
        $"{time.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{key}";

    /// <returns>Null for the first page, or with an error naming <c>after</c> when the text is no cursor.</returns>
    public static ConflictCursor? Parse(string? text, Func<string, bool> isKey, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0 && long.TryParse(text.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks) &&
            ticks <= DateTimeOffset.MaxValue.UtcTicks && isKey(text[(dash + 1)..]))
        {
            return new ConflictCursor(ticks, text[(dash + 1)..]);
        }

        errors.Add(new FieldError(Field, "must be the cursor a page of this list links to"));
        return null;
    }

    /// <summary>
    /// The page of <paramref name="rows"/> after <paramref name="cursor"/> (all of them from the first), in
    /// <paramref name="order"/> of time, then by key, at most <paramref name="size"/>, with the cursor of the next page
    /// when there is one. Rows of someone whose erasure has begun, or whose row is gone, are left out (ADR 0008: admin
    /// views treat them as erased); one row more than a page is read ahead, so a next page is linked only when it shows someone.
    /// </summary>
    public static async Task<ConflictPage<T>> PageOfAsync<T>(
        IEnumerable<T> rows, Func<T, DateTimeOffset> time, Func<T, string> key, Func<T, AlumnusId> whose, PageOrder order, ConflictCursor? cursor, string? after, int size,
        ErasureRecheck erasure, CancellationToken cancellationToken)
    {
        var remaining = rows.Where(r => cursor is null || cursor.Precedes(time(r), key(r), order));
        var ordered = (order == PageOrder.OldestFirst ? remaining.OrderBy(r => time(r).UtcTicks) : remaining.OrderByDescending(r => time(r).UtcTicks))
            .ThenBy(key, StringComparer.Ordinal);
        var shownAndNext = await ShownRows.FirstAsync(ordered, whose, size + 1, async (id, ct) => !await erasure.BegunAsync(id, ct), cancellationToken);
        var shown = shownAndNext.Take(size).ToArray();
        return new ConflictPage<T>(shown, string.IsNullOrEmpty(after) ? null : after, shownAndNext.Count > size ? Of(time(shown[^1]), key(shown[^1])) : null);
    }

    /// <summary>Whether a row at <paramref name="time"/> with <paramref name="key"/> comes after this cursor in the pages' order.</summary>
    public bool Precedes(DateTimeOffset time, string key, PageOrder order)
    {
        var ticks = time.UtcTicks;
        return (order == PageOrder.OldestFirst ? ticks > Ticks : ticks < Ticks) || (ticks == Ticks && string.CompareOrdinal(key, Key) > 0);
    }
}

/// <summary>The order of time a compliance list pages in.</summary>
internal enum PageOrder
{
    /// <summary>A list read for what changed lately (the flagged alumni).</summary>
    NewestFirst,

    /// <summary>A queue worked through (the approvals): first asked, first decided, so none waits behind newer ones for ever.</summary>
    OldestFirst,
}
