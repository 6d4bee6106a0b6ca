using System.Globalization;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Surveys;

/// <summary>What results to show: a version (default the live one), optionally one wave, optionally one cohort group.</summary>
public sealed record ResultsQuery(int? Version = null, string? Wave = null, CohortDimension? Dimension = null, string? Value = null)
{
    public static ResultsQuery All { get; } = new();

    public bool IsFiltered => Dimension is not null;

    /// <summary>Reads the query string of the report page and the results API; every problem at once.</summary>
    public static (ResultsQuery? Query, IReadOnlyList<FieldError> Errors) Parse(string? version, string? wave, string? dimension, string? value)
    {
        var errors = new List<FieldError>();
        int? number = null;
        if (!string.IsNullOrEmpty(version))
        {
            if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 1 and <= SurveyCampaigns.MaxVersion)
            {
                number = v;
            }
            else
            {
                errors.Add(new FieldError("version", $"must be a version number from 1 to {SurveyCampaigns.MaxVersion}"));
            }
        }

        if (!string.IsNullOrEmpty(wave) && !SurveyWave.IsWaveKey(wave))
        {
            errors.Add(new FieldError("wave", "must be a wave such as w01 or an ad-hoc wave's key such as aspring27"));
        }

        CohortDimension? by = null;
        if (!string.IsNullOrEmpty(dimension))
        {
            if (EnumNames.TryParse<CohortDimension>(dimension, ignoreCase: false, out var d))
            {
                by = d;
            }
            else
            {
                errors.Add(new FieldError("by", $"must be one of {string.Join(", ", Enum.GetNames<CohortDimension>())}"));
            }
        }

        if ((by is null) != string.IsNullOrEmpty(value) && !errors.Any(e => e.Field == "by"))
        {
            errors.Add(new FieldError(by is null ? "by" : "value", "a cohort filter needs both by and value"));
        }
        else if (value is { Length: > 100 } || value?.Any(char.IsControl) == true)
        {
            errors.Add(new FieldError("value", "must be at most 100 characters without control characters"));
        }

        return errors.Count > 0 ? (null, errors) : (new ResultsQuery(number, string.IsNullOrEmpty(wave) ? null : wave, by, by is null ? null : value), errors);
    }
}

/// <param name="Label">The value's label in both languages (an option's text, a scale's number).</param>
public sealed record ValueCount(string Value, LocalizedText Label, long Count);

/// <summary>One question's figures for the group; all null when suppressed.</summary>
public sealed record QuestionResult(
    SurveyQuestion Question, bool Suppressed, long? Answered, double? AnswerRate, IReadOnlyList<ValueCount>? Distribution, double? Mean, double? Enps);

/// <summary>A group's figures; <see cref="Responses"/> null and no questions when it is suppressed.</summary>
public sealed record GroupResult(bool Suppressed, long? Responses, IReadOnlyList<QuestionResult> Questions);

/// <summary>One wave of the trend: its responses, who was asked (unfiltered only), the response rate and eNPS.</summary>
public sealed record WavePoint(int Version, string Wave, bool Suppressed, long? Responses, long? Sent, double? ResponseRate, double? Enps);

public sealed record BreakdownRow(string Value, long Responses, double? Enps);

/// <summary>
/// The groups of one dimension with their responses and eNPS. Small groups are suppressed together, so none can be
/// derived from the total, and are not even named (that a department answered at all can say who did): only counted.
/// </summary>
public sealed record Breakdown(CohortDimension Dimension, IReadOnlyList<BreakdownRow> Rows, int HiddenGroups, long? Total);

/// <summary>The results of one survey version, as the report page, the CSV and the API show them.</summary>
/// <param name="Overall">On a filtered page, everyone of the same version and wave for comparison; null when unfiltered, or hidden
/// (beside a shown group, by subtraction; or the wave's or the group's point of the wave is hidden).</param>
/// <param name="Sent">People the scope's campaigns reached (unfiltered: who was asked is not known by group).</param>
/// <param name="WaveHidden">The query's wave is one the unfiltered trend hides (too few responses, or few enough to be
/// revealed by subtraction): nothing of it is shown, under any filter.</param>
/// <param name="Release">When the figures were released and what waits for the next release (ADR 0035).</param>
public sealed record SurveyResultsView(
    string SurveyId, LocalizedText Title, SurveyMode Mode, SurveyStatus Status, int Version, IReadOnlyList<int> Versions, IReadOnlyList<string> Waves,
    int K, ResultsQuery Query, bool WaveHidden, GroupResult Selected, GroupResult? Overall, long? Sent, double? ResponseRate,
    IReadOnlyList<WavePoint> Trend, IReadOnlyList<Breakdown> Breakdowns, SurveyContent Content, ReleaseStatus? Release = null);

/// <summary>
/// Builds results from the aggregate cells alone (no response is read), applying the anonymity threshold
/// (<see cref="AnonymityThreshold"/>): a group, a question's figures, a trend point or a breakdown row is shown only when
/// it and what subtraction from any total the report shows, in any scope, would leave are both at least k, or empty (ADR 0026).
/// </summary>
public static class SurveyReport
{
    /// <param name="cells">Every cell of the survey (all versions and waves).</param>
    /// <param name="sent">People reached, by wave of <paramref name="content"/>'s version.</param>
    public static SurveyResultsView Build(
        Survey survey, SurveyContent content, int version, ResultsQuery query, IReadOnlyList<SurveyCell> cells, IReadOnlyDictionary<string, long> sent)
    {
        var threshold = AnonymityThreshold.For(survey, content);
        var ofVersion = cells.Where(c => c.Wave.Version == version).ToArray();
        var waves = ofVersion.Select(c => c.Wave.Wave).Concat(sent.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var scope = ofVersion.Where(c => query.Wave is null || c.Wave.Wave == query.Wave).ToArray();
        var whole = ResponseTally.Sum(scope.Select(c => c.Tally));
        var inGroup = query.Dimension is { } d ? scope.Where(c => c.Cohort.ValueOf(d) == query.Value).ToArray() : scope;
        var group = ResponseTally.Sum(inGroup.Select(c => c.Tally));

        // A filtered group is seen beside the unfiltered whole (on its own page if not here): it is shown only when the
        // breakdown of its dimension would show it, which keeps every total minus the shown groups at 0 or at least k.
        // A wave the unfiltered trend hides shows nothing at all, whatever the filter: not a group's point in it, not the
        // group in it, not its breakdowns nor their total. Any of those beside the shown waves and the total of the
        // version would give the hidden waves away by subtraction (w03 = all - w01 - w02).
        var everyone = Trend(content, version, ofVersion, query with { Dimension = null, Value = null }, sent, threshold, new HashSet<string>());
        var hiddenWaves = everyone.Where(p => p.Suppressed).Select(p => p.Wave).ToHashSet(StringComparer.Ordinal);
        // A group's count in one wave is one cell of the wave × group table, shown both in the wave's breakdown and in the
        // group's trend: the table is suppressed as a whole (WaveGroupGrid), so the two margins cannot be played off.
        var grids = Enum.GetValues<CohortDimension>().ToDictionary(d => d, d => WaveGroupGrid.Of(ofVersion, d, hiddenWaves, threshold));
        var trend = query.IsFiltered ? Trend(content, version, ofVersion, query, sent, threshold, hiddenWaves, grids[query.Dimension!.Value]) : everyone;
        var scopeHidden = query.Wave is { } sw && hiddenWaves.Contains(sw);
        var waveHidden = scopeHidden || (query.Wave is { } w && trend.FirstOrDefault(p => p.Wave == w) is { Suppressed: true });
        var groupShown = !waveHidden && (query.Dimension is { } dim
            ? Visible(scope, dim, query.Value!, t => t.Responses, whole.Responses, threshold) && (query.Wave is not { } gw || grids[dim].Shows(gw, query.Value!))
            : whole.Responses >= threshold.K);

        // A question's answered count is a table of its own, and every figure of the question (its distribution, mean and
        // eNPS) is shown or hidden with it. The version's count minus the shown waves' is the hidden waves' count, so a
        // question's waves are suppressed together, starting from the waves the trend hides; a group's counts by wave are
        // its wave × group table, suppressed as one inside the responses' table. No count of 1 to k-1 is left to subtract.
        var questionWavesHidden = content.Questions.ToDictionary(q => q.Id, q => QuestionWavesHidden(ofVersion, q, hiddenWaves, threshold), StringComparer.Ordinal);
        var questionGrids = query.Dimension is { } qd
            ? content.Questions.ToDictionary(
                q => q.Id, q => WaveGroupGrid.Of(ofVersion, qd, questionWavesHidden[q.Id], threshold, t => t.Of(q.Id).Answered, grids[qd]), StringComparer.Ordinal)
            : null;
        bool WholeShows(SurveyQuestion q) => query.Wave is not { } qw || !questionWavesHidden[q.Id].Contains(qw);
        bool GroupShows(SurveyQuestion q) => questionGrids is null ? WholeShows(q)
            : query.Wave is { } qw ? questionGrids[q.Id].Shows(qw, query.Value!) : questionGrids[q.Id].ShowsGroup(query.Value!);
        var selected = Group(content, group, groupShown, (q, _) => GroupShows(q), threshold);

        // "Everyone" beside a filtered group is hidden when the two would give away the rest of the group by subtraction.
        // Only beside a shown figure: beside a hidden one it is the unfiltered page's figure, and hiding it there would
        // tell a hidden group of 3 from an empty one by its size (7 - 3 = 4 hides it, 7 - 0 does not).
        var shownInGroup = selected.Questions.Where(q => !q.Suppressed).Select(q => q.Question.Id).ToHashSet(StringComparer.Ordinal);
        var overall = query.IsFiltered && whole.Responses >= threshold.K && (!groupShown || threshold.Shows(whole.Responses - group.Responses)) && !waveHidden
            ? Group(content, whole, true, (q, _) => WholeShows(q)
                && (!shownInGroup.Contains(q.Id) || threshold.Shows(whole.Of(q.Id).Answered - group.Of(q.Id).Answered)), threshold)
            : null;
        long? sentInScope = query.IsFiltered ? null : query.Wave is { } one ? sent.GetValueOrDefault(one) : sent.Values.Sum();
        var rate = selected.Suppressed || sentInScope is not { } asked || asked < threshold.K ? null : Rate(whole.Responses, asked);
        var breakdowns = Enum.GetValues<CohortDimension>()
            .Select(dim => scopeHidden ? new Breakdown(dim, [], 0, null)
                : BreakdownOf(content, scope, dim, whole, threshold, v => query.Wave is not { } bw || grids[dim].Shows(bw, v))).ToArray();
        return new SurveyResultsView(survey.Id, content.Title, content.Mode, survey.Status, version, Enumerable.Range(1, survey.Version).ToArray(), waves,
            threshold.K, query, scopeHidden, selected, overall, sentInScope, rate, trend, breakdowns, content);
    }

    /// <summary>Whether the group with <paramref name="value"/> survives its dimension's breakdown (small groups, and the smallest beside them, hidden).</summary>
    private static bool Visible(IReadOnlyList<SurveyCell> scope, CohortDimension dimension, string value, Func<ResponseTally, long> count, long whole, AnonymityThreshold threshold)
    {
        var groups = Groups(scope, dimension);
        var index = Array.FindIndex(groups, g => g.Value == value);
        if (index < 0)
        {
            return false;
        }

        var counts = groups.Select(g => count(g.Tally)).ToArray();
        return counts[index] >= threshold.K && !threshold.Suppressed(counts, whole).Contains(index);
    }

    /// <summary>
    /// The waves whose figures for <paramref name="question"/> are hidden: those the trend hides, those too few answered
    /// it in, and the smallest beside them until the hidden ones' answers add up to none or to at least k.
    /// </summary>
    private static HashSet<string> QuestionWavesHidden(IReadOnlyList<SurveyCell> ofVersion, SurveyQuestion question, HashSet<string> hiddenWaves, AnonymityThreshold threshold)
    {
        var waves = ofVersion.GroupBy(c => c.Wave.Wave, StringComparer.Ordinal).Select(g => (Wave: g.Key, Answered: g.Sum(c => c.Tally.Of(question.Id).Answered))).ToArray();
        var counts = waves.Select(w => w.Answered).ToArray();
        return threshold.Suppressed(counts, counts.Sum(), Enumerable.Range(0, waves.Length).Where(i => hiddenWaves.Contains(waves[i].Wave)))
            .Select(i => waves[i].Wave).ToHashSet(StringComparer.Ordinal);
    }

    private static (string Value, ResponseTally Tally)[] Groups(IEnumerable<SurveyCell> scope, CohortDimension dimension) =>
        scope.GroupBy(c => c.Cohort.ValueOf(dimension), StringComparer.Ordinal)
            .Select(g => (g.Key, ResponseTally.Sum(g.Select(c => c.Tally))))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();

    private static GroupResult Group(SurveyContent content, ResponseTally tally, bool shown, Func<SurveyQuestion, ResponseTally, bool> questionShown, AnonymityThreshold threshold)
    {
        if (!shown)
        {
            return new GroupResult(true, null, []);
        }

        var questions = content.Questions.Select(q =>
        {
            var t = tally.Of(q.Id);
            if (t.Answered < threshold.K || !questionShown(q, tally))
            {
                return new QuestionResult(q, true, null, null, null, null, null);
            }

            var distribution = q.Kind == QuestionKind.FreeText ? null : q.Values.Select(v => new ValueCount(v, LabelOf(q, v), t.CountOf(v))).ToArray();
            double? mean = q.IsScale ? Math.Round((double)t.Sum / t.Answered, 2) : null;
            return new QuestionResult(q, false, t.Answered, Rate(t.Answered, tally.Responses), distribution, mean, q.Kind == QuestionKind.Scale0To10 ? Enps.Of(t) : null);
        }).ToArray();
        return new GroupResult(false, tally.Responses, questions);
    }

    /// <param name="wavesHidden">Waves hidden whatever the group's own figures (those the unfiltered trend hides).</param>
    private static WavePoint[] Trend(
        SurveyContent content, int version, IReadOnlyList<SurveyCell> ofVersion, ResultsQuery query, IReadOnlyDictionary<string, long> sent, AnonymityThreshold threshold,
        HashSet<string> wavesHidden, WaveGroupGrid? grid = null)
    {
        var waves = ofVersion.Select(c => c.Wave.Wave).Concat(sent.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var inGroup = query.Dimension is { } d ? ofVersion.Where(c => c.Cohort.ValueOf(d) == query.Value).ToArray() : ofVersion;
        var tallies = waves.Select(w => ResponseTally.Sum(inGroup.Where(c => c.Wave.Wave == w).Select(c => c.Tally))).ToArray();
        var forced = Enumerable.Range(0, waves.Length).Where(i => wavesHidden.Contains(waves[i])).ToArray();
        var hidden = threshold.Suppressed(tallies.Select(t => t.Responses).ToArray(), tallies.Sum(t => t.Responses), forced);
        var enps = content.EnpsQuestion;
        IReadOnlySet<int> enpsHidden = enps is null ? new HashSet<int>() : threshold.Suppressed(tallies.Select(t => t.Of(enps.Id).Answered).ToArray(), tallies.Sum(t => t.Of(enps.Id).Answered), forced);
        return waves.Select((w, i) =>
        {
            // A wave's point for a group must also survive the group's dimension within that wave, as one table.
            var shown = !hidden.Contains(i) && tallies[i].Responses >= threshold.K && (query.Dimension is null || grid!.Shows(w, query.Value!));
            long? asked = query.IsFiltered ? null : sent.GetValueOrDefault(w);
            var enpsShown = shown && enps is not null && !enpsHidden.Contains(i) && tallies[i].Of(enps.Id).Answered >= threshold.K;
            return new WavePoint(version, w, !shown,
                shown ? tallies[i].Responses : null, asked,
                shown && asked is { } a && a >= threshold.K ? Rate(tallies[i].Responses, a) : null,
                enpsShown ? Enps.Of(tallies[i].Of(enps!.Id)) : null);
        }).ToArray();
    }

    /// <param name="cellShown">Whether the wave × group table lets a group of a one-wave scope be shown.</param>
    private static Breakdown BreakdownOf(
        SurveyContent content, IReadOnlyList<SurveyCell> scope, CohortDimension dimension, ResponseTally whole, AnonymityThreshold threshold, Func<string, bool> cellShown)
    {
        var groups = Groups(scope, dimension);
        var hidden = threshold.Suppressed(groups.Select(g => g.Tally.Responses).ToArray(), whole.Responses);
        var enps = content.EnpsQuestion;
        IReadOnlySet<int> enpsHidden = enps is null ? new HashSet<int>() : threshold.Suppressed(groups.Select(g => g.Tally.Of(enps.Id).Answered).ToArray(), whole.Of(enps.Id).Answered);
        var shown = Enumerable.Range(0, groups.Length).Where(i => !hidden.Contains(i) && groups[i].Tally.Responses >= threshold.K && cellShown(groups[i].Value)).ToArray();
        var rows = shown.Select(i =>
        {
            var g = groups[i];
            var enpsShown = enps is not null && !enpsHidden.Contains(i) && g.Tally.Of(enps.Id).Answered >= threshold.K;
            return new BreakdownRow(g.Value, g.Tally.Responses, enpsShown ? Enps.Of(g.Tally.Of(enps!.Id)) : null);
        }).ToArray();
        return new Breakdown(dimension, rows, groups.Length - rows.Length, whole.Responses >= threshold.K ? whole.Responses : null);
    }

    private static double? Rate(long part, long whole) => whole <= 0 ? null : Math.Round((double)part / whole, 4);

    /// <summary>How a value reads: an option's text, a return intent's words, a scale's number.</summary>
    public static LocalizedText LabelOf(SurveyQuestion question, string value) => question.Kind switch
    {
        QuestionKind.SingleChoice or QuestionKind.MultipleChoice => question.Options.FirstOrDefault(o => o.Id == value)?.Text ?? new LocalizedText(value, value),
        QuestionKind.ReturnIntent => value switch
        {
            nameof(ReturnIntent.Yes) => new LocalizedText("はい、戻りたい", "Yes"),
            nameof(ReturnIntent.ForAProject) => new LocalizedText("プロジェクト単位なら", "For a project"),
            _ => new LocalizedText("いいえ", "No"),
        },
        _ => new LocalizedText(value, value),
    };
}
