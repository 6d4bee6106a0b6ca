using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>Posts the invocation envelope the real host sends to <c>/&lt;FunctionName&gt;</c> over loopback HTTP.</summary>
public sealed class FunctionInvoker(HttpClient http, Uri baseAddress, TimeProvider time)
{
    /// <param name="timeout">host.json's <c>functionTimeout</c>: past it the call is cut and the invocation fails, as the host fails it.</param>
    /// <returns>The <c>Outputs</c> object of a 2xx answer, or null when the invocation failed or ran out of time.</returns>
    public async Task<JsonObject?> InvokeAsync(string functionName, JsonObject data, JsonObject metadata, TimeSpan timeout, CancellationToken cancellationToken)
    {
        metadata["sys"] = new JsonObject
        {
            ["MethodName"] = functionName,
            ["UtcNow"] = time.GetUtcNow().ToString("O"),
            ["RandGuid"] = Guid.NewGuid().ToString(),
        };
        var envelope = new JsonObject { ["Data"] = data, ["Metadata"] = metadata };
        using var timeLimit = new CancellationTokenSource(timeout, time);
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeLimit.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, functionName)) { Content = JsonContent.Create(envelope) };
            // As the Functions host does on every call to a custom handler.
            request.Headers.Add(Telemetry.InvocationContext.Header, Guid.NewGuid().ToString());
            using var response = await http.SendAsync(request, invocation.Token);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonObject>(invocation.Token);
            return body?["Outputs"] as JsonObject ?? [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }
}
