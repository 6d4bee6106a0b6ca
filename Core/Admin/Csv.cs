using System.Buffers;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// RFC 4180 rows that are safe to open in a spreadsheet. A cell that a spreadsheet would run as a formula (it starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return, OWASP's list, or their full-width forms, which
/// Japanese input methods produce) is prefixed with <c>'</c>, except a plain negative number (<c>-20</c>, <c>-3.5</c>: ASCII
/// digits with at most one decimal point, as the invariant culture writes them), which a spreadsheet reads as the number
/// it is and cannot run; a cell holding a comma, quote or line break is quoted,
/// with quotes doubled. Stored names and addresses come from HR systems and alumni, so every cell is treated as hostile.
/// </summary>
public static class Csv
{
    public const string LineBreak = "\r\n";

    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20");
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (FormulaStarts.Contains(value[0]) && !IsPlainNegativeNumber(value))
        {
            value = "'" + value;
        }

        return value.AsSpan().ContainsAny(NeedsQuotes) ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary><c>-</c>, digits, and optionally <c>.</c> and digits: nothing else (no sign after it, no exponent, no cell reference).</summary>
    private static bool IsPlainNegativeNumber(string value)
    {
        if (value[0] != '-')
        {
            return false;
        }

        var number = value.AsSpan(1);
        var point = number.IndexOf('.');
        return point < 0 ? IsDigits(number) : IsDigits(number[..point]) && IsDigits(number[(point + 1)..]);
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>One record, ending with CRLF.</summary>
    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + LineBreak;
}
