using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Alumni;

/// <summary>What a bulk departure file turned out to be: every notice, or every problem.</summary>
public abstract record DepartureBatch
{
    private DepartureBatch() { }

    public sealed record Valid(IReadOnlyList<DepartureNotice> Notices) : DepartureBatch;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : DepartureBatch;
}

/// <summary>
/// Reads a bulk departure file: a JSON array of objects shaped like the webhook's <c>data</c>, or a CSV file whose header
/// names the same fields. Each row is checked by the webhook's own rules (<see cref="DepartureEventParser"/>); a problem
/// is reported as <c>rows[n].field</c>, n counting data rows from 1 (<c>rows[1]</c> is the first row after a CSV header,
/// or the first element of a JSON array), problems of the JSON itself inside a row (a repeated key, text that is not
/// Unicode) included. Every problem is reported at once; a batch with any problem yields no notice.
/// </summary>
public static partial class DepartureBatchParser
{
    /// <summary>The CSV columns, named as the webhook's <c>data</c> fields.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "employeeId", "givenName", "familyName", "personalEmail", "department", "jobTitle",
        "hireDate", "lastWorkingDay", "reason", "rehireEligible", "locale",
    ];

    /// <summary>The <c>type</c> of HR's nightly batch of recent leavers.</summary>
    public const string BatchType = "employee.departed.batch";

    private static readonly string[] RequiredColumns = ["employeeId", "givenName", "familyName", "personalEmail", "lastWorkingDay", "reason"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static DepartureBatch ParseJson(ReadOnlySpan<byte> body, int maxRows, Locale defaultLocale, Company.CompanyMailDomains mailDomains)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 16, "must be a well-formed JSON array");
        if (document is null)
        {
            return new DepartureBatch.Invalid(ByRow(errors, array: ""));
        }

        using (document)
        {
            return ParseRows(document.RootElement, "$", maxRows, defaultLocale, mailDomains);
        }
    }

    /// <summary>
    /// Reads HR's nightly batch, <c>{"type": "employee.departed.batch", "timestamp": ..., "data": [...]}</c>: the envelope
    /// by the webhook's rules (its <c>timestamp</c> required, not ahead of <paramref name="eventTimeLimit"/>, and carried by every notice as its event time), each element of <c>data</c> as a row (<c>rows[n].field</c>, as the import names them). Another
    /// type is refused naming <c>type</c> and its rows are not read. An empty <c>data</c> is a valid batch: a night
    /// without leavers is not an error the HR system should retry.
    /// </summary>
    public static DepartureBatch ParseEvent(
        ReadOnlySpan<byte> body, int maxRows, Locale defaultLocale, Company.CompanyMailDomains mailDomains, EventTimeLimit eventTimeLimit)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 16, "must be a well-formed JSON object");
        if (document is null)
        {
            return new DepartureBatch.Invalid(ByRow(errors, array: "data"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new DepartureBatch.Invalid([new FieldError("$", "must be a JSON object")]);
            }

            var envelope = new List<FieldError>();
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != BatchType)
            {
                envelope.Add(new FieldError("type", $"must be {BatchType}"));
            }

            var eventAt = DepartureEventParser.ReadTimestamp(root, required: true, eventTimeLimit, envelope);
            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                envelope.Add(new FieldError("data", "is required and must be a JSON array of departures"));
            }

            if (envelope.Count > 0)
            {
                return new DepartureBatch.Invalid(envelope);
            }

            // Every row carries the batch's event time: a retried older night never undoes a newer correction (ADR 0040).
            var rows = ParseRows(data, "data", maxRows, defaultLocale, mailDomains, emptyAllowed: true);
            return rows is DepartureBatch.Valid valid ? new DepartureBatch.Valid([.. valid.Notices.Select(n => n with { EventAt = eventAt })]) : rows;
        }
    }

    /// <summary>Reads the rows of a JSON array (the import's body, or the nightly batch's <c>data</c>).</summary>
    internal static DepartureBatch ParseRows(
        JsonElement rows, string path, int maxRows, Locale defaultLocale, Company.CompanyMailDomains mailDomains, bool emptyAllowed = false)
    {
        if (rows.ValueKind != JsonValueKind.Array)
        {
            return new DepartureBatch.Invalid([new FieldError(path, "must be a JSON array of departures")]);
        }

        if (Count(rows.GetArrayLength(), maxRows, emptyAllowed) is { } countError)
        {
            return new DepartureBatch.Invalid([countError]);
        }

        var errors = new List<FieldError>();
        var notices = new List<(int Row, DepartureNotice Notice)>();
        var row = 0;
        foreach (var element in rows.EnumerateArray())
        {
            row++;
            Read(element, row, defaultLocale, mailDomains, errors, notices);
        }

        return Result(notices, errors);
    }

    public static DepartureBatch ParseCsv(ReadOnlySpan<byte> body, int maxRows, Locale defaultLocale, Company.CompanyMailDomains mailDomains)
    {
        var bytes = body.StartsWith("\uFEFF"u8) ? body[3..] : body;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return new DepartureBatch.Invalid([new FieldError("$", "must be UTF-8 text")]);
        }

        var errors = new List<FieldError>();
        var records = CsvRecords.Read(text, errors);
        if (errors.Count > 0)
        {
            return new DepartureBatch.Invalid(errors);
        }

        if (records.Count == 0)
        {
            return new DepartureBatch.Invalid([new FieldError("header", "is required: a first line naming the columns")]);
        }

        var header = records[0];
        CheckHeader(header, errors);
        if (Count(records.Count - 1, maxRows) is { } countError)
        {
            errors.Add(countError);
        }

        if (errors.Count > 0)
        {
            return new DepartureBatch.Invalid(errors);
        }

        var notices = new List<(int Row, DepartureNotice Notice)>();
        for (var row = 1; row < records.Count; row++)
        {
            var cells = records[row];
            if (cells.Count != header.Count)
            {
                errors.Add(new FieldError($"rows[{row}]", $"must have {header.Count} fields, as the header has; it has {cells.Count}"));
                continue;
            }

            using var document = JsonDocument.Parse(RowObject(header, cells));
            Read(document.RootElement, row, defaultLocale, mailDomains, errors, notices);
        }

        return Result(notices, errors);
    }

    /// <summary>
    /// <see cref="StrictJson"/> names a problem by its JSON path (<c>data[0].givenName</c>, or <c>[0].givenName</c> in an
    /// import); inside a row it is named by the row, as that row's other problems are (<c>rows[1].givenName</c>).
    /// </summary>
    /// <param name="array">Where the rows are: <c>data</c> in the nightly batch, the root (empty) in an import.</param>
    private static FieldError[] ByRow(IReadOnlyList<FieldError> errors, string array) =>
        [.. errors.Select(error => JsonItem().Match(error.Field) is { Success: true } item && item.Groups["array"].Value == array
            ? error with { Field = $"rows[{int.Parse(item.Groups["index"].Value, CultureInfo.InvariantCulture) + 1}]{error.Field[item.Length..]}" }
            : error)];

    [GeneratedRegex(@"^(?<array>[A-Za-z]*)\[(?<index>[0-9]{1,9})\]")]
    private static partial Regex JsonItem();

    private static FieldError? Count(int rows, int maxRows, bool emptyAllowed = false) => rows switch
    {
        0 when !emptyAllowed => new FieldError("rows", "must contain at least one departure"),
        _ when rows > maxRows => new FieldError("rows", $"must be at most {maxRows} departures; split the file"),
        _ => null,
    };

    private static void Read(
        JsonElement element, int row, Locale defaultLocale, Company.CompanyMailDomains mailDomains,
        List<FieldError> errors, List<(int Row, DepartureNotice Notice)> notices)
    {
        var path = $"rows[{row}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object"));
            return;
        }

        if (DepartureEventParser.ReadDeparture(element, path, defaultLocale, mailDomains, errors) is { } notice)
        {
            notices.Add((row, notice));
        }
    }

    private static DepartureBatch Result(List<(int Row, DepartureNotice Notice)> notices, List<FieldError> errors)
    {
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (row, notice) in notices)
        {
            if (!firstRow.TryAdd(notice.EmployeeId, row))
            {
                errors.Add(new FieldError($"rows[{row}].employeeId", $"repeats rows[{firstRow[notice.EmployeeId]}].employeeId: an employee may appear once in a batch"));
            }
        }

        return errors.Count > 0
            ? new DepartureBatch.Invalid(errors)
            : new DepartureBatch.Valid(notices.ConvertAll(n => n.Notice));
    }

    private static void CheckHeader(IReadOnlyList<string> header, List<FieldError> errors)
    {
        // Every column is read (a required one may come late), but a line of a million commas gets a short answer.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reported = 0;
        for (var column = 0; column < header.Count; column++)
        {
            var name = header[column];
            var known = Columns.Contains(name, StringComparer.Ordinal);
            if ((known && seen.Add(name)) || reported == StrictJson.MaxErrors)
            {
                continue;
            }

            // An unknown column's text is not echoed: a file without a header line has a data row here, names and an address.
            reported++;
            errors.Add(new FieldError("header", known
                ? $"column {column + 1} ('{name}') repeats an earlier column"
                : $"column {column + 1} is not a departure field; the fields are {string.Join(", ", Columns)}"));
        }

        foreach (var required in RequiredColumns.Where(r => !seen.Contains(r)))
        {
            errors.Add(new FieldError("header", $"must include the column '{required}'"));
        }
    }

    /// <summary>The row as the webhook's <c>data</c> object: an empty cell is absent, <c>rehireEligible</c> true/false a boolean.</summary>
    private static byte[] RowObject(IReadOnlyList<string> header, IReadOnlyList<string> cells)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var column = 0; column < header.Count; column++)
            {
                var cell = cells[column];
                if (cell.Length == 0)
                {
                    continue;
                }

                if (header[column] == "rehireEligible" && cell is "true" or "false")
                {
                    writer.WriteBoolean(header[column], cell == "true");
                }
                else
                {
                    writer.WriteString(header[column], cell);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
