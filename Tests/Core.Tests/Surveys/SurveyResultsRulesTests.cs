using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Surveys;
using static AlumniNetwork.Core.Tests.Surveys.SurveyBuilders;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class AnonymityThresholdTests
{
    private readonly AnonymityThreshold k5 = new(5);

    [Fact]
    public void ThresholdBelowFive_CannotBeMade() => Assert.Throws<ArgumentOutOfRangeException>(() => new AnonymityThreshold(4));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    public void Count_IsShownWhenEmptyOrAtLeastK(long count, bool shown) => Assert.Equal(shown, k5.Shows(count));

    [Theory]
    [InlineData(9, 12, false)] // the other 3 would be revealed by subtraction
    [InlineData(7, 12, true)]
    [InlineData(12, 12, true)]
    [InlineData(4, 12, false)]
    public void Group_IsHiddenWhenItOrTheRestOfTheWholeIsSmall(long group, long whole, bool shown) => Assert.Equal(shown, k5.Shows(group, whole));

    [Fact]
    public void Breakdown_SuppressesTheSmallGroup_AndTheSmallestBesideIt_SoTheTotalRevealsNothing()
    {
        var hidden = k5.Suppressed([10, 12, 2], 24);

        Assert.Equal(new HashSet<int> { 0, 2 }, hidden);
    }

    [Fact]
    public void Breakdown_NeedsNoSecondSuppression_WhenTheSmallGroupsTogetherReachK() =>
        Assert.Equal(new HashSet<int> { 0, 1 }, k5.Suppressed([3, 2, 20], 25));

    [Fact]
    public void Breakdown_CountsResponsesInNoGroupAsHidden() =>
        Assert.Equal(new HashSet<int> { 0 }, k5.Suppressed([10, 20], 32));

    [Fact]
    public void Breakdown_OfOnlyLargeGroups_HidesNothing() => Assert.Empty(k5.Suppressed([10, 20, 0], 30));
}

public sealed class EnpsTests
{
    [Fact]
    public void Enps_IsPromotersMinusDetractorsInPoints()
    {
        var content = Content();
        var tally = new ResponseTally();
        foreach (var score in new[] { 10, 9, 9, 8, 7, 6, 0, 3, 10, 10 })
        {
            tally.Add(content, Answers(("recommend", [score.ToString(System.Globalization.CultureInfo.InvariantCulture)])), +1);
        }

        // 5 promoters, 3 detractors of 10: 50% - 30%.
        Assert.Equal(20.0, Enps.Of(tally.Of("recommend")));
    }

    [Fact]
    public void Enps_OfNobody_IsNone() => Assert.Null(Enps.Of(new QuestionTally()));

    [Fact]
    public void ChangedAnswer_MovesBetweenBuckets_AndIsCountedOnce()
    {
        var content = Content();
        var tally = new ResponseTally();
        tally.Add(content, Answers(("recommend", ["2"]), ("topics", ["pay"]), ("why", ["x"])), +1);

        tally.Add(content, Answers(("recommend", ["2"]), ("topics", ["pay"]), ("why", ["x"])), -1);
        tally.Add(content, Answers(("recommend", ["10"]), ("topics", ["growth"])), +1);

        Assert.Equal(1, tally.Responses);
        Assert.Equal((1, 0, 1, 10L), (tally.Of("recommend").CountOf("10"), tally.Of("recommend").CountOf("2"), tally.Of("recommend").Answered, tally.Of("recommend").Sum));
        Assert.Equal((0, 1), (tally.Of("topics").CountOf("pay"), tally.Of("topics").CountOf("growth")));
        Assert.Equal(0, tally.Of("why").Answered);
        Assert.DoesNotContain("x", tally.ToJson(), StringComparison.Ordinal);
    }
}

public sealed class SurveyReportTests
{
    private static readonly SurveyContent Content5 = Content(k: 5);

    private static SurveyResultsView Report(ResultsQuery query, params SurveyCell[] cells) =>
        SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long> { ["w01"] = 40 });

    [Fact]
    public void GroupOfFewerThanK_ShowsNoFigureAtAll()
    {
        var report = Report(ResultsQuery.All, Cell(Content5, Cohort(), 4));

        Assert.True(report.Selected.Suppressed);
        Assert.Null(report.Selected.Responses);
        Assert.Empty(report.Selected.Questions);
        Assert.Null(report.ResponseRate);
        Assert.All(report.Trend, p => Assert.Null(p.Enps));
    }

    [Fact]
    public void GroupOfK_ShowsResponsesRateDistributionMeanAndEnps()
    {
        var report = Report(ResultsQuery.All, Cell(Content5, Cohort(), 5, score: 10));

        var recommend = report.Selected.Questions.Single(q => q.Question.Id == "recommend");
        Assert.Equal(5, report.Selected.Responses);
        Assert.Equal(0.125, report.ResponseRate);
        Assert.Equal((5L, 10.0, 100.0), (recommend.Answered!.Value, recommend.Mean!.Value, recommend.Enps!.Value));
        Assert.Equal(5, recommend.Distribution!.Single(v => v.Value == "10").Count);
        Assert.True(report.Selected.Questions.Single(q => q.Question.Id == "topics").Suppressed);
    }

    [Fact]
    public void FilteredGroup_WhoseRestIsSmall_IsHidden_AndTheOverallBesideItIsTheUnfilteredFigure()
    {
        // Everyone: 12. Retail Banking: 9. Shown together, they would give away the 3 in Markets: the group is hidden,
        // and "everyone" beside a hidden group is only the unfiltered page's 12.
        var report = Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: "Retail Banking"),
            Cell(Content5, Cohort("Retail Banking"), 9), Cell(Content5, Cohort("Markets"), 3, score: 0));

        Assert.True(report.Selected.Suppressed);
        Assert.Equal(12, report.Overall!.Responses);
    }

    /// <summary>The two views are the same as the API and the CSV give them, but for the filter's value (and the survey's id).</summary>
    private static void AssertSeenAlike(SurveyResultsView expected, SurveyResultsView actual)
    {
        static string Json(SurveyResultsView r) => System.Text.Json.JsonSerializer.Serialize(r with { SurveyId = "s", Query = r.Query with { Value = "X" } });
        static string Csv(SurveyResultsView r) => string.Join("\n", SurveyResults.Csv(r, Locale.English).Split("\r\n")
            .Select(line => line.StartsWith("breakdown,", StringComparison.Ordinal) ? line : line.Replace($"={r.Query.Value},", "=X,", StringComparison.Ordinal)));

        Assert.Equal(Json(expected), Json(actual));
        Assert.Equal(Csv(expected), Csv(actual));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("w01")]
    public void HiddenGroup_LooksTheSameAsAnEmptyOne_OverallIncluded(string? wave)
    {
        // k=5, 7 responses in the scope (the version, or w01 beside 20 in w02): Legal's 3 and HR's 0 are both hidden.
        // Hiding "everyone" beside Legal only (7 - 3 = 4) would say that Legal answered, and holds 3 to 6 of the 7.
        SurveyCell[] scope = [Cell(Content5, Cohort("Legal"), 3), Cell(Content5, Cohort("Markets"), 4)];
        SurveyCell[] cells = wave is null ? scope : [.. scope, Cell(Content5, Cohort("Markets"), 20, wave: "w02")];
        SurveyResultsView Of(string value) => Report(new ResultsQuery(Wave: wave, Dimension: CohortDimension.Department, Value: value), cells);

        var legal = Of("Legal");
        var hr = Of("HR");

        Assert.True(legal.Selected.Suppressed);
        AssertSeenAlike(hr, legal);
    }

    [Fact]
    public void GroupsHiddenQuestion_LooksTheSameAsAnUnansweredOne_OverallIncluded()
    {
        // Legal and HR answered 10 each; "topics" 3 times in Legal, never in HR, twice in Markets: everyone's 5 is shown
        // unfiltered. Hiding it beside Legal only (5 - 3 = 2) would say Legal's hidden count is 1 to 4 below it.
        SurveyCell[] cells =
        [
            TopicsCell(Cohort("Legal"), 10, 3, "w01"), TopicsCell(Cohort("HR"), 10, 0, "w01"), TopicsCell(Cohort("Markets"), 10, 2, "w01"),
        ];
        SurveyResultsView Of(string value) => Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: value), cells);

        var legal = Of("Legal");
        var hr = Of("HR");

        Assert.Equal(5, Topics(Report(ResultsQuery.All, cells)).Answered);
        Assert.True(Topics(legal).Suppressed);
        Assert.Equal(5, legal.Overall!.Questions.Single(q => q.Question.Id == "topics").Answered);
        AssertSeenAlike(hr, legal);
    }

    [Fact]
    public void FilteredGroup_WhoseRestIsLargeEnough_IsShown_WithTheOverall()
    {
        var report = Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: "Retail Banking"),
            Cell(Content5, Cohort("Retail Banking"), 7), Cell(Content5, Cohort("Markets"), 5, score: 0));

        Assert.Equal(7, report.Selected.Responses);
        Assert.Equal(12, report.Overall!.Responses);
        Assert.Null(report.ResponseRate); // who was asked is not known by group
    }

    [Fact]
    public void FilteredGroup_BesideASmallGroup_IsHiddenWhenItIsTheSmallestOfTheRest()
    {
        // Retail 10, Markets 12, IT 2: IT is hidden, so is the smallest other (Retail), or 24 - 12 - 10 = 2 gives IT away.
        SurveyCell[] cells = [Cell(Content5, Cohort("Retail Banking"), 10), Cell(Content5, Cohort("Markets"), 12), Cell(Content5, Cohort("IT"), 2, score: 0)];

        var retail = Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: "Retail Banking"), cells);
        var markets = Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: "Markets"), cells);
        var breakdown = Report(ResultsQuery.All, cells).Breakdowns.Single(b => b.Dimension == CohortDimension.Department);

        Assert.True(retail.Selected.Suppressed);
        Assert.Equal(12, markets.Selected.Responses);
        Assert.Equal(["Markets"], breakdown.Rows.Select(r => r.Value));
        Assert.Equal(2, breakdown.HiddenGroups);
        Assert.Equal(24, breakdown.Total);
    }

    [Fact]
    public void QuestionAnsweredByTooFew_InAShownGroup_IsHidden()
    {
        var content = Content5;
        var tally = Cell(content, Cohort(), 6).Tally;
        tally.Add(content, Answers(("topics", ["pay"])), +1);
        tally.Responses--; // one of the six also ticked a topic: 1 answer to "topics"

        var report = Report(ResultsQuery.All, new SurveyCell(new SurveyWave("s", 1, "w01"), Cohort(), tally));

        Assert.False(report.Selected.Questions.Single(q => q.Question.Id == "recommend").Suppressed);
        Assert.True(report.Selected.Questions.Single(q => q.Question.Id == "topics").Suppressed);
    }

    [Fact]
    public void Trend_HidesASmallWave_AndTheSmallestWaveBesideIt()
    {
        var report = SurveyReport.Build(Published(Content5), Content5, 1, ResultsQuery.All,
            [Cell(Content5, Cohort(), 8, wave: "w01"), Cell(Content5, Cohort(), 2, wave: "w02"), Cell(Content5, Cohort(), 20, wave: "aspring27")],
            new Dictionary<string, long> { ["w01"] = 40, ["w02"] = 10, ["aspring27"] = 100 });

        Assert.Equal(["aspring27", "w01", "w02"], report.Trend.Select(p => p.Wave));
        Assert.Equal([false, true, true], report.Trend.Select(p => p.Suppressed));
        Assert.Equal(0.2, report.Trend[0].ResponseRate);
        Assert.Equal(100.0, report.Trend[0].Enps);
    }

    // Waves w01=20, w02=7, w03=2 at k=5: the trend shows w01 only, the total 29. Anything told of w02 gives w03 away.
    private static readonly SurveyCell[] HiddenWaveCells =
    [
        Cell(Content5, Cohort(year: 2024), 10, wave: "w01"), Cell(Content5, Cohort(year: 2023), 10, wave: "w01"),
        Cell(Content5, Cohort(year: 2024), 7, wave: "w02"),
        Cell(Content5, Cohort(year: 2023), 2, wave: "w03"),
    ];

    private static SurveyResultsView HiddenWaveReport(ResultsQuery query) =>
        SurveyReport.Build(Published(Content5), Content5, 1, query, HiddenWaveCells, new Dictionary<string, long> { ["w01"] = 40, ["w02"] = 40, ["w03"] = 40 });

    [Fact]
    public void HiddenWaves_AreHiddenInTheTrend_BesideTheVersionsTotal()
    {
        var report = HiddenWaveReport(ResultsQuery.All);

        Assert.Equal(29, report.Selected.Responses);
        Assert.Equal([false, true, true], report.Trend.Select(p => p.Suppressed));
        Assert.Equal(29, report.Breakdowns.Single(b => b.Dimension == CohortDimension.DepartureYear).Total);
    }

    [Fact]
    public void FilterByAHiddenWave_ShowsNoBreakdownAndNoTotal()
    {
        var report = HiddenWaveReport(new ResultsQuery(Wave: "w02"));

        Assert.True(report.Selected.Suppressed);
        Assert.All(report.Breakdowns, b => Assert.Equal((0, 0, (long?)null), (b.Rows.Count, b.HiddenGroups, b.Total)));
        Assert.DoesNotContain(",7,", SurveyResults.Csv(report, Locale.English), StringComparison.Ordinal);
    }

    [Fact]
    public void FilterByAHiddenWaveAndAGroup_ShowsNeitherTheGroupNorTheBreakdowns()
    {
        var report = HiddenWaveReport(new ResultsQuery(Wave: "w02", Dimension: CohortDimension.DepartureYear, Value: "2024"));

        Assert.True(report.Selected.Suppressed);
        Assert.Null(report.Overall);
        Assert.All(report.Breakdowns, b => Assert.Equal((0, (long?)null), (b.Rows.Count, b.Total)));
        Assert.DoesNotContain(",7,", SurveyResults.Csv(report, Locale.English), StringComparison.Ordinal);
    }

    [Fact]
    public void GroupsTrend_HidesAWaveTheUnfilteredTrendHides_EvenWhenTheGroupAloneWouldShowIt()
    {
        // 2024 answered 10 in w01 and 7 in w02: on its own a fine trend, but w02's 7 beside the whole's 29 and w01's 20
        // would leave w03's 2. Its w01 point goes too, hidden alone in w01 beside 2023's (hidden with 2023's 2 in w03):
        // w01's 20 minus it is 2023's 10 there, and 2023's 12 minus that its 2 in the hidden waves.
        var report = HiddenWaveReport(new ResultsQuery(Dimension: CohortDimension.DepartureYear, Value: "2024"));

        Assert.Equal(17, report.Selected.Responses);
        Assert.All(report.Trend, p => Assert.Equal((true, (long?)null), (p.Suppressed, p.Responses)));
        Assert.Empty(Revealed(HiddenWaveCells, CohortDimension.DepartureYear));
    }

    [Fact]
    public void ShownWavesBreakdown_BesideTheVersionsBreakdown_DoesNotGiveAGroupsCountInTheHiddenWavesAway()
    {
        // w01: 2024=15, 2023=10; w02 (hidden): 2023=6, 2024=1; w03 (hidden): 2023=2. The version shows 2024=16: beside
        // w01's 2024=15 it would say one person of 2024 answered in a hidden wave; so would 2023's 10 in w01, which
        // leaves 2024's 15 as the rest of w01's 25.
        SurveyCell[] cells =
        [
            Cell(Content5, Cohort(year: 2024), 15, wave: "w01"), Cell(Content5, Cohort(year: 2023), 10, wave: "w01"),
            Cell(Content5, Cohort(year: 2023), 6, wave: "w02"), Cell(Content5, Cohort(year: 2024), 1, wave: "w02"),
            Cell(Content5, Cohort(year: 2023), 2, wave: "w03"),
        ];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());

        var version = Of(ResultsQuery.All).Breakdowns.Single(b => b.Dimension == CohortDimension.DepartureYear);
        var w01 = Of(new ResultsQuery(Wave: "w01")).Breakdowns.Single(b => b.Dimension == CohortDimension.DepartureYear);
        var year2024 = Of(new ResultsQuery(Dimension: CohortDimension.DepartureYear, Value: "2024"));
        var year2024InW01 = Of(new ResultsQuery(Wave: "w01", Dimension: CohortDimension.DepartureYear, Value: "2024"));

        Assert.Equal(16, version.Rows.Single(r => r.Value == "2024").Responses);
        Assert.Empty(w01.Rows);
        Assert.All(year2024.Trend, p => Assert.True(p.Suppressed));
        Assert.True(year2024InW01.Selected.Suppressed);
        Assert.Empty(Revealed(cells, CohortDimension.DepartureYear));
    }

    [Fact]
    public void GroupHiddenInTheVersionsBreakdown_ShowsNoTrendPointAndNoRowInAWavesBreakdown()
    {
        // Departments A=20, B=6, C=2: the breakdown hides C and B beside it. B's 6, all in w01, shown as its w01 point or
        // as a row of w01's breakdown, would leave C = 28 - 20 - 6. And A's w02 cell, hidden beside C, is hidden alone
        // in A's line: A's 10 in w01 beside A's 20 would say A's 10 in w02, and w02's 12 minus it C's 2.
        SurveyCell[] cells =
        [
            Cell(Content5, Cohort("A"), 10, wave: "w01"), Cell(Content5, Cohort("B"), 6, wave: "w01"),
            Cell(Content5, Cohort("A"), 10, wave: "w02"), Cell(Content5, Cohort("C"), 2, wave: "w02"),
        ];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());

        var a = Of(new ResultsQuery(Dimension: CohortDimension.Department, Value: "A"));
        var b = Of(new ResultsQuery(Dimension: CohortDimension.Department, Value: "B"));
        var w01 = Of(new ResultsQuery(Wave: "w01")).Breakdowns.Single(x => x.Dimension == CohortDimension.Department);
        var w02 = Of(new ResultsQuery(Wave: "w02")).Breakdowns.Single(x => x.Dimension == CohortDimension.Department);

        Assert.Equal(["A"], Of(ResultsQuery.All).Breakdowns.Single(x => x.Dimension == CohortDimension.Department).Rows.Select(r => r.Value));
        Assert.Equal([false, false], Of(ResultsQuery.All).Trend.Select(p => p.Suppressed));
        Assert.True(b.Selected.Suppressed);
        Assert.All(b.Trend, p => Assert.Equal((true, (long?)null), (p.Suppressed, p.Responses)));
        Assert.Equal(20, a.Selected.Responses);
        Assert.All(a.Trend, p => Assert.Equal((true, (long?)null), (p.Suppressed, p.Responses)));
        Assert.Equal((0, 2), (w01.Rows.Count, w01.HiddenGroups));
        Assert.Equal((0, 2), (w02.Rows.Count, w02.HiddenGroups));
        Assert.True(Of(new ResultsQuery(Wave: "w01", Dimension: CohortDimension.Department, Value: "A")).Selected.Suppressed);
        Assert.Empty(Revealed(cells, CohortDimension.Department));
    }

    [Fact]
    public void CellHiddenAloneInItsLine_HidesTheSmallestShownCellBesideIt_SoNoSubtractionGivesASmallOneAway()
    {
        // w01: A=20, B=20; w02: A=3 (all scoring 0), B=20. Every wave and group is shown (40, 23; A 23, B 40). Hiding only
        // A and B in w02, and A in w01 beside A's small w02, left A hidden alone in w01: w01's 40 minus B's 20 there said
        // A's 20, and A's 23 minus it A's 3 in w02, with its answers (A's distribution minus w01's minus B's).
        SurveyCell[] cells =
        [
            Cell(Content5, Cohort("A"), 20, wave: "w01"), Cell(Content5, Cohort("B"), 20, wave: "w01"),
            Cell(Content5, Cohort("A"), 3, score: 0, wave: "w02"), Cell(Content5, Cohort("B"), 20, wave: "w02"),
        ];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());
        ResultsQuery In(string department, string? wave = null) => new(Wave: wave, Dimension: CohortDimension.Department, Value: department);

        Assert.Equal([40L, 23L], Of(ResultsQuery.All).Trend.Select(p => p.Responses));
        Assert.Equal((23L, 40L), (Of(In("A")).Selected.Responses, Of(In("B")).Selected.Responses));
        Assert.Empty(Of(new ResultsQuery(Wave: "w01")).Breakdowns.Single(x => x.Dimension == CohortDimension.Department).Rows);
        Assert.All(Of(In("B")).Trend, p => Assert.True(p.Suppressed));
        Assert.True(Of(In("B", "w01")).Selected.Suppressed);
        Assert.True(Of(In("A", "w01")).Selected.Suppressed);
        Assert.Empty(Revealed(cells, CohortDimension.Department));
        Assert.Empty(Revealed(cells, CohortDimension.Department, ("recommend", "0")));
        Assert.Empty(Revealed(cells, CohortDimension.Department, ("recommend", "9")));
    }

    /// <summary>
    /// The non-empty wave × group cells of <paramref name="dimension"/> that no page shows but whose count follows from
    /// what the pages show (the version, each wave, each group, each group in a wave: totals, trend points, breakdown
    /// rows, the overall figures) by adding and subtracting: every shown figure is a sum of cells, and a cell follows
    /// when it is a combination of those sums. A cell with no responses counts as known to be empty. Of a response count,
    /// or of the count of one <paramref name="answer"/> (question, value), which only the distributions show. Linear
    /// combinations only: bounds from counts being at least 0 are not audited.
    /// </summary>
    private static List<(string Wave, string Value)> Revealed(SurveyCell[] cells, CohortDimension dimension, (string Question, string Value)? answer = null)
    {
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());
        long? Figure(GroupResult? g) => g is null ? null
            : answer is not { } x ? g.Responses
            : g.Questions.FirstOrDefault(q => q.Question.Id == x.Question)?.Distribution?.Single(v => v.Value == x.Value).Count;
        var waves = cells.Select(c => c.Wave.Wave).Distinct().Order(StringComparer.Ordinal).ToArray();
        var values = cells.Select(c => c.Cohort.ValueOf(dimension)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var grid = (from w in waves from v in values select (Wave: w, Value: v)).ToArray();
        long Responses((string Wave, string Value) c) => cells.Where(x => x.Wave.Wave == c.Wave && x.Cohort.ValueOf(dimension) == c.Value).Sum(x => x.Tally.Responses);

        var sums = new List<double[]>();
        var shown = new HashSet<(string, string)>();
        void Known(long? figure, string? wave, string? value)
        {
            if (figure is not null)
            {
                sums.Add(grid.Select(c => (wave is null || c.Wave == wave) && (value is null || c.Value == value) ? 1.0 : 0.0).ToArray());
                if (wave is not null && value is not null)
                {
                    shown.Add((wave, value));
                }
            }
        }

        foreach (var c in grid.Where(c => Responses(c) == 0))
        {
            Known(0, c.Wave, c.Value);
        }

        foreach (var wave in waves.Cast<string?>().Append(null))
        {
            var page = Of(new ResultsQuery(Wave: wave));
            Known(Figure(page.Selected), wave, null);
            foreach (var point in answer is null && wave is null ? page.Trend : Array.Empty<WavePoint>())
            {
                Known(point.Responses, point.Wave, null);
            }

            foreach (var row in answer is null ? page.Breakdowns.Single(b => b.Dimension == dimension).Rows : Array.Empty<BreakdownRow>())
            {
                Known(row.Responses, wave, row.Value);
            }

            foreach (var value in values)
            {
                var filtered = Of(new ResultsQuery(Wave: wave, Dimension: dimension, Value: value));
                Known(Figure(filtered.Selected), wave, value);
                Known(Figure(filtered.Overall), wave, null);
                foreach (var point in answer is null && wave is null ? filtered.Trend : Array.Empty<WavePoint>())
                {
                    Known(point.Responses, point.Wave, value);
                }
            }
        }

        var rank = Rank(sums);
        return grid.Where((c, i) => Responses(c) > 0 && !shown.Contains(c)
            && Rank([.. sums, grid.Select((_, j) => i == j ? 1.0 : 0.0).ToArray()]) == rank).ToList();
    }

    private static int Rank(List<double[]> rows)
    {
        var m = rows.Select(r => r.ToArray()).ToArray();
        var rank = 0;
        for (var col = 0; m.Length > 0 && col < m[0].Length && rank < m.Length; col++)
        {
            var pivot = Enumerable.Range(rank, m.Length - rank).FirstOrDefault(r => Math.Abs(m[r][col]) > 1e-9, -1);
            if (pivot < 0)
            {
                continue;
            }

            (m[rank], m[pivot]) = (m[pivot], m[rank]);
            for (var r = 0; r < m.Length; r++)
            {
                if (r != rank && Math.Abs(m[r][col]) > 1e-9)
                {
                    var f = m[r][col] / m[rank][col];
                    m[r] = m[r].Select((x, j) => x - (f * m[rank][j])).ToArray();
                }
            }

            rank++;
        }

        return rank;
    }

    /// <summary>A cell of <paramref name="responses"/> responses of which <paramref name="topics"/> also ticked "pay" as a topic.</summary>
    private static SurveyCell TopicsCell(Cohort cohort, int responses, int topics, string wave)
    {
        var cell = Cell(Content5, cohort, responses, wave: wave);
        var tally = new ResponseTally();
        for (var i = 0; i < topics; i++)
        {
            tally.Add(Content5, Answers(("topics", ["pay"])), +1);
        }

        tally.Responses = 0; // the same respondents: only their answers to "topics" are added
        cell.Tally.Merge(tally);
        return cell;
    }

    private static QuestionResult Topics(SurveyResultsView report) => report.Selected.Questions.Single(q => q.Question.Id == "topics");

    [Fact]
    public void QuestionsCount_InTheShownWaves_DoesNotGiveItsCountInAHiddenWaveAway()
    {
        // Waves w01=25, w02=20, w03=3 at k=5: the trend hides w03 and w02 beside it. "topics": w01=25, w02=1, w03=1.
        // The version shows 27 answers to it: w01's 25 beside them would leave 2 in the hidden waves, and 2 "pay".
        SurveyCell[] cells =
        [
            TopicsCell(Cohort(), 25, 25, "w01"), TopicsCell(Cohort(), 20, 1, "w02"), TopicsCell(Cohort(), 3, 1, "w03"),
        ];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());

        var version = Topics(Of(ResultsQuery.All));
        var w01 = Of(new ResultsQuery(Wave: "w01"));

        Assert.Equal([false, true, true], Of(ResultsQuery.All).Trend.Select(p => p.Suppressed));
        Assert.Equal((27L, 27L), (version.Answered, version.Distribution!.Single(v => v.Value == "pay").Count));
        Assert.Equal(25, w01.Selected.Responses);
        Assert.Equal((true, (long?)null, (IReadOnlyList<ValueCount>?)null), (Topics(w01).Suppressed, Topics(w01).Answered, Topics(w01).Distribution));
        Assert.False(w01.Selected.Questions.Single(q => q.Question.Id == "recommend").Suppressed);
        Assert.DoesNotContain("topics,pay,Pay,25", SurveyResults.Csv(w01, Locale.English), StringComparison.Ordinal);

        // Nor beside a filtered page of the wave: its "everyone" column is the same figure.
        var w01Filtered = Of(new ResultsQuery(Wave: "w01", Dimension: CohortDimension.Department, Value: "Retail Banking"));
        Assert.True(w01Filtered.Overall!.Questions.Single(q => q.Question.Id == "topics").Suppressed);
        Assert.True(Topics(w01Filtered).Suppressed);
    }

    [Fact]
    public void QuestionsCount_InAShownWave_DoesNotGiveItsSmallCountInAnotherShownWaveAway()
    {
        // Both waves shown (10 each); "topics": w01=10, w02=2. The version's 12 minus w01's 10 would say w02's 2.
        SurveyCell[] cells = [TopicsCell(Cohort(), 10, 10, "w01"), TopicsCell(Cohort(), 10, 2, "w02")];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());

        Assert.Equal(12, Topics(Of(ResultsQuery.All)).Answered);
        Assert.Equal(10, Of(new ResultsQuery(Wave: "w01")).Selected.Responses);
        Assert.True(Topics(Of(new ResultsQuery(Wave: "w01"))).Suppressed);
        Assert.True(Topics(Of(new ResultsQuery(Wave: "w02"))).Suppressed);
    }

    [Fact]
    public void GroupsQuestionCount_InAShownWave_DoesNotGiveItsCountInTheOtherWaveAway()
    {
        // 2024 and 2023 answered 10 each in both waves, and "topics" 10 times everywhere but 2024 in w02 (2). Every wave's
        // count is shown (20 and 12), 2024's for the version too (12): its 10 in w01 beside them would leave 2 in w02,
        // and 2023's 10 in w02 beside w02's 12 the same; so would 2023's 10 in w01 beside 2023's 20 (its 10 in w02).
        SurveyCell[] cells =
        [
            TopicsCell(Cohort(year: 2024), 10, 10, "w01"), TopicsCell(Cohort(year: 2023), 10, 10, "w01"),
            TopicsCell(Cohort(year: 2024), 10, 2, "w02"), TopicsCell(Cohort(year: 2023), 10, 10, "w02"),
        ];
        SurveyResultsView Of(ResultsQuery query) => SurveyReport.Build(Published(Content5), Content5, 1, query, cells, new Dictionary<string, long>());
        ResultsQuery Year(int year, string? wave = null) => new(Wave: wave, Dimension: CohortDimension.DepartureYear, Value: year.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(12, Topics(Of(new ResultsQuery(Wave: "w02"))).Answered);
        Assert.Equal(12, Topics(Of(Year(2024))).Answered);
        Assert.Equal(20, Topics(Of(Year(2023))).Answered);
        var year2024InW01 = Of(Year(2024, "w01"));
        Assert.Equal(10, year2024InW01.Selected.Responses);
        Assert.True(Topics(year2024InW01).Suppressed);
        Assert.True(Topics(Of(Year(2023, "w02"))).Suppressed);
        Assert.True(Topics(Of(Year(2023, "w01"))).Suppressed);
        Assert.Empty(Revealed(cells, CohortDimension.DepartureYear, ("topics", "pay")));
    }

    [Fact]
    public void VersionStoredWithAThresholdOfThree_IsReadWithFive()
    {
        // Stored before the floor was raised to 5: its group of 3 is hidden like any other, its group of 5 shown.
        var content = Content(k: 3);
        SurveyResultsView Of(int responses) =>
            SurveyReport.Build(Published(content), content, 1, ResultsQuery.All, [Cell(content, Cohort(), responses)], new Dictionary<string, long> { ["w01"] = 10 });

        Assert.Equal((5, true, (double?)null), (Of(3).K, Of(3).Selected.Suppressed, Of(3).Trend.Single().ResponseRate));
        Assert.Equal(5, Of(5).Selected.Responses);
    }

    [Fact]
    public void Csv_HoldsTheShownFiguresOnly()
    {
        var report = Report(new ResultsQuery(Dimension: CohortDimension.Department, Value: "Retail Banking"),
            Cell(Content5, Cohort("Retail Banking"), 9), Cell(Content5, Cohort("=HYPERLINK(\"x\")"), 3, score: 0));

        var csv = SurveyResults.Csv(report, Locale.English);

        Assert.StartsWith("section,version,wave,group,question,value,label,count,rate,mean,enps\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("responses,1,all,Department=Retail Banking,,,,,,,\r\n", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",9,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("=HYPERLINK", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_WritesANegativeEnpsAsANumber()
    {
        var report = Report(ResultsQuery.All, Cell(Content5, Cohort(), 5, score: 0));

        var csv = SurveyResults.Csv(report, Locale.English);

        Assert.Equal(-100.0, report.Selected.Questions.Single(q => q.Enps is not null).Enps);
        Assert.Contains(",-100\r\n", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("'-100", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", null, null, null, "version")]
    [InlineData("abc", null, null, null, "version")]
    [InlineData(null, "W01", null, null, "wave")]
    [InlineData(null, null, "Salary", "1", "by")]
    [InlineData(null, null, "Department", null, "value")]
    [InlineData(null, null, null, "Sales", "by")]
    public void BadQuery_IsRefusedNamingTheField(string? version, string? wave, string? by, string? value, string field)
    {
        var (query, errors) = ResultsQuery.Parse(version, wave, by, value);

        Assert.Null(query);
        Assert.Contains(errors, e => e.Field == field);
    }
}
