using System.Text.Json.Nodes;

namespace AlumniNetwork.Infra.Tests.Arm;

/// <summary>One template and the parameter values it was given (already evaluated in its parent).</summary>
public sealed record TemplateScope(JsonObject Template, IReadOnlyDictionary<string, JsonNode?> Parameters, string Path);

/// <summary>A resource the deployment would create, with every expression in it evaluated as far as possible.</summary>
public sealed record DeployedResource(string Type, string Name, JsonObject Body, TemplateScope Scope)
{
    public JsonObject Properties => Body["properties"] as JsonObject ?? [];

    /// <summary>The last segment of the name: the queue name of a queue, the setting group of a config resource.</summary>
    public string LeafName => Name[(Name.LastIndexOf('/') + 1)..];

    public override string ToString() => $"{Type} '{Name}' ({Scope.Path})";
}

/// <summary>
/// The compiled ARM template of infra/main.bicep, flattened: every resource of every module (nested deployment),
/// loops expanded, expressions evaluated with the example parameters. Both ARM shapes are understood: the classic
/// resource array and the languageVersion 2.0 resource dictionary that Bicep emits for some modules.
/// </summary>
public sealed class ArmDeployment
{
    private ArmDeployment(JsonObject template, TemplateScope root, IReadOnlyList<DeployedResource> resources)
    {
        Template = template;
        Root = root;
        Resources = resources;
    }

    public JsonObject Template { get; }

    public TemplateScope Root { get; }

    public IReadOnlyList<DeployedResource> Resources { get; }

    public static ArmDeployment Create(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        var root = new TemplateScope(template, parameters, "main");
        var resources = new List<DeployedResource>();
        Walk(root, resources);
        return new ArmDeployment(template, root, resources);
    }

    public IReadOnlyList<DeployedResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The template's outputs, each evaluated in the root scope.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs()
    {
        var evaluator = new ArmExpressionEvaluator(Root);
        var outputs = Template["outputs"] as JsonObject ?? [];
        return outputs.ToDictionary(output => output.Key, output => evaluator.Evaluate(output.Value?["value"]));
    }

    /// <summary>Every raw resource object in a template and its nested templates, for tests that mutate a copy.</summary>
    public static IEnumerable<JsonObject> RawResources(JsonObject template)
    {
        foreach (var resource in ResourcesOf(template))
        {
            yield return resource;
            if (resource["properties"] is JsonObject { } properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in RawResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject dictionary => dictionary.Select(entry => entry.Value).OfType<JsonObject>(),
        _ => [],
    };

    private static void Walk(TemplateScope scope, List<DeployedResource> into)
    {
        foreach (var raw in ResourcesOf(scope.Template))
        {
            // languageVersion 2.0 lists 'existing' resources too; they are references, not resources we create.
            if (raw["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }

            foreach (var index in CopyIndexes(scope, raw))
            {
                var evaluator = new ArmExpressionEvaluator(scope, index);
                var type = raw["type"]?.GetValue<string>() ?? string.Empty;
                var name = ArmExpressionEvaluator.Render(evaluator.Evaluate(raw["name"]));

                // A resource's properties may be one expression (union(...)): only a module's are an object with a template.
                if (raw["properties"] is JsonObject { } moduleProperties && moduleProperties["template"] is JsonObject nested)
                {
                    var parameters = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (parameterName, binding) in raw["properties"]?["parameters"] as JsonObject ?? [])
                    {
                        parameters[parameterName] = evaluator.Evaluate(binding?["value"]);
                    }

                    var body = new JsonObject { ["type"] = type, ["name"] = name };
                    into.Add(new DeployedResource(type, name, body, scope));
                    Walk(new TemplateScope(nested, parameters, $"{scope.Path}/{name}"), into);
                    continue;
                }

                into.Add(new DeployedResource(type, name, (JsonObject)evaluator.Evaluate(raw)!, scope));
            }
        }
    }

    private static IEnumerable<int?> CopyIndexes(TemplateScope scope, JsonObject raw)
    {
        if (raw["copy"] is not JsonObject copy)
        {
            return [null];
        }

        var count = new ArmExpressionEvaluator(scope).Evaluate(copy["count"]);
        if (!ArmExpressionEvaluator.TryGetInt(count, out var n))
        {
            throw new InvalidOperationException(
                $"Cannot tell how many copies of {raw["type"]} {scope.Path} makes: count is {ArmExpressionEvaluator.Render(count)}.");
        }

        return Enumerable.Range(0, n).Select(i => (int?)i);
    }
}
