using System.Text.Json;
using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Arm;

namespace AlumniNetwork.Infra.Tests.Checks;

/// <summary>
/// Collects every problem a check finds, so one failing test lists them all rather than the first.
/// </summary>
public sealed class Problems
{
    private readonly List<string> items = [];

    public IReadOnlyList<string> Items => items;

    public void Add(string problem) => items.Add(problem);

    public void Require(bool condition, string problem)
    {
        if (!condition)
        {
            items.Add(problem);
        }
    }

    /// <summary>Exactly one resource of the type, or a problem.</summary>
    public DeployedResource? OnlyOne(ArmDeployment deployment, string type)
    {
        var found = deployment.OfType(type);
        if (found.Count != 1)
        {
            items.Add($"expected exactly one {type}, found {found.Count}");
            return null;
        }

        return found[0];
    }

    /// <summary>The value at a dotted path must equal <paramref name="expected"/> (JSON equality: true is not "true").</summary>
    public void Expect(DeployedResource? resource, string path, JsonNode expected)
    {
        if (resource is null)
        {
            return;
        }

        var actual = At(resource.Body, path);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            items.Add($"{resource}: {path} is {Show(actual)}, expected {Show(expected)}");
        }
    }

    /// <summary>The value at a dotted path must be present and not empty.</summary>
    public void ExpectPresent(DeployedResource? resource, string path)
    {
        if (resource is null)
        {
            return;
        }

        var actual = At(resource.Body, path);
        if (actual is null || ArmExpressionEvaluator.Render(actual).Length == 0
            || actual is JsonObject { Count: 0 } || actual is JsonArray { Count: 0 })
        {
            items.Add($"{resource}: {path} is missing or empty");
        }
    }

    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) ? child : null;
        }

        return node;
    }

    public static string Show(JsonNode? node) => node switch
    {
        null => "missing",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => $"'{value.GetValue<string>()}'",
        _ => node.ToJsonString(),
    };

    public override string ToString() => items.Count == 0
        ? "no problems"
        : $"{items.Count} problem(s):{Environment.NewLine}  " + string.Join($"{Environment.NewLine}  ", items);
}
