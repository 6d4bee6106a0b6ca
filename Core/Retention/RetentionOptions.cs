using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Retention;

/// <summary>How long data nobody needs any more is kept before the daily purge removes it.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// Days after which a departed or invited person who never joined is deleted (default 90), counted from the latest
    /// of their recording, their invitation falling due, and their invitation being sent.
    /// </summary>
    [Range(1, 3650)]
    public int NeverJoinedDays { get; set; } = 90;

    /// <summary>
    /// Days a withdrawn purpose's consent entries are kept after both the withdrawal and the last email sent on that
    /// purpose (default 31: the entries are the proof of consent for that email).
    /// </summary>
    [Range(1, 3650)]
    public int ConsentRecordDays { get; set; } = 31;
}
