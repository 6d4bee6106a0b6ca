namespace AlumniNetwork.Core.Surveys;

/// <summary>A lifecycle wave falling due on one day: everyone whose last working day is in [From, To] is due for wave <paramref name="Number"/>.</summary>
public sealed record DueWave(int Number, DateOnly From, DateOnly To);

/// <summary>
/// Which lifecycle waves fall due on a day, as ranges of last working days. A wave is due on the day its offset after
/// the last working day lands on. Counted in months, several last working days can land on one day (28 to 31 January
/// all land on 28 February one month on, in a common year) and some days get none (29 to 31 March, from February), but
/// every last working day lands on exactly one day per wave: nobody is skipped and nobody is asked twice.
/// </summary>
public static class LifecycleWaves
{
    public static IReadOnlyList<DueWave> DueOn(LifecycleSchedule schedule, DateOnly day)
    {
        var due = new List<DueWave>();
        foreach (var (number, offset) in schedule.All())
        {
            // Going back by the offset lands within a few days of every last working day that goes forward to this day.
            var near = day.AddDays(-offset.Days).AddMonths(-offset.Months);
            var matching = Enumerable.Range(-4, 9).Select(near.AddDays).Where(d => offset.DueFor(d) == day).ToArray();
            if (matching.Length > 0)
            {
                due.Add(new DueWave(number, matching.Min(), matching.Max()));
            }
        }

        return due;
    }
}
