using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>The Bicep sources compile and lint clean, and the linter configuration does what it claims.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed partial class BicepToolingTests(CompiledInfrastructure infrastructure)
{
    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryLayout.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryLayout.Root, file));
        }

        return data;
    }

    [Fact]
    public void Build_Succeeds_WithoutDiagnostics()
    {
        Assert.True(infrastructure.Build.ExitCode == 0, $"bicep build failed:\n{infrastructure.Build.Output}");
        Assert.True(infrastructure.Build.Output.Length == 0, $"bicep build reported diagnostics:\n{infrastructure.Build.Output}");
        Assert.True(File.Exists(infrastructure.CompiledTemplatePath));
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Lint_ReportsNoDiagnostics(string bicepFile)
    {
        var result = await BicepCli.RunAsync("lint", Path.Combine(RepositoryLayout.Root, bicepFile));

        Assert.True(result.ExitCode == 0 && result.Output.Length == 0, $"bicep lint {bicepFile} (exit code {result.ExitCode}):\n{result.Output}");
    }

    [Fact]
    public void BicepConfig_RaisesEveryConfiguredRuleToError()
    {
        var rules = JsonNode.Parse(File.ReadAllText(RepositoryLayout.BicepConfig))?["analyzers"]?["core"]?["rules"] as JsonObject;

        Assert.NotNull(rules);
        Assert.NotEmpty(rules);
        var notErrors = rules.Where(rule => rule.Value?["level"]?.GetValue<string>() != "error").Select(rule => rule.Key).ToList();
        Assert.True(notErrors.Count == 0, $"rules below error level: {string.Join(", ", notErrors)}");
    }

    [Fact]
    public async Task BicepConfig_TurnsLinterWarningsIntoErrors()
    {
        // A file that breaks several rules Bicep reports as warnings by default, linted next to our bicepconfig.json.
        var directory = Directory.CreateTempSubdirectory("alumni-bicepconfig-");
        try
        {
            File.Copy(RepositoryLayout.BicepConfig, Path.Combine(directory.FullName, "bicepconfig.json"));
            var file = Path.Combine(directory.FullName, "bad.bicep");
            await File.WriteAllTextAsync(file, """
                param unusedParameter string

                @secure()
                param adminPassword string = 'not-a-secret-default'

                param suffix string

                var unusedVariable = 'x'
                var joined = concat('a', suffix)
                var wrapped = '${joined}'

                output endpoint string = 'https://management.azure.com/${wrapped}'
                output passwordEcho string = adminPassword
                """);

            var result = await BicepCli.RunAsync("lint", file);
            var diagnostics = Diagnostic().Matches(result.Output)
                .Select(m => (Level: m.Groups["level"].Value, Code: m.Groups["code"].Value))
                .ToList();

            Assert.NotEqual(0, result.ExitCode);
            var linterWarnings = diagnostics.Where(d => d.Level != "Error" && !d.Code.StartsWith("BCP", StringComparison.Ordinal)).ToList();
            Assert.True(linterWarnings.Count == 0, $"linter rules still below error:\n{result.Output}");
            var errors = diagnostics.Where(d => d.Level == "Error").Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
            foreach (var code in new[] { "no-unused-params", "no-unused-vars", "prefer-interpolation", "simplify-interpolation", "no-hardcoded-env-urls", "secure-parameter-default", "outputs-should-not-contain-secrets" })
            {
                Assert.True(errors.Contains(code), $"expected an error from {code}:\n{result.Output}");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ParametersFile_SuppliesEveryRequiredParameter_AndNoSecret()
    {
        var template = infrastructure.Deployment.Template["parameters"] as JsonObject ?? [];
        var file = JsonNode.Parse(File.ReadAllText(RepositoryLayout.ParametersFile));
        var supplied = file?["parameters"] as JsonObject ?? [];

        Assert.Contains("deploymentParameters.json", file?["$schema"]?.GetValue<string>() ?? string.Empty, StringComparison.Ordinal);
        var unknown = supplied.Select(p => p.Key).Where(name => !template.ContainsKey(name)).ToList();
        Assert.True(unknown.Count == 0, $"main.parameters.json sets parameters main.bicep does not declare: {string.Join(", ", unknown)}");
        var missing = template.Where(p => p.Value?["defaultValue"] is null && !supplied.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        Assert.True(missing.Count == 0, $"main.parameters.json does not set required parameters: {string.Join(", ", missing)}");
        var secrets = supplied.Select(p => p.Key)
            .Where(name => template[name]?["type"]?.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        Assert.True(secrets.Count == 0, $"secrets do not belong in the repository: {string.Join(", ", secrets)}");
    }

    // e.g. "/path/bad.bicep(1,7) : Error no-unused-params: Parameter ..."
    [GeneratedRegex(@"\(\d+,\d+\) : (?<level>Error|Warning|Info) (?<code>[A-Za-z0-9-]+):")]
    private static partial Regex Diagnostic();
}
