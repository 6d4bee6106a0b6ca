using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Surveys;

public sealed class SurveyOptions
{
    public const string SectionName = "Surveys";

    /// <summary>
    /// How many days back the daily wave run looks when it missed days (an outage, a failed run): people whose lifecycle
    /// wave fell due then are asked late rather than never. Default 7.
    /// </summary>
    [Range(1, 60)]
    public int CatchUpDays { get; set; } = 7;

    /// <summary>Free-text answers on one page of a question's comments (in no particular order; a link leads to the next). Default 100.</summary>
    [Range(10, 1000)]
    public int CommentsPerPage { get; set; } = 100;
}
