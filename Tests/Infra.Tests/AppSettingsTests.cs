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
