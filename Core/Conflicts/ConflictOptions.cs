using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Conflicts;

/// <summary>The compliance team's lists in the console.</summary>
public sealed class ConflictOptions
{
    public const string SectionName = "Conflicts";

    /// <summary>Rows on one page of the approval queue and of the flagged alumni (default 100); the next page follows a cursor.</summary>
    [Range(1, 1000)]
    public int AdminPageSize { get; set; } = 100;
}
