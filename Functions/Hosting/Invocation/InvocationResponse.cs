using System.Text.Json.Serialization;

namespace AlumniNetwork.Functions.Hosting.Invocation;

/// <summary>
/// What a function answers the host. Outputs are always objects (or arrays of objects): the host base64-decodes
/// string outputs and would silently corrupt them.
/// </summary>
public sealed class InvocationResponse
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object> Outputs { get; } = [];

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; init; }

    public static InvocationResponse Empty() => new();

    /// <summary>
    /// Messages for a queue or Service Bus output: an array writes one message per element. A second call for the same
    /// output adds to its messages, never replaces them.
    /// </summary>
    public InvocationResponse WithMessages<T>(string bindingName, IReadOnlyCollection<T> messages)
        where T : class
    {
        if (messages.Count == 0)
        {
            return this;
        }

        if (Outputs.TryGetValue(bindingName, out var written) && written is List<object> all)
        {
            all.AddRange(messages);
        }
        else
        {
            Outputs[bindingName] = new List<object>(messages);
        }

        return this;
    }

    /// <summary>Notes in the host's log when a timer run catches up on a missed occurrence.</summary>
    public InvocationResponse WithTimerNote(TimerInput timer) =>
        timer.IsPastDue ? WithLog($"Past due: the previous occurrence ({timer.Last:O}) was missed; this run catches up.") : this;

    public InvocationResponse WithLog(string line)
    {
        Logs.Add(line);
        return this;
    }
}
