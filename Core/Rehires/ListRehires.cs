using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Rehires;

/// <param name="From">First day of the period (default: a year before <paramref name="To"/>).</param>
/// <param name="To">Last day of the period (default: today in the company's calendar).</param>
public sealed record RehireQuery(string? From, string? To);

/// <summary>One return, as the report lists it: the alumnus by id only.</summary>
public sealed record RehireView(string? AlumnusId, DateOnly HiredOn, DateOnly? LastWorkingDay, int? DaysAway, bool Attributed, IReadOnlyList<Touch> Touches);

/// <summary>Whole days from the last working day to the return, over the period's returns.</summary>
public sealed record DaysToReturn(int Shortest, double Median, double Average, int Longest);

/// <summary>
/// Rehires of alumni in a period: how many, how many the network reached in the year before (attributed), by the kind of
/// opening that reached them and by the kind of touch (first, last, any), and the time from departure to return. Counts
/// are of people.
/// </summary>
public sealed record RehireReport(
    DateOnly From,
    DateOnly To,
    int Rehires,
    int Attributed,
    IReadOnlyDictionary<string, int> ByOpeningKind,
    IReadOnlyDictionary<string, int> ByFirstTouch,
    IReadOnlyDictionary<string, int> ByLastTouch,
    IReadOnlyDictionary<string, int> ByAnyTouch,
    DaysToReturn? DaysToReturn,
    IReadOnlyList<RehireView> Items);

/// <summary>The rehires report for admins and recruiters (the admin API and the dashboard read the same rows). Audited.</summary>
public sealed class ListRehires(IRehireStore rehires, IAuditLog audit, CompanyCalendar calendar, TimeProvider time)
{
    public const string Action = "rehires.read";

    /// <summary>The longest period one report covers.</summary>
    public const int MaxYears = 10;

    public async Task<AdminOutcome<RehireReport>> HandleAsync(RehireQuery query, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var today = calendar.DayOf(time.GetUtcNow());
        var to = QueryValues.Date(query.To, "to", errors) ?? today;
        var from = QueryValues.Date(query.From, "from", errors) ?? to.AddYears(-1).AddDays(1);
        if (errors.Count == 0 && from > to)
        {
            errors.Add(new FieldError("from", "must not be after to"));
        }
        else if (errors.Count == 0 && from < to.AddYears(-MaxYears))
        {
            errors.Add(new FieldError("from", $"must be at most {MaxYears} years before to"));
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<RehireReport>.Invalid(errors);
        }

        var matched = await rehires.MatchedAsync(from, to, cancellationToken);
        var entry = new AuditEntry(time.GetUtcNow(), actor, Action, "", $"from={from:O}; to={to:O}; rehires={matched.Count}");
        await audit.WriteAsync(entry, cancellationToken);
        await audit.RecordSubjectsAsync(entry, matched.Select(r => r.AlumnusId).OfType<Alumni.AlumnusId>().ToArray(), cancellationToken);
        return new AdminOutcome<RehireReport>.Done(Report(from, to, matched));
    }

    public static RehireReport Report(DateOnly from, DateOnly to, IReadOnlyList<Rehire> matched)
    {
        var days = matched.Select(r => r.DaysAway).OfType<int>().Order().ToArray();
        return new RehireReport(
            from,
            to,
            matched.Count,
            matched.Count(r => r.IsAttributed),
            CountPeople(matched, r => r.Touches.Where(t => t.Kind == TouchKind.Opening).Select(t => t.Detail)),
            CountPeople(matched, r => r.Touches.Where(t => t.First).Select(t => t.Kind.ToString())),
            CountPeople(matched, r => r.Touches.Where(t => t.Last).Select(t => t.Kind.ToString())),
            CountPeople(matched, r => r.Touches.Select(t => t.Kind.ToString())),
            days.Length == 0 ? null : new DaysToReturn(days[0], Median(days), Math.Round(days.Average(), 1), days[^1]),
            matched.Select(r => new RehireView(r.AlumnusId?.Value, r.HiredOn, r.LastWorkingDay, r.DaysAway, r.IsAttributed, r.Touches)).ToArray());
    }

    public static double Median(IReadOnlyList<int> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;

    /// <summary>How many returns have each key (a person counts once per key, however many touches carry it).</summary>
    private static Dictionary<string, int> CountPeople(IEnumerable<Rehire> rehires, Func<Rehire, IEnumerable<string>> keys) =>
        rehires.SelectMany(r => keys(r).Distinct(StringComparer.Ordinal)).GroupBy(k => k, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
