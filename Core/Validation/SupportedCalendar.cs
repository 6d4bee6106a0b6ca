namespace AlumniNetwork.Core.Validation;

/// <summary>
/// The dates the product takes from outside: 1900-01-01 to 2199-12-31. Every date and instant that arrives in a
/// webhook, query string or form is checked against it before any arithmetic, so nothing downstream (a welcome due
/// two days after a last working day, a day-by-day audit query, a UTC conversion) can run off either end of .NET's
/// calendar. The range holds any real hire, departure, event or audit date with centuries to spare.
/// </summary>
public static class SupportedCalendar
{
    public const string Rule = "must be between 1900-01-01 and 2199-12-31";

    public static DateOnly First { get; } = new(1900, 1, 1);

    public static DateOnly Last { get; } = new(2199, 12, 31);

    public static bool Contains(DateOnly day) => day >= First && day <= Last;

    public static bool Contains(DateTimeOffset instant) => Contains(DateOnly.FromDateTime(instant.UtcDateTime));

    /// <summary>Unix seconds inside the range (from 1970, when unix time begins, to the end of 2199).</summary>
    public static bool ContainsUnixSeconds(long seconds) =>
        seconds >= 0 && seconds <= new DateTimeOffset(Last.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero).ToUnixTimeSeconds();
}
