using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlumniNetwork.Core.Scheduling;

namespace AlumniNetwork.Core.Messaging;

/// <summary>
/// Reads a queue message body, in every form it reaches us: the Functions host passes a JSON body as an object, any other
/// body as a string, and has been seen to encode a JSON string twice; a dead letter's body is the raw text. One reader for
/// the triggers and for the dead-letter listing, which reads the bodies it shows to know whose data they carry.
/// </summary>
public static class MessageBody
{
    private const int MaxStringEncodings = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The body as <typeparamref name="T"/>, or false with what is wrong with it (never throws on bad input).</summary>
    public static bool TryRead<T>(JsonElement value, [NotNullWhen(true)] out T? message, out string problem)
        where T : class
    {
        message = null;
        for (var depth = 0; depth < MaxStringEncodings && value.ValueKind == JsonValueKind.String; depth++)
        {
            try
            {
                using var inner = JsonDocument.Parse(value.GetString()!);
                value = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                problem = "is a string that is not JSON.";
                return false;
            }
        }

        try
        {
            message = value.Deserialize<T>(Json);
        }
        catch (JsonException e)
        {
            problem = $"is not a {typeof(T).Name}: {e.Message}";
            return false;
        }

        problem = message is null ? "is null." : "";
        return message is not null;
    }

    /// <summary>A raw body (e.g. a dead letter's) as <typeparamref name="T"/>; false for text that is not JSON.</summary>
    public static bool TryRead<T>(string body, [NotNullWhen(true)] out T? message)
        where T : class
    {
        // The raw text is taken as a JSON string, so it unwraps as the host's string form does.
        return TryRead(JsonSerializer.SerializeToElement(body), out message, out _);
    }

    /// <summary>
    /// The kind and subject of a work message, when <paramref name="body"/> is one that names both; none for any other
    /// body (malformed, truncated, someone else's shape).
    /// </summary>
    public static (string Kind, string SubjectId)? WorkOf(string body) =>
        TryRead<WorkMessage>(body, out var message) && message is { Kind: { } kind, SubjectId: { } subject } ? (kind, subject) : null;
}
