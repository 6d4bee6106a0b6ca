using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AlumniNetwork.Core.Messaging;

namespace AlumniNetwork.Functions.Hosting.Invocation;

/// <summary>The envelope the Functions host posts to <c>/&lt;FunctionName&gt;</c> for every non-HTTP trigger.</summary>
public sealed class InvocationRequest
{
    [JsonPropertyName("Data")]
    public Dictionary<string, JsonElement> Data { get; init; } = [];

    [JsonPropertyName("Metadata")]
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>The trigger's message as <typeparamref name="T"/>, in any form the host passes it (<see cref="MessageBody"/>).</summary>
    /// <exception cref="InvalidMessageException">The message is not a <typeparamref name="T"/> in any of those forms.</exception>
    public T ReadMessage<T>(string bindingName)
        where T : class
    {
        if (!Data.TryGetValue(bindingName, out var value))
        {
            throw new InvalidMessageException($"The invocation carries no '{bindingName}' input.");
        }

        return MessageBody.TryRead<T>(value, out var message, out var problem)
            ? message
            : throw new InvalidMessageException($"The '{bindingName}' input {problem}");
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
