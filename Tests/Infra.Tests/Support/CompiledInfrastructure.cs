using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Arm;

namespace AlumniNetwork.Infra.Tests.Support;

/// <summary>
/// Compiles infra/main.bicep once for all infrastructure tests (to a temporary folder, never into the repository)
/// and evaluates the result with the example parameters in infra/main.parameters.json.
/// </summary>
public sealed class CompiledInfrastructure : IAsyncLifetime
{
    private readonly string outputDirectory =
        Path.Combine(Path.GetTempPath(), $"alumni-infra-tests-{Guid.NewGuid():N}");

    private ArmDeployment? deployment;

    public BicepResult Build { get; private set; } = new(-1, string.Empty, string.Empty);

    public string CompiledTemplatePath => Path.Combine(outputDirectory, "main.json");

    public IReadOnlyDictionary<string, JsonNode?> ExampleParameters { get; private set; } =
        new Dictionary<string, JsonNode?>();

    /// <summary>The evaluated deployment; fails with the compiler's output when main.bicep did not build.</summary>
    public ArmDeployment Deployment => deployment
        ?? throw new InvalidOperationException($"infra/main.bicep did not compile (exit code {Build.ExitCode}):\n{Build.Output}");

    /// <summary>The compiled template, parsed afresh (callers may change it).</summary>
    public JsonObject LoadTemplate() =>
        JsonNode.Parse(File.ReadAllText(CompiledTemplatePath))?.AsObject()
        ?? throw new InvalidOperationException($"{CompiledTemplatePath} is empty.");

    /// <summary>Evaluates a (possibly changed) template with the example parameters.</summary>
    public ArmDeployment Evaluate(JsonObject template) => ArmDeployment.Create(template, ExampleParameters);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(outputDirectory);
        ExampleParameters = ReadExampleParameters();
        Build = await BicepCli.RunAsync("build", RepositoryLayout.MainBicep, "--outfile", CompiledTemplatePath);
        if (Build.ExitCode == 0 && File.Exists(CompiledTemplatePath))
        {
            deployment = Evaluate(LoadTemplate());
        }
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(outputDirectory))
        {
            Directory.Delete(outputDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static Dictionary<string, JsonNode?> ReadExampleParameters()
    {
        var file = JsonNode.Parse(File.ReadAllText(RepositoryLayout.ParametersFile))?["parameters"] as JsonObject ?? [];
        return file.ToDictionary(
            parameter => parameter.Key,
            parameter => parameter.Value?["value"]?.DeepClone(),
            StringComparer.OrdinalIgnoreCase);
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledInfrastructureDefinition : ICollectionFixture<CompiledInfrastructure>
{
    public const string Name = "Compiled infrastructure";
}
