namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// The responses of one survey version by wave and by the groups of one dimension, suppressed as one table (ADR 0026).
/// A wave's breakdown row and the same group's trend point are the same cell, and both margins are shown elsewhere (the
/// trend's waves, the version's breakdown), so suppressing each margin's cells on its own is not enough: a group's row in
/// a shown wave beside its row for the whole version gives away its count in the hidden waves. A cell is hidden when it
/// is small, when its wave or its group is hidden, when the hidden cells of its wave or of its group would otherwise
/// add up to between 1 and k-1, or when it is the smallest shown cell of a wave or group that hides only one non-empty
/// cell (secondary suppression: a cell hidden alone is its line's total minus the shown cells, and that count taken
/// from its other line leaves a small one); repeated until nothing more is hidden. A question's answered counts form such a table of
/// their own (a wave's count, a group's count, the group's count in the wave), built inside the responses' table: a cell
/// the responses hide has no question figures to show either.
/// </summary>
internal sealed class WaveGroupGrid
{
    private readonly HashSet<(string Wave, string Value)> hidden;

    private readonly HashSet<string> hiddenGroups;

    private WaveGroupGrid(HashSet<(string Wave, string Value)> hidden, HashSet<string> hiddenGroups) => (this.hidden, this.hiddenGroups) = (hidden, hiddenGroups);

    /// <summary>Whether the group's count in the wave may be shown (a wave or group with no cell has nothing to hide).</summary>
    public bool Shows(string wave, string value) => !hidden.Contains((wave, value));

    /// <summary>Whether the group's count over the whole version may be shown (the table's margin).</summary>
    public bool ShowsGroup(string value) => !hiddenGroups.Contains(value);

    /// <param name="hiddenWaves">The waves the unfiltered trend hides: every cell of theirs is hidden.</param>
    /// <param name="count">What is counted: the responses, or a question's answered count.</param>
    /// <param name="within">The responses' table, whose hidden cells and groups are hidden here from the start.</param>
    public static WaveGroupGrid Of(
        IReadOnlyList<SurveyCell> ofVersion, CohortDimension dimension, IReadOnlySet<string> hiddenWaves, AnonymityThreshold threshold,
        Func<ResponseTally, long>? count = null, WaveGroupGrid? within = null)
    {
        count ??= t => t.Responses;
        var waves = ofVersion.Select(c => c.Wave.Wave).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var values = ofVersion.Select(c => c.Cohort.ValueOf(dimension)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var waveIndex = waves.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
        var valueIndex = values.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        var counts = new long[waves.Length][];
        for (var w = 0; w < waves.Length; w++)
        {
            counts[w] = new long[values.Length];
        }

        foreach (var cell in ofVersion)
        {
            counts[waveIndex[cell.Wave.Wave]][valueIndex[cell.Cohort.ValueOf(dimension)]] += count(cell.Tally);
        }

        long[] Column(int v) => counts.Select(row => row[v]).ToArray();
        var groups = Enumerable.Range(0, values.Length).Select(v => Column(v).Sum()).ToArray();
        var hiddenGroups = threshold.Suppressed(groups, groups.Sum(), Enumerable.Range(0, values.Length).Where(v => within?.ShowsGroup(values[v]) == false));
        var isHidden = waves.Select(w => values.Select((v, i) => hiddenWaves.Contains(w) || hiddenGroups.Contains(i) || within?.Shows(w, v) == false).ToArray()).ToArray();

        // Hiding a cell for its wave can leave its group's hidden cells small, and the other way round: until it settles.
        for (var changed = true; changed;)
        {
            changed = false;
            for (var w = 0; w < waves.Length; w++)
            {
                var row = counts[w];
                foreach (var v in threshold.Suppressed(row, row.Sum(), Enumerable.Range(0, values.Length).Where(v => isHidden[w][v])))
                {
                    changed |= !isHidden[w][v];
                    isHidden[w][v] = true;
                }
            }

            for (var v = 0; v < values.Length; v++)
            {
                var column = Column(v);
                foreach (var w in threshold.Suppressed(column, groups[v], Enumerable.Range(0, waves.Length).Where(w => isHidden[w][v])))
                {
                    changed |= !isHidden[w][v];
                    isHidden[w][v] = true;
                }
            }
        }

        var hidden = new HashSet<(string Wave, string Value)>();
        for (var w = 0; w < waves.Length; w++)
        {
            for (var v = 0; v < values.Length; v++)
            {
                if (isHidden[w][v])
                {
                    hidden.Add((waves[w], values[v]));
                }
            }
        }

        return new WaveGroupGrid(hidden, hiddenGroups.Select(v => values[v]).ToHashSet(StringComparer.Ordinal));
    }
}
