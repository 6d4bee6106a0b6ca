namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// The webhook ids of the departures already applied for one employee, kept on the employee's claim row in one column
/// (ADR 0036): the last <see cref="Bound"/>, oldest first, space-separated. The ids are tokens the store derives (keyed
/// pseudonyms), so none holds a space and the column's length is bounded whatever the HR system sends.
/// </summary>
public static class HandledWebhooks
{
    /// <summary>How many ids an employee's claim keeps: far more than the messages one person's departure brings.</summary>
    public const int Bound = 20;

    public static bool Contains(string? stored, string token) => Split(stored).Contains(token, StringComparer.Ordinal);

    /// <summary>
    /// The column with <paramref name="token"/> added as the newest, the oldest dropped beyond <see cref="Bound"/>; the
    /// column unchanged when it holds the token already.
    /// </summary>
    public static string Add(string? stored, string token)
    {
        if (string.IsNullOrEmpty(token) || token.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("A handled-webhook token is non-empty and holds no space.", nameof(token));
        }

        var ids = Split(stored);
        return ids.Contains(token, StringComparer.Ordinal) ? string.Join(' ', ids) : string.Join(' ', ids.Append(token).TakeLast(Bound));
    }

    private static string[] Split(string? stored) => (stored ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
