using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Admin;

/// <summary>The rows of an admin list that may be shown, read ahead only as far as a page needs.</summary>
internal static class ShownRows
{
    /// <summary>
    /// The first <paramref name="count"/> rows, in order, of alumni <paramref name="shows"/> lets in (whose erasure has not
    /// begun, at least, ADR 0008): read one by one until that many are found, as a listed row is rarely of someone left out.
    /// Ask for a page and one more, so whether another page follows counts only rows it would show.
    /// </summary>
    public static async Task<List<T>> FirstAsync<T>(IEnumerable<T> ordered, Func<T, AlumnusId> whose, int count,
        Func<AlumnusId, CancellationToken, Task<bool>> shows, CancellationToken cancellationToken)
    {
        var shown = new List<T>();
        foreach (var row in ordered)
        {
            if (shown.Count == count)
            {
                break;
            }

            if (await shows(whose(row), cancellationToken))
            {
                shown.Add(row);
            }
        }

        return shown;
    }
}
