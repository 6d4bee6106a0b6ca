using System.Net.Sockets;
using System.Text;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>The answer to a raw request: status, headers (lower-case names) and body text.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? ContentType => Headers.TryGetValue("content-type", out var type) ? type : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not send: a body shorter than its Content-Length (the client
/// then half-closes, as a crashed or cut-off sender does) or one that stops arriving part-way.
/// </summary>
internal static class RawHttp
{
    /// <summary>How long to wait for an answer at most; only bounds a hang, never asserts speed.</summary>
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(90);

    /// <summary>The bytes of a request; the caller gives the framing headers (Content-Length or Transfer-Encoding) it wants.</summary>
    public static byte[] Request(Uri baseAddress, string method, string pathAndQuery, IEnumerable<(string Name, string Value)> headers, ReadOnlySpan<byte> body)
    {
        var head = new StringBuilder($"{method} {pathAndQuery} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetBytes(head.Append("\r\n").ToString()), .. body];
    }

    /// <param name="halfClose">Close the sending side after the request, as a sender that was cut off does; else keep it open.</param>
    /// <returns>
    /// The answer, or null when the server closed the connection without one: Kestrel takes a half-close during the body
    /// for a client that went away, so a truncated request's answer has nobody to go to.
    /// </returns>
    public static async Task<RawResponse?> SendAsync(Uri baseAddress, byte[] request, bool halfClose)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        await stream.FlushAsync();
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var limit = new CancellationTokenSource(AnswerLimit);
        using var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, limit.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // The server reset the connection, after answering or instead of answering.
        }

        return received.Length == 0 ? null : Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] bytes)
    {
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(split > 0, $"No HTTP answer came back: '{Encoding.UTF8.GetString(bytes)}'.");
        var lines = Encoding.ASCII.GetString(bytes, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = bytes.AsSpan(split + 4);
        var chunked = headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        return new RawResponse(status, headers, Encoding.UTF8.GetString(chunked ? Unchunk(body) : body));
    }

    private static byte[] Unchunk(ReadOnlySpan<byte> chunked)
    {
        using var result = new MemoryStream();
        while (!chunked.IsEmpty)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Write(chunked.Slice(lineEnd + 2, size));
            chunked = chunked[(lineEnd + 2 + size + 2)..];
        }

        return result.ToArray();
    }
}
