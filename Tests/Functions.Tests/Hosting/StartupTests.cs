using AlumniNetwork.Functions.Hosting.Configuration;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class StartupTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task MissingRequiredSettings_FailBeforeListeningAndNameEverySetting()
    {
        var error = await Assert.ThrowsAsync<MissingConfigurationException>(() => TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Company:Name"] = "",
            ["SendGrid:ApiKey"] = "",
            ["Links:Keys:dev1"] = "",
        }));

        Assert.Equal(["Company:Name", "SendGrid:ApiKey", "Links:Keys:dev1"], error.Missing);
        Assert.Contains("Company__Name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hris:WebhookSecrets:0", "@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/hris)")]
    [InlineData("Links:Keys:dev1", "c2hvcnQ=")]
    [InlineData("Links:Keys:dev1", "not base64 at all")]
    [InlineData("AdminAuth:ClockSkew", "00:05:00")]
    [InlineData("AdminAuth:MaxTokenLifetime", "00:00:00")]
    [InlineData("AdminAuth:MaxTokenLifetime", "30.00:00:00")]
    [InlineData("RateLimits:AlumniPagesPerWindow", "0")]
    public async Task MalformedSecretsOrUnsafeLimits_FailTheStartNotTheFirstRequest(string key, string value)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyRotationSlotForAWebhookSecret_IsAllowed()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Hris:WebhookSecrets:1"] = "" });

        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body())).StatusCode);
    }

    [Fact]
    public async Task OutsideDevelopment_EntraAuthorityIsRequired()
    {
        var error = await Assert.ThrowsAsync<MissingConfigurationException>(() => TestApp.StartAsync(azurite, environment: "Production"));

        Assert.Contains("AdminAuth:Authority", error.Missing);
    }

    [Fact]
    public async Task OutsideDevelopment_SinkAndOutboxAreNotServed()
    {
        await using var app = await TestApp.StartAsync(azurite, TestApp.ProductionSettings(), environment: "Production");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await app.Client.GetAsync("dev/outbox/messages")).StatusCode);
    }

    [Fact]
    public async Task UnderTheFunctionsHost_ListensOnTheCustomHandlerPortOnLoopback()
    {
        var port = AzuriteFixture.FreePort();
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = $"{port}",
        });

        using var client = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).StatusCode);
    }
}
