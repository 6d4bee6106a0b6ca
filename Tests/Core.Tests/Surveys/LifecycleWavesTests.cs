using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class LifecycleWavesTests
{
    private static readonly LifecycleSchedule ExitThenYearly = new([new WaveOffset(0, 90), new WaveOffset(6, 0), new WaveOffset(12, 0)], 12);

    [Fact]
    public void DaysWave_IsDueForExactlyOneLastWorkingDay()
    {
        var due = LifecycleWaves.DueOn(ExitThenYearly, new DateOnly(2027, 3, 1));

        Assert.Contains(new DueWave(1, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1)), due);
    }

    [Fact]
    public void MonthsWave_OnTheLastDayOfAShortMonth_TakesEveryLastWorkingDayThatLandsThere()
    {
        // Six months after 28, 29, 30 and 31 August is 28 February (2027 is a common year).
        var due = LifecycleWaves.DueOn(ExitThenYearly, new DateOnly(2027, 2, 28));

        Assert.Contains(new DueWave(2, new DateOnly(2026, 8, 28), new DateOnly(2026, 8, 31)), due);
    }

    [Fact]
    public void MonthsWave_IsDueOnNoDayThatNoLastWorkingDayLandsOn()
    {
        // 29 to 31 March: one month wave from February has none. With a six-month wave, 31 March is 30 September's... which does not exist.
        var due = LifecycleWaves.DueOn(new LifecycleSchedule([new WaveOffset(6, 0)], null), new DateOnly(2027, 3, 31));

        Assert.Empty(due);
    }

    [Fact]
    public void EveryLastWorkingDay_IsDueOnExactlyOneDayPerWave()
    {
        var start = new DateOnly(2026, 1, 1);
        var seen = new Dictionary<(int Wave, DateOnly Left), int>();
        for (var day = start; day < start.AddYears(3); day = day.AddDays(1))
        {
            foreach (var wave in LifecycleWaves.DueOn(ExitThenYearly, day).Where(w => w.Number <= 4))
            {
                for (var left = wave.From; left <= wave.To; left = left.AddDays(1))
                {
                    seen[(wave.Number, left)] = seen.GetValueOrDefault((wave.Number, left)) + 1;
                }
            }
        }

        Assert.All(seen, s => Assert.Equal(1, s.Value));
        var left2026 = Enumerable.Range(0, 365).Select(i => start.AddDays(i)).ToArray();
        Assert.All(left2026, left => Assert.True(seen.ContainsKey((3, left)), $"wave 3 for {left}"));
    }

    [Fact]
    public void RepeatedWave_ComesYearlyAfterTheLastListedOne()
    {
        Assert.Equal(new WaveOffset(24, 0), ExitThenYearly.OffsetOf(4));
        Assert.Equal(new WaveOffset(36, 0), ExitThenYearly.OffsetOf(5));
        Assert.Null(ExitThenYearly.OffsetOf(LifecycleSchedule.MaxWaves + 1));
        Assert.Null(new LifecycleSchedule([new WaveOffset(0, 90)], null).OffsetOf(2));
    }
}

public sealed class SurveyCampaignIdTests
{
    private static readonly string Id = new('a', 32);

    [Fact]
    public void LongestIds_FitTheEnginesSixtyCharacters()
    {
        var lifecycle = SurveyCampaigns.IdOf(new SurveyWave(Id, SurveyCampaigns.MaxVersion, SurveyWave.LifecycleKey(99)), new DateOnly(2027, 12, 31), reminder: true);
        var adHoc = SurveyCampaigns.IdOf(new SurveyWave(Id, SurveyCampaigns.MaxVersion, SurveyWave.AdHocKey("abcdefghij")), reminder: true);

        Assert.True(lifecycle.Length <= 60, lifecycle);
        Assert.True(adHoc.Length <= 60, adHoc);
        Assert.Matches("^[a-z0-9][a-z0-9-]{0,59}$", lifecycle);
    }

    [Fact]
    public void Id_ReadsBackAsItsWaveDayAndReminder()
    {
        var wave = new SurveyWave(Id, 2, "w03");
        var id = SurveyCampaigns.IdOf(wave, new DateOnly(2027, 3, 1), reminder: true);

        Assert.Equal($"survey-{Id}-v2-w03-20270301-r", id);
        Assert.Equal((wave, new DateOnly(2027, 3, 1), true), SurveyCampaigns.Parse(id)!.Value);
        Assert.Equal((new SurveyWave(Id, 1, "aspring27"), (DateOnly?)null, false), SurveyCampaigns.Parse($"survey-{Id}-v1-aspring27")!.Value);
    }

    [Theory]
    [InlineData("newsletter-2027-01")]
    [InlineData("survey-abc-v1-w01-20270301")]
    [InlineData("survey-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-v1-w01")]
    [InlineData("survey-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-v1-aspring-20270301")]
    [InlineData("survey-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-v0-w01-20270301")]
    [InlineData("survey-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-v1-w01-20270231")]
    public void OtherIds_AreNoSurveyCampaign(string id) => Assert.Null(SurveyCampaigns.Parse(id));

    [Theory]
    [InlineData("survey:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1:w01", true)]
    [InlineData("survey:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:0:w01", false)]
    [InlineData("survey:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:1:x01", false)]
    [InlineData("event-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData(null, false)]
    public void Scope_IsReadOnlyWhenItNamesASurveyVersionAndWave(string? scope, bool valid) => Assert.Equal(valid, SurveyWave.FromScope(scope) is not null);
}
