using System.Text.RegularExpressions;
using AlumniNetwork.Infra.Tests.Arm;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests.Checks;

/// <summary>
/// docs/deploy.md against the deployment and the app's start-up check: every secret the app cannot start without is
/// stored before the "Publish the app" step, every secret the settings reference is in the step-2 table and set
/// somewhere, and every script the guide runs exists.
/// </summary>
public static partial class DeploymentGuide
{
    public const string PublishHeading = "Publish the app";

    /// <summary>Key Vault secret names the guide stores with <c>az keyvault secret set ... --name</c>, before and after publishing.</summary>
    public static (IReadOnlySet<string> BeforePublishing, IReadOnlySet<string> Anywhere) SecretsSet(string markdown)
    {
        var text = markdown.Replace("\\\n", " ", StringComparison.Ordinal);
        var publish = PublishStep().Match(text);
        var cut = publish.Success ? publish.Index : text.Length;
        var before = new HashSet<string>(StringComparer.Ordinal);
        var anywhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match set in SecretSet().Matches(text))
        {
            anywhere.Add(set.Groups["secret"].Value);
            if (set.Index < cut)
            {
                before.Add(set.Groups["secret"].Value);
            }
        }

        return (before, anywhere);
    }

    /// <param name="functionSettings">App setting names (<c>Section__Key</c>) whose absence only switches off one function.</param>
    public static Problems Check(ArmDeployment deployment, string markdown, IReadOnlyCollection<string> functionSettings)
    {
        var problems = new Problems();
        problems.Require(PublishStep().IsMatch(markdown), $"docs/deploy.md has no '## <n>. {PublishHeading}' step");
        var (before, anywhere) = SecretsSet(markdown);
        var table = SecretTable(markdown);
        foreach (var (setting, value) in InfrastructureChecks.AppSettings(deployment, problems))
        {
            if (InfrastructureChecks.KeyVaultSecretName(ArmExpressionEvaluator.Render(value)) is not { } secret)
            {
                continue;
            }

            problems.Require(table.Contains($"`{secret}` | `{setting}`"),
                $"docs/deploy.md step 2 has no table row for secret {secret} (app setting {setting})");
            if (functionSettings.Contains(setting, StringComparer.OrdinalIgnoreCase))
            {
                problems.Require(anywhere.Contains(secret), $"docs/deploy.md never stores secret {secret} (app setting {setting})");
            }
            else
            {
                problems.Require(before.Contains(secret),
                    $"docs/deploy.md does not store secret {secret} before '{PublishHeading}', but the app cannot start while {setting} is an unresolved reference");
            }
        }

        foreach (Match script in ScriptReference().Matches(markdown))
        {
            problems.Require(File.Exists(Path.Combine(RepositoryLayout.Root, script.Value)), $"docs/deploy.md runs {script.Value}, which does not exist");
        }

        return problems;
    }

    /// <summary>The text of step 2, where the secrets are listed.</summary>
    private static string SecretTable(string markdown)
    {
        var start = markdown.IndexOf("## 2.", StringComparison.Ordinal);
        var publish = PublishStep().Match(markdown);
        return start < 0 ? string.Empty : markdown[start..(publish.Success && publish.Index > start ? publish.Index : markdown.Length)];
    }

    [GeneratedRegex(@"^## \d+\. Publish the app", RegexOptions.Multiline)]
    private static partial Regex PublishStep();

    [GeneratedRegex(@"az keyvault secret set\b[^\n]*?--name\s+(?<secret>[0-9A-Za-z-]+)")]
    private static partial Regex SecretSet();

    [GeneratedRegex(@"\bscripts/[\w.-]+\.sh\b")]
    private static partial Regex ScriptReference();
}
