namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// Why an alumnus is flagged for a conflict of interest: the register entry their current employer matched, its
/// category, and when the evaluation flagged them. Ids and a category only: the register itself is never shown to the
/// alumnus, and nothing here is.
/// </summary>
/// <param name="EntryId">The conflict-of-interest register entry that matched.</param>
/// <param name="Category">The entry's category (competitor, client, audit client, regulator…), as the register names it.</param>
public sealed record ConflictFlag(string EntryId, string Category, DateTimeOffset FlaggedAt);
