using System.Text;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// The tables an entity-group transaction (<c>POST …/$batch</c>) writes, read from its multipart body as it streams
/// past in pieces of any size: each changeset part opens with a request line such as
/// <c>POST http://host/devstoreaccount1/Sends HTTP/1.1</c> or
/// <c>PATCH http://host/devstoreaccount1/Sends(PartitionKey='a',RowKey='b') HTTP/1.1</c>. URLs are path-style, as
/// Azurite's are: the account, then the table.
/// </summary>
internal sealed class BatchTables
{
    /// <summary>A request line with two 1 KiB keys escaped fits; a longer line is an entity's JSON, not a request line.</summary>
    private const int LongestLine = 8 * 1024;

    private readonly byte[] line = new byte[LongestLine];
    private readonly SortedSet<string> tables = new(StringComparer.Ordinal);
    private int length;
    private bool tooLong;

    /// <summary>The distinct tables named so far, in ordinal order.</summary>
    public IReadOnlySet<string> Tables => tables;

    public void Read(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var piece = end < 0 ? bytes : bytes[..end];
            tooLong |= length + piece.Length > LongestLine;
            if (!tooLong)
            {
                piece.CopyTo(line.AsSpan(length));
                length += piece.Length;
            }

            if (end < 0)
            {
                return;
            }

            if (!tooLong && TableOf(Encoding.ASCII.GetString(line, 0, length).TrimEnd('\r')) is { } table)
            {
                tables.Add(table);
            }

            (length, tooLong) = (0, false);
            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>The table a request line (<c>VERB absolute-URL HTTP/1.1</c>) addresses, or null for any other line.</summary>
    public static string? TableOf(string requestLine) =>
        requestLine.Split(' ') is [var verb, var url, var version] && verb.Length > 0 && verb.All(char.IsAsciiLetterUpper) &&
        version.StartsWith("HTTP/", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        uri.Scheme is "http" or "https" // not a Unix path, which Uri takes as a file URL
            ? TableOfPath(uri.AbsolutePath)
            : null;

    /// <summary>The second segment of a path-style path, up to its keys: <c>Sends</c> of <c>/devstoreaccount1/Sends(PartitionKey='a',RowKey='b')</c>.</summary>
    public static string? TableOfPath(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, var resource, ..] ? resource.Split('(')[0] : null;
}
