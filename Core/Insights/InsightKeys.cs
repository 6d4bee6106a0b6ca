namespace AlumniNetwork.Core.Insights;

/// <summary>
/// Names of the figures in the snapshot, shared by the sources that produce them and the dashboard sections that show
/// them. A later feature adds its own names next to its own source; nothing here needs to know about it.
/// </summary>
public static class InsightKeys
{
    /// <summary>Alumni by status: <c>departed</c>, <c>invited</c>, <c>joined</c>, <c>returned</c>, <c>erased</c>.</summary>
    public static string Status(string status) => $"status.{status}";

    public const string Departed = "departed";
    public const string Invited = "invited";
    public const string Joined = "joined";

    /// <summary>Rehired: alumni whose status is returned (the rehire attribution marks them).</summary>
    public const string Returned = "returned";
    public const string Erased = "erased";

    public static IReadOnlyList<string> Statuses { get; } = [Departed, Invited, Joined, Returned, Erased];

    public static string JoinsIn(string month) => $"joins.{month}";

    public static string CohortSize(string quarter) => $"cohort.{quarter}.size";

    public static string CohortJoined(string quarter) => $"cohort.{quarter}.joined";

    public static string ConsentGranted(string purpose, string month) => $"consent.{purpose}.{month}";

    public static string EmailEvents(string campaignKind, string eventKind, string month) => $"email.{campaignKind}.{eventKind}.{month}";

    /// <summary>The campaign kinds that have email figures, from the names in the snapshot.</summary>
    public static IReadOnlyList<string> CampaignKinds(InsightSnapshot snapshot) => snapshot.Metrics.Keys
        .Where(k => k.StartsWith("email.", StringComparison.Ordinal))
        .Select(k => k.Split('.')[1])
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToArray();
}
