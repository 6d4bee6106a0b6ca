using System.Buffers;

namespace AlumniNetwork.Core.Admin;

/// <summary>
/// RFC 4180 rows that are safe to open in a spreadsheet. A cell that a spreadsheet would run as a formula (it starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return, OWASP's list, or their full-width forms, which
/// Japanese input methods produce) is prefixed with <c>'</c>; a cell holding a comma, quote or line break is quoted,
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

        if (FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().ContainsAny(NeedsQuotes) ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary>One record, ending with CRLF.</summary>
    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + LineBreak;
}
