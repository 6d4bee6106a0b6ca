using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

public sealed record BindingDefinition(
    string Type,
    string Direction,
    string Name,
    string? Schedule = null,
    string? QueueName = null,
    bool RunOnStartup = false,
    bool? UseMonitor = null,
    string? Route = null,
    IReadOnlyList<string>? Methods = null,
    string? AuthLevel = null)
{
    public bool IsTrigger => Direction == "in" && Type.EndsWith("Trigger", StringComparison.Ordinal);

    /// <summary>A message output the host would write for us (Service Bus, or Storage queue).</summary>
    public bool IsMessageOutput => Direction == "out" && Type is "serviceBus" or "queue";
}

public sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition Trigger => Bindings.Single(b => b.IsTrigger);
}

/// <summary>The host-wide settings the local trigger host honours.</summary>
/// <param name="MaxDeliveryCount">Read from <c>extensions.serviceBus.maxDeliveryCount</c> if present, else Service Bus's default 10.</param>
/// <param name="MaxAutoLockRenewal">How long the host keeps renewing a message's lock while its function runs (<c>maxAutoLockRenewalDuration</c>, default 5 minutes).</param>
/// <param name="FunctionTimeout">
/// How long one invocation may run before the host fails it (<c>functionTimeout</c>; default 30 minutes, Flex Consumption's;
/// <c>-1</c> is no limit, <see cref="Timeout.InfiniteTimeSpan"/>).
/// </param>
public sealed record HostDefinition(string RoutePrefix, int MaxConcurrentCalls, int MaxDeliveryCount, TimeSpan MaxAutoLockRenewal, TimeSpan FunctionTimeout);

/// <summary>Reads the same <c>host.json</c> and <c>*/function.json</c> files that are deployed.</summary>
public static class FunctionCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HostDefinition LoadHost(string scriptRoot)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(scriptRoot, "host.json")))!;
        var extensions = host["extensions"];
        return new HostDefinition(
            extensions?["http"]?["routePrefix"]?.GetValue<string>() ?? "api",
            extensions?["serviceBus"]?["maxConcurrentCalls"]?.GetValue<int>() ?? 16,
            extensions?["serviceBus"]?["maxDeliveryCount"]?.GetValue<int>() ?? 10,
            extensions?["serviceBus"]?["maxAutoLockRenewalDuration"]?.GetValue<string>() is { } renewal
                ? TimeSpan.Parse(renewal, System.Globalization.CultureInfo.InvariantCulture)
                : TimeSpan.FromMinutes(5),
            host["functionTimeout"]?.GetValue<string>() switch
            {
                null => TimeSpan.FromMinutes(30),
                "-1" => Timeout.InfiniteTimeSpan,
                var timeout => TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture),
            });
    }

    public static IReadOnlyList<FunctionDefinition> LoadFunctions(string scriptRoot) =>
        Directory.EnumerateDirectories(scriptRoot)
            .Where(directory => File.Exists(Path.Combine(directory, "function.json")))
            .Select(directory => new FunctionDefinition(
                Path.GetFileName(directory),
                JsonSerializer.Deserialize<FunctionFile>(File.ReadAllText(Path.Combine(directory, "function.json")), Json)!.Bindings))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToArray();

    /// <summary>The queues the Service Bus triggers consume, with <c>%Setting%</c> expressions resolved.</summary>
    public static IReadOnlyList<string> ServiceBusQueueNames(string scriptRoot, IConfiguration configuration) =>
        LoadFunctions(scriptRoot)
            .Where(f => f.Trigger.Type == "serviceBusTrigger")
            .Select(f => AppSettingResolver.Resolve(f.Trigger.QueueName!, configuration))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    private sealed record FunctionFile(IReadOnlyList<BindingDefinition> Bindings);
}
