using System.Text;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Alumni;

/// <summary>
/// Splits RFC 4180 text into records: fields separated by commas, records by CRLF or LF, a field in double quotes may
/// hold commas, line breaks and doubled quotes. A final line break ends the last record; a blank line is skipped.
/// </summary>
internal static class CsvRecords
{
    /// <summary>The records, the header first. A malformed quoted field is an error naming its data row (header = row 0).</summary>
    public static List<IReadOnlyList<string>> Read(string text, List<FieldError> errors)
    {
        var records = new List<IReadOnlyList<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                if (!ReadQuoted(text, ref i, field))
                {
                    errors.Add(new FieldError(RowPath(records.Count), "has a quoted field that is not closed, or text after its closing quote"));
                    return records;
                }

                fieldStarted = true;
                continue;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                i++;
                continue;
            }

            if (c is '\r' or '\n')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                EndRecord(records, fields, field, fieldStarted);
                fields = [];
                fieldStarted = false;
                continue;
            }

            if (fieldStarted)
            {
                // Text after a closing quote.
                errors.Add(new FieldError(RowPath(records.Count), "has a quoted field that is not closed, or text after its closing quote"));
                return records;
            }

            field.Append(c);
            i++;
        }

        EndRecord(records, fields, field, fieldStarted);
        return records;
    }

    private static string RowPath(int record) => record == 0 ? "header" : $"rows[{record}]";

    private static void EndRecord(List<IReadOnlyList<string>> records, List<string> fields, StringBuilder field, bool fieldStarted)
    {
        if (fields.Count == 0 && field.Length == 0 && !fieldStarted)
        {
            return; // a blank line, or the end after a final line break
        }

        fields.Add(field.ToString());
        field.Clear();
        records.Add(fields);
    }

    /// <summary>Reads a quoted field from its opening quote; <paramref name="i"/> ends just after the closing quote.</summary>
    private static bool ReadQuoted(string text, ref int i, StringBuilder field)
    {
        i++;
        while (i < text.Length)
        {
            if (text[i] != '"')
            {
                field.Append(text[i]);
                i++;
            }
            else if (i + 1 < text.Length && text[i + 1] == '"')
            {
                field.Append('"');
                i += 2;
            }
            else
            {
                i++;
                return true;
            }
        }

        return false;
    }
}
