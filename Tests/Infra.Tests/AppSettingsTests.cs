using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Arm;
using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>The app settings give the app everything it needs, and never a secret in plain text.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class AppSettingsTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void EveryRequiredSetting_IsProvided()
    {
        // Settings that only switch off one function while absent must still be provided: otherwise it stays off for good.
        var required = AppCode.ProvidedSettingNames();

        Assert.NotEmpty(required);
        Assert.Contains("SendGrid:EventWebhookPublicKey", required);
        ResourceTests.AssertNone(InfrastructureChecks.RequiredSettings(infrastructure.Deployment, required, AppCode.StorageAlternatives()));
    }

    [Fact]
    public void SecretLikeSettings_AreKeyVaultReferences() =>
        ResourceTests.AssertNone(InfrastructureChecks.SecretSettings(infrastructure.Deployment));

    [Fact]
    public void HostAndApp_ConnectWithTheManagedIdentity_InProductionMode() =>
        ResourceTests.AssertNone(InfrastructureChecks.HostSettings(infrastructure.Deployment));

    [Fact]
    public void CompanyMailDomains_AreOneIndexedSettingPerDomain()
    {
        var settings = InfrastructureChecks.AppSettings(infrastructure.Deployment, new Problems());

        Assert.Equal("contoso.example", settings["Company__MailDomains__0"]?.GetValue<string>());
        Assert.Equal("contoso-group.example", settings["Company__MailDomains__1"]?.GetValue<string>());
        Assert.DoesNotContain("Company__MailDomains__2", settings.Keys);
        Assert.Contains("Company__Name", settings.Keys);
    }

    [Fact]
    public void CompanyMailDomains_FollowTheParameter()
    {
        var parameters = new Dictionary<string, JsonNode?>(infrastructure.ExampleParameters, StringComparer.OrdinalIgnoreCase)
        {
            ["companyMailDomains"] = new JsonArray("example.co.jp"),
        };

        var settings = InfrastructureChecks.AppSettings(ArmDeployment.Create(infrastructure.LoadTemplate(), parameters), new Problems());

        Assert.Equal(["Company__MailDomains__0"], settings.Keys.Where(k => k.StartsWith("Company__MailDomains__", StringComparison.Ordinal)));
        Assert.Equal("example.co.jp", settings["Company__MailDomains__0"]?.GetValue<string>());
    }

    [Fact]
    public void CompanyMailDomains_IsARequiredParameter_OfOneOrMoreDomains()
    {
        // No default: a deployment must state the company's domains; the app's fallback (the sender's domain) is wrong
        // when the sender is on another domain, and a setting added by hand is lost on the next deployment.
        var parameter = infrastructure.LoadTemplate()["parameters"]?["companyMailDomains"]?.AsObject();

        Assert.NotNull(parameter);
        Assert.Equal("array", parameter["type"]?.GetValue<string>());
        Assert.False(parameter.ContainsKey("defaultValue"));
        Assert.Equal(1, parameter["minLength"]?.GetValue<int>());
        Assert.True(infrastructure.ExampleParameters.ContainsKey("companyMailDomains"));
    }

    [Fact]
    public void AdminTokens_AreAcceptedForTheAppIdUriAndTheClientId()
    {
        // Entra's v1.0 access tokens (a registration's default) name the App ID URI as aud, its v2.0 tokens the client id:
        // the app accepts both only when it is told both.
        var settings = InfrastructureChecks.AppSettings(infrastructure.Deployment, new Problems());

        Assert.Equal(infrastructure.ExampleParameters["adminAudience"]?.GetValue<string>(), settings["AdminAuth__Audience"]?.GetValue<string>());
        Assert.Equal(infrastructure.ExampleParameters["adminClientId"]?.GetValue<string>(), settings["AdminAuth__ClientId"]?.GetValue<string>());
        Assert.Equal("11111111-2222-3333-4444-555555555555", settings["AdminAuth__ClientId"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("SendGrid__ApiKey", true)]
    [InlineData("Hris__WebhookSecrets__0", true)]
    [InlineData("Links__Keys__k1", true)]
    [InlineData("SendGrid__EventWebhookPublicKey", true)]
    [InlineData("Storage__ConnectionString", true)]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", true)]
    [InlineData("Smtp__Password", true)]
    [InlineData("Links__ActiveKeyId", false)]
    [InlineData("Company__Name", false)]
    [InlineData("AzureWebJobsStorage__clientId", false)]
    [InlineData("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", false)]
    public void SecretLikeNames_AreRecognized(string name, bool secretLike) =>
        Assert.Equal(secretLike, InfrastructureChecks.IsSecretLike(name));
}
