using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>Queue-triggered work as the Functions host would run it, without the timers: one dispatch, then the messages of one queue to their function.</summary>
internal static class WorkDelivery
{
    /// <summary>Runs the dispatcher and hands every message of output binding <paramref name="output"/> to <paramref name="function"/>.</summary>
    /// <returns>How many messages were delivered.</returns>
    public static async Task<int> DeliverAsync(this TestApp app, string output, string function)
    {
        var messages = await app.DispatchAsync(output);
        foreach (var message in messages)
        {
            await app.InvokeAsync(function, message);
        }

        return messages.Length;
    }

    /// <summary>Runs the dispatcher once; the messages of output binding <paramref name="output"/>, not delivered.</summary>
    public static async Task<JsonElement[]> DispatchAsync(this TestApp app, string output)
    {
        var dispatch = await app.Client.PostAsync("DispatchDueWork", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", System.Text.Encoding.UTF8, "application/json"));
        var outputs = (await dispatch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Outputs");
        return outputs.TryGetProperty(output, out var messages) ? [.. messages.EnumerateArray()] : [];
    }

    /// <summary>
    /// Waits until every pending work item of <paramref name="kind"/> is due: work written before the change it follows
    /// (intent first) falls due a moment later (<see cref="Core.Scheduling.IntentWork.WriteGrace"/>).
    /// </summary>
    public static async Task WaitForDueWorkAsync(this TestApp app, string kind)
    {
        var due = (await app.RowsAsync(Core.Storage.AlumniTables.WorkItems))
            .Where(r => r.GetString("Status") == "Pending" && r.GetString("Kind") == kind)
            .Select(r => r.GetDateTimeOffset("DueAt")!.Value)
            .DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (due - TimeProvider.System.GetUtcNow() is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// Waits until the pending work of <paramref name="kinds"/> written as an intent (due within
    /// <see cref="Core.Scheduling.IntentWork.WriteGrace"/>) is due; work due later (a cooling-off's end) is not waited for.
    /// </summary>
    public static async Task WaitForIntentWorkAsync(this TestApp app, params string[] kinds)
    {
        var now = TimeProvider.System.GetUtcNow();
        var due = (await app.RowsAsync(Core.Storage.AlumniTables.WorkItems))
            .Where(r => r.GetString("Status") == "Pending" && kinds.Contains(r.GetString("Kind")))
            .Select(r => r.GetDateTimeOffset("DueAt")!.Value)
            .Where(at => at <= now + Core.Scheduling.IntentWork.WriteGrace)
            .DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        if (due - now is { Ticks: > 0 } wait)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>One Service Bus invocation of <paramref name="function"/> with <paramref name="message"/> as its body, as the host sends it.</summary>
    public static async Task InvokeAsync(this TestApp app, string function, JsonElement message)
    {
        var envelope = "{\"Data\":{\"message\":" + message.GetRawText() + "},\"Metadata\":{\"DeliveryCount\":1}}";
        var response = await app.Client.PostAsync(function, new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
