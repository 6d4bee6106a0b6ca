namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>Reads a request body up to a limit, so an oversized body is refused without buffering all of it.</summary>
public static class BodyReader
{
    /// <returns>The body, or null when it is longer than <paramref name="limit"/> bytes.</returns>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The transport checks every webhook shares, before its signature is checked: a body of at most
    /// <paramref name="limit"/> bytes (else 413) sent as JSON (else 415).
    /// </summary>
    public static Task<(byte[]? Body, IResult? Problem)> ReadJsonWebhookAsync(HttpRequest request, int limit, CancellationToken cancellationToken) =>
        ReadJsonAsync(request, limit, cancellationToken);

    /// <summary>A JSON body of at most <paramref name="limit"/> bytes (else 413), sent as JSON (else 415): webhooks and admin bodies.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadJsonAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await ReadLimitedAsync(request, limit, cancellationToken);
        if (body is null)
        {
            return (null, Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large.", $"The body must be at most {limit} bytes."));
        }

        return IsJson(request)
            ? (body, null)
            : (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Content-Type must be application/json."));
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType is { } type &&
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
