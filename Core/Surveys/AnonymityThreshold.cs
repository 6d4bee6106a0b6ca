namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// What the results may show without letting anyone single a respondent out (ADR 0026). A group of responses is shown
/// only when it holds at least k of them; and because every figure of the whole is shown elsewhere, a group is also
/// hidden when what is left of the whole after it is between 1 and k-1: subtracting the two would reveal that small
/// remainder. In a breakdown (every department, every wave) groups are suppressed together until the suppressed ones
/// add up to none or to at least k, and are none or at least two, so no total minus the shown groups gives away a small
/// one, nor the exact count of a hidden one.
/// </summary>
public sealed class AnonymityThreshold
{
    public AnonymityThreshold(int k)
    {
        if (k < SurveyContent.LowestMinimumGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"The threshold is {SurveyContent.LowestMinimumGroupSize} at the least.");
        }

        K = k;
    }

    public int K { get; }

    /// <summary>
    /// The threshold of one version's results: the higher of the k its respondents were promised (the version's own,
    /// which its email and page stated) and the live version's, so a later version may raise k for every result but
    /// never lower it below what earlier respondents were told; and never below the floor, which a version stored before it
    /// may be under.
    /// </summary>
    public static AnonymityThreshold For(Survey survey, SurveyContent version) => For(Math.Max(version.MinimumGroupSize, survey.Shown.MinimumGroupSize));

    /// <summary>
    /// The threshold a stored k stands for: k, or the floor when it was stored under it (before the floor was raised). Every
    /// respondent-facing text states this one, so a version stored with k=3 tells its respondents 5, which its results use.
    /// </summary>
    public static AnonymityThreshold For(int k) => new(Math.Max(SurveyContent.LowestMinimumGroupSize, k));

    /// <summary>A count of responses alone: at least k, or none at all (an empty group names nobody).</summary>
    public bool Shows(long count) => count == 0 || count >= K;

    /// <summary>
    /// A group of <paramref name="group"/> responses out of <paramref name="whole"/>: shown when it is not small and the
    /// rest of the whole is not small either (the subtraction case).
    /// </summary>
    public bool Shows(long group, long whole) => group >= K && Shows(whole - group);

    /// <summary>
    /// The groups of a breakdown to hide (by index): the small ones, then, while the hidden ones add up to between 1 and
    /// k-1, or while only one non-empty group is hidden, the smallest shown ones as well. <paramref name="whole"/> is what
    /// the groups add up to (or more, when some responses are in no group): the unaccounted part counts as a hidden group.
    /// <paramref name="alsoHidden"/> are groups hidden for a reason of their own (a wave the whole's trend hides, a cell
    /// its other line hides): they count as hidden from the start. A group hidden alone is the whole minus the shown ones,
    /// whatever its size, and that exact count, played off against the other line it is in, gives a small one away.
    /// </summary>
    public IReadOnlySet<int> Suppressed(IReadOnlyList<long> groups, long whole, IEnumerable<int>? alsoHidden = null)
    {
        var hidden = new HashSet<int>(Enumerable.Range(0, groups.Count).Where(i => groups[i] is > 0 && groups[i] < K));
        hidden.UnionWith(alsoHidden ?? []);
        var hiddenTotal = whole - Enumerable.Range(0, groups.Count).Where(i => !hidden.Contains(i)).Sum(i => groups[i]);
        var unaccounted = whole > groups.Sum() ? 1 : 0;
        foreach (var next in Enumerable.Range(0, groups.Count).Where(i => !hidden.Contains(i) && groups[i] > 0).OrderBy(i => groups[i]))
        {
            var hiddenAlone = hidden.Count(i => groups[i] > 0) + unaccounted == 1;
            if (!(hiddenTotal is > 0 && hiddenTotal < K) && !hiddenAlone)
            {
                break;
            }

            hidden.Add(next);
            hiddenTotal += groups[next];
        }

        return hidden;
    }
}

/// <summary>Employee Net Promoter Score of a 0–10 question: the share of promoters (9–10) minus the share of detractors (0–6), from -100 to 100.</summary>
public static class Enps
{
    public static double? Of(QuestionTally tally)
    {
        if (tally.Answered <= 0)
        {
            return null;
        }

        var promoters = tally.CountOf("9") + tally.CountOf("10");
        var detractors = Enumerable.Range(0, 7).Sum(score => tally.CountOf(score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Math.Round(100.0 * (promoters - detractors) / tally.Answered, 1);
    }
}
