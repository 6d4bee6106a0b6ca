using System.Globalization;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Admin;

/// <summary>Reads admin query-string values; each problem names the parameter and the rule, never the value sent.</summary>
internal static class QueryValues
{
    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>An enum member by name, ignoring case; numbers are refused.</summary>
    public static T? Enum<T>(string? value, string parameter, List<FieldError> errors)
        where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!EnumNames.TryParse<T>(value.Trim(), ignoreCase: true, out var parsed))
        {
            errors.Add(new FieldError(parameter, $"must be one of {EnumNames.List<T>()}"));
            return null;
        }

        return parsed;
    }

    public static int Int(string? value, string parameter, int min, int max, int fallback, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors.Add(new FieldError(parameter, $"must be a whole number from {min} to {max}"));
            return fallback;
        }

        return number;
    }

    /// <summary>An ISO 8601 instant inside the supported calendar; one without an offset is taken as UTC, a bare date as midnight UTC.</summary>
    public static DateTimeOffset? Instant(string? value, string parameter, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParseExact(value.Trim(), InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            errors.Add(new FieldError(parameter, "must be an ISO 8601 date or date-time, e.g. 2026-11-30T09:00:00Z"));
            return null;
        }

        if (!SupportedCalendar.Contains(instant))
        {
            errors.Add(new FieldError(parameter, SupportedCalendar.Rule));
            return null;
        }

        return instant;
    }

    /// <summary>A calendar date, <c>yyyy-MM-dd</c>, inside the supported calendar; null when absent.</summary>
    public static DateOnly? Date(string? value, string parameter, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || !SupportedCalendar.Contains(date))
        {
            errors.Add(new FieldError(parameter, $"must be a date in the form yyyy-MM-dd, and {SupportedCalendar.Rule}"));
            return null;
        }

        return date;
    }

    public static string? Text(string? value, string parameter, int maxLength, List<FieldError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(parameter, $"must be at most {maxLength} characters"));
            return null;
        }

        return text;
    }
}
