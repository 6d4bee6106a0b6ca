using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>docs/deploy.md asks for each secret in the order the app's start-up check needs it.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class DeploymentGuideTests(CompiledInfrastructure infrastructure)
{
    private static string Guide => File.ReadAllText(RepositoryLayout.DeploymentGuide);

    private static IReadOnlyCollection<string> FunctionSettings => AppCode.FunctionSettings().Keys.Select(AppCode.ToAppSettingName).ToList();

    [Fact]
    public void Guide_StoresEverySecretTheAppCannotStartWithout_BeforePublishing() =>
        ResourceTests.AssertNone(DeploymentGuide.Check(infrastructure.Deployment, Guide, FunctionSettings));

    [Fact]
    public void Guide_LeavesOnlyTheEventWebhookKeyForAfterPublishing()
    {
        var (before, anywhere) = DeploymentGuide.SecretsSet(Guide);

        Assert.Contains("hris-webhook-secret-0", before);
        Assert.DoesNotContain("sendgrid-event-webhook-public-key", before);
        Assert.Contains("sendgrid-event-webhook-public-key", anywhere);
    }

    [Fact]
    public void SecretStoredOnlyAfterPublishing_IsReported_WhenTheAppNeedsItToStart()
    {
        // Move the HRIS secret's command from step 2 to the end of the guide.
        var line = "az keyvault secret set --vault-name $KV --name hris-webhook-secret-0 \\\n  --value \"whsec_$(openssl rand -base64 32)\" --output none\n";
        Assert.Contains(line, Guide, StringComparison.Ordinal);
        var late = Guide.Replace(line, string.Empty, StringComparison.Ordinal) + "\n```bash\n" + line + "```\n";

        var problems = DeploymentGuide.Check(infrastructure.Deployment, late, FunctionSettings);

        Assert.Contains(problems.Items, problem => problem.Contains("hris-webhook-secret-0 before 'Publish the app'", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretMissingFromTheStep2Table_IsReported()
    {
        var row = Guide.Split('\n').Single(line => line.StartsWith("| `pseudonym-key` |", StringComparison.Ordinal));

        var problems = DeploymentGuide.Check(infrastructure.Deployment, Guide.Replace(row + "\n", string.Empty, StringComparison.Ordinal), FunctionSettings);

        Assert.Contains(problems.Items, problem => problem.Contains("no table row for secret pseudonym-key", StringComparison.Ordinal));
    }

    [Fact]
    public void EventWebhookKeyNeverStored_IsReported()
    {
        var guide = Guide.Replace("--name sendgrid-event-webhook-public-key", "--name some-other-secret", StringComparison.Ordinal);

        var problems = DeploymentGuide.Check(infrastructure.Deployment, guide, FunctionSettings);

        Assert.Contains(problems.Items, problem => problem.Contains("never stores secret sendgrid-event-webhook-public-key", StringComparison.Ordinal));
    }

    [Fact]
    public void ConsoleSignInSettings_EnableIdTokensOnTheRegistration()
    {
        // auth.bicep gives the platform a client secret, so it signs in with the hybrid flow (code + ID token): Microsoft's
        // "Configure your App Service or Azure Functions app to use Microsoft Entra sign-in" has an existing registration
        // enable ID tokens under Authentication, or every console sign-in fails.
        var section = SignInSettingsSection(Guide);

        Assert.Contains("ID tokens (used for implicit and hybrid flows)", section, StringComparison.Ordinal);
        Assert.Contains("--enable-id-token-issuance true", section, StringComparison.Ordinal);
        Assert.Contains("web.implicitGrantSettings.enableIdTokenIssuance", section, StringComparison.Ordinal);
    }

    /// <summary>Section 8's "Sign-in settings on the registration", up to the next bold paragraph title.</summary>
    private static string SignInSettingsSection(string guide)
    {
        const string title = "**Sign-in settings on the registration.**";
        var start = guide.IndexOf(title, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/deploy.md has no {title}");
        var body = guide[(start + title.Length)..];
        var end = body.IndexOf("\n**", StringComparison.Ordinal);
        return end < 0 ? body : body[..end];
    }

    [Fact]
    public void ScriptTheGuideRunsButTheRepositoryLacks_IsReported()
    {
        var problems = DeploymentGuide.Check(infrastructure.Deployment, Guide + "\nscripts/no-such-script.sh\n", FunctionSettings);

        Assert.Contains(problems.Items, problem => problem.Contains("scripts/no-such-script.sh", StringComparison.Ordinal));
    }
}
