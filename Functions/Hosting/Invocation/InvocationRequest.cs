using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlumniNetwork.Functions.Hosting.Invocation;

/// <summary>The envelope the Functions host posts to <c>/&lt;FunctionName&gt;</c> for every non-HTTP trigger.</summary>
public sealed class InvocationRequest
{
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>
    /// The trigger's message as <typeparamref name="T"/>. The host passes a JSON body as an object, any other body as a
    /// string, and has been seen to encode a JSON string twice; all three are accepted.
    /// </summary>
    /// <exception cref="InvalidMessageException">The message is not a <typeparamref name="T"/> in any of those forms.</exception>
    public T ReadMessage<T>(string bindingName)
    {
        if (!Data.TryGetValue(bindingName, out var value))
        {
            throw new InvalidMessageException($"The invocation carries no '{bindingName}' input.");
        }

        for (var depth = 0; depth < 3 && value.ValueKind == JsonValueKind.String; depth++)
        {
            try
            {
                using var inner = JsonDocument.Parse(value.GetString()!);
                value = inner.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new InvalidMessageException($"The '{bindingName}' input is a string that is not JSON.");
            }
        }

        try
        {
            return value.Deserialize<T>(InvocationJson.Options)
                ?? throw new InvalidMessageException($"The '{bindingName}' input is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"The '{bindingName}' input is not a {typeof(T).Name}: {e.Message}");
        }
    }
}

public sealed class InvalidMessageException(string message) : Exception(message);

/// <summary>Timer input, read leniently: the host has been seen to send malformed timestamps, which never fail an invocation.</summary>
public sealed record TimerInput(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next)
{
    public static TimerInput Read(InvocationRequest request, string bindingName)
    {
        if (!request.Data.TryGetValue(bindingName, out var timer) || timer.ValueKind != JsonValueKind.Object)
        {
            return new TimerInput(false, null, null);
        }

        var pastDue = timer.TryGetProperty(nameof(IsPastDue), out var p) && p.ValueKind == JsonValueKind.True;
        var status = timer.TryGetProperty("ScheduleStatus", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        return new TimerInput(pastDue, Instant(status, "Last"), Instant(status, "Next"));
    }

    private static DateTimeOffset? Instant(JsonElement status, string name) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : null;
}
