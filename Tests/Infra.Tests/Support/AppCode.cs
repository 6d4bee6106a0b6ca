using System.Text.Json;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Infra.Tests.Support;

/// <summary>A Service Bus binding declared in a function.json.</summary>
public sealed record ServiceBusBinding(string FunctionJson, string Type, string? QueueName, string Connection);

/// <summary>
/// What the app code expects from its environment, read from the source files rather than from the built
/// Functions assembly, so these tests run even while the Functions project does not build.
/// </summary>
public static partial class AppCode
{
    /// <summary>The host's default connection name when a Service Bus binding names none.</summary>
    public const string DefaultServiceBusConnection = "AzureWebJobsServiceBus";

    /// <summary><c>RequiredSettings.Names</c>, in configuration form (<c>Section:Key</c>).</summary>
    public static IReadOnlyList<string> RequiredSettingNames() => ReadStringList("Names");

    /// <summary>Every setting the deployment must provide: the required ones and those that switch off one function.</summary>
    public static IReadOnlyList<string> ProvidedSettingNames() => [.. RequiredSettingNames(), .. FunctionSettings().Keys];

    /// <summary><c>RequiredSettings.StorageAlternatives</c>: one of them must be provided.</summary>
    public static IReadOnlyList<string> StorageAlternatives() => ReadStringList("StorageAlternatives");

    /// <summary><c>RequiredSettings.FunctionSettings</c>: settings the app starts without, each with the function it switches off.</summary>
    public static IReadOnlyDictionary<string, string> FunctionSettings() => ParseStringMap(ReadSource(), "FunctionSettings");

    /// <summary>Configuration key <c>Section:Key</c> as an app setting name <c>Section__Key</c>.</summary>
    public static string ToAppSettingName(string configurationKey) =>
        configurationKey.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>Every serviceBusTrigger / serviceBus binding in Functions/**/function.json (build output excluded).</summary>
    public static IReadOnlyList<ServiceBusBinding> ServiceBusBindings() =>
        ServiceBusBindings(RepositoryLayout.FunctionsDirectory);

    public static IReadOnlyList<ServiceBusBinding> ServiceBusBindings(string functionsDirectory)
    {
        if (!Directory.Exists(functionsDirectory))
        {
            return [];
        }

        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var bindings = new List<ServiceBusBinding>();
        foreach (var path in FunctionJsonFiles(functionsDirectory))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), options);
            if (!document.RootElement.TryGetProperty("bindings", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var binding in list.EnumerateArray())
            {
                var type = StringProperty(binding, "type");
                if (!string.Equals(type, "serviceBusTrigger", StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(type, "serviceBus", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var relative = Path.GetRelativePath(functionsDirectory, path);
                var connection = StringProperty(binding, "connection") ?? DefaultServiceBusConnection;
                bindings.Add(new ServiceBusBinding(relative, type!, StringProperty(binding, "queueName"), connection));
            }
        }

        return bindings;
    }

    /// <summary>The route of every httpTrigger in Functions/**/function.json, without the <c>api/</c> prefix.</summary>
    public static IReadOnlyList<string> HttpRoutes()
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var routes = new List<string>();
        foreach (var path in FunctionJsonFiles(RepositoryLayout.FunctionsDirectory))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), options);
            routes.AddRange(document.RootElement.GetProperty("bindings").EnumerateArray()
                .Where(b => string.Equals(StringProperty(b, "type"), "httpTrigger", StringComparison.OrdinalIgnoreCase))
                .Select(b => StringProperty(b, "route")).OfType<string>());
        }

        return routes;
    }

    /// <summary>The app roles the code defines (<c>AdminRoles</c> constants in Core/Admin/AdminRoles.cs).</summary>
    public static IReadOnlyList<string> AdminRoles()
    {
        var source = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "Core", "Admin", "AdminRoles.cs"));
        var roles = RoleConstant().Matches(source).Select(m => m.Groups["role"].Value).ToList();
        return roles.Count > 0 ? roles : throw new InvalidOperationException("No role constants in Core/Admin/AdminRoles.cs.");
    }

    /// <summary>Queue names the bindings use literally (a %Setting% name is resolved at run time and skipped).</summary>
    public static IReadOnlyList<string> LiteralQueueNames() => LiteralQueueNames(ServiceBusBindings());

    public static IReadOnlyList<string> LiteralQueueNames(IEnumerable<ServiceBusBinding> bindings) => bindings
        .Select(binding => binding.QueueName)
        .OfType<string>()
        .Where(name => !(name.StartsWith('%') && name.EndsWith('%')))
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();

    private static IEnumerable<string> FunctionJsonFiles(string functionsDirectory) =>
        Directory.EnumerateFiles(functionsDirectory, "function.json", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(functionsDirectory, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } property
            ? property.Value.GetString()
            : null;

    private static List<string> ReadStringList(string property) => ParseStringList(ReadSource(), property);

    private static string ReadSource()
    {
        var path = RepositoryLayout.RequiredSettingsSource;
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"{path} is missing: the infrastructure tests read the app's required settings from it.");
    }

    /// <summary>Reads <c>&lt;property&gt; { get; } = new ...() { ["key"] = "value", };</c> from C# source.</summary>
    public static Dictionary<string, string> ParseStringMap(string source, string property)
    {
        var match = MapDeclaration().Matches(source).FirstOrDefault(m => m.Groups["property"].Value == property)
            ?? throw new InvalidOperationException($"No '{property} {{ get; }} = new ... {{ [\"key\"] = \"value\" }};' map in the source.");
        var body = LineComment().Replace(match.Groups["body"].Value, string.Empty);
        return MapEntry().Matches(body).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads <c>&lt;property&gt; { get; } = [ "a", "b", ];</c> from C# source.</summary>
    public static List<string> ParseStringList(string source, string property)
    {
        var match = ListDeclaration().Matches(source).FirstOrDefault(m => m.Groups["property"].Value == property)
            ?? throw new InvalidOperationException($"No '{property} {{ get; }} = [ ... ];' list in the source.");
        var body = LineComment().Replace(match.Groups["body"].Value, string.Empty);
        var names = StringLiteral().Matches(body).Select(m => m.Groups["value"].Value).ToList();
        return names.Count > 0
            ? names
            : throw new InvalidOperationException($"'{property}' lists no string literals.");
    }

    [GeneratedRegex(@"\b(?<property>\w+)\s*\{\s*get;\s*\}\s*=\s*\[(?<body>.*?)\]\s*;", RegexOptions.Singleline)]
    private static partial Regex ListDeclaration();

    [GeneratedRegex(@"\b(?<property>\w+)\s*\{\s*get;\s*\}\s*=\s*new\b[^{;]*\{(?<body>.*?)\}\s*;", RegexOptions.Singleline)]
    private static partial Regex MapDeclaration();

    [GeneratedRegex("\\[\\s*\"(?<key>[^\"\\\\]*)\"\\s*\\]\\s*=\\s*\"(?<value>[^\"\\\\]*)\"")]
    private static partial Regex MapEntry();

    [GeneratedRegex("public const string \\w+ = \"(?<role>Alumni\\.[A-Za-z]+)\";")]
    private static partial Regex RoleConstant();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex("\"(?<value>[^\"\\\\]*)\"")]
    private static partial Regex StringLiteral();
}
