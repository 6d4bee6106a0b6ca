using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
    [InlineData("Hris:WebhookSecrets:0", "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=hris-webhook-secret-0)")]
    [InlineData("SendGrid:ApiKey", "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=sendgrid-api-key)")]
    [InlineData("Privacy:PseudonymKey", "@Microsoft.KeyVault(SecretUri=https://kv-alumni.vault.azure.net/secrets/pseudonym-key)")]
    [InlineData("Links:Keys:dev1", " @microsoft.keyvault(VaultName=kv-alumni;SecretName=link-signing-key-k1)")]
    [InlineData("Hris:WebhookSecrets:1", "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=hris-webhook-secret-1)")]
    public async Task UnresolvedKeyVaultReference_FailsTheStart_NamingTheSettingButNotTheValue(string key, string reference)
    {
        // In Azure a reference the platform could not resolve arrives as its own text: present, but not a value.
        var error = await Assert.ThrowsAsync<MissingConfigurationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { [key] = reference }));

        Assert.Equal([key], error.Unresolved);
        Assert.Empty(error.Missing);
        Assert.Contains("unresolved Key Vault reference", error.Message, StringComparison.Ordinal);
        Assert.Contains(RequiredSettings.AppSettingName(key), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretName", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("vault.azure.net", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", FunctionAvailability.Missing)]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=sendgrid-event-webhook-public-key)", FunctionAvailability.Unresolved)]
    public async Task EventWebhookKeyMissingOrUnresolved_StartsTheApp_WithOnlySendGridEventsSwitchedOff(string value, string reason)
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:EventWebhookPublicKey"] = value });

        var events = await app.PostEventsAsync("""[{"email":"a@example.com","timestamp":1513299569,"event":"bounce","sg_event_id":"e1","sg_message_id":"m1"}]""");
        var departure = await app.PostSignedAsync(Departures.Body());
        var health = await app.Client.GetAsync(new Uri("api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, events.StatusCode);
        Assert.Equal("application/problem+json", events.Content.Headers.ContentType?.MediaType);
        Assert.Contains("SendGrid__EventWebhookPublicKey", (await events.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(Core.Storage.AlumniTables.Suppressions));
        Assert.Equal(HttpStatusCode.Accepted, departure.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        var disabled = Assert.Single(report.GetProperty("disabledFunctions").EnumerateArray());
        Assert.Equal(("SendGridEvents", "SendGrid__EventWebhookPublicKey", reason),
            (disabled.GetProperty("function").GetString(), disabled.GetProperty("setting").GetString(), disabled.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task WithEverySetting_HealthIsHealthy_AndNeverCached()
    {
        await using var app = await TestApp.StartAsync(azurite);

        var health = await app.Client.GetAsync(new Uri("api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("no-store", health.Headers.CacheControl?.ToString());
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        Assert.Empty(report.GetProperty("disabledFunctions").EnumerateArray());
    }

    [Fact]
    public void SwitchedOffFunction_IsLoggedAtStart_NamingTheSettingAndTheReason()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SendGrid:EventWebhookPublicKey"] = "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=sendgrid-event-webhook-public-key)",
        }).Build();
        var logger = new ListLogger();

        FunctionAvailability.From(configuration).LogAtStart(logger);

        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("SendGridEvents is switched off: app setting SendGrid__EventWebhookPublicKey is unresolved Key Vault reference", message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretName", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnresolvedConsoleSignInSecret_StartsTheApp_AndIntakeStillWorks()
    {
        // Only the platform's built-in authentication reads it: a missing secret costs the console sign-in, not the app.
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=console-client-secret)",
        });

        var departure = await app.PostSignedAsync(Departures.Body());
        var health = await app.Client.GetAsync(new Uri("api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, departure.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void UnresolvedConsoleSignInSecret_IsLoggedAtStart_NamingTheSettingButNotTheValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SendGrid:EventWebhookPublicKey"] = "present",
            ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "@Microsoft.KeyVault(VaultName=kv-alumni;SecretName=console-client-secret)",
        }).Build();
        var logger = new ListLogger();

        FunctionAvailability.From(configuration).LogAtStart(logger);

        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("App setting MICROSOFT_PROVIDER_AUTHENTICATION_SECRET is an unresolved Key Vault reference", message, StringComparison.Ordinal);
        Assert.Contains("console sign-in", message, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretName", message, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-alumni", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvedOrAbsentConsoleSignInSecret_LogsNothingAtStart()
    {
        var logger = new ListLogger();

        FunctionAvailability.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SendGrid:EventWebhookPublicKey"] = "present",
            ["MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"] = "a resolved secret",
        }).Build()).LogAtStart(logger);

        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void EveryFunctionASettingSwitchesOff_IsAFunctionOfTheApp() =>
        Assert.All(RequiredSettings.FunctionSettings.Values, function =>
            Assert.True(File.Exists(Path.Combine(RepoPaths.Functions, function, "function.json")), $"{function} has no function.json"));

    [Theory]
    [InlineData("Links:Keys:dev1", "c2hvcnQ=")]
    [InlineData("Links:Keys:dev1", "not base64 at all")]
    [InlineData("AdminAuth:ClockSkew", "00:05:00")]
    [InlineData("AdminAuth:MaxTokenLifetime", "00:00:00")]
    [InlineData("AdminAuth:MaxTokenLifetime", "30.00:00:00")]
    [InlineData("RateLimits:AlumniPagesPerWindow", "0")]
    [InlineData("RateLimits:ClientAddressHopsFromEnd", "0")]
    [InlineData("RateLimits:ClientAddressHopsFromEnd", "11")]
    [InlineData("Hris:SignatureTolerance", "00:00:00")]
    [InlineData("Hris:SignatureTolerance", "-00:05:00")]
    [InlineData("Hris:SignatureTolerance", "1.00:00:00")]
    [InlineData("Hris:SignatureTolerance", "01:00:01")]
    [InlineData("SendGrid:EventWebhookTolerance", "00:00:00")]
    [InlineData("SendGrid:EventWebhookTolerance", "01:00:01")]
    [InlineData("SendGrid:EventWebhookTolerance", "1.00:00:00")]
    [InlineData("Outreach:CapWindow", "00:00:00")]
    [InlineData("Outreach:CapWindow", "-30.00:00:00")]
    [InlineData("Outreach:CapWindow", "367.00:00:00")]
    public async Task MalformedSecretsOrUnsafeLimits_FailTheStartNotTheFirstRequest(string key, string value)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:02:00")]
    [InlineData("00:05:00")]
    public async Task DispatchLeaseNotOutlastingTheFunctionTimeout_FailsTheStart_NamingTheSetting(string value)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Dispatch:LeaseDuration"] = value }));

        Assert.Contains($"Dispatch:LeaseDuration ({value}) must exceed the function timeout (00:05:00)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AdminAuth:ClientId", "api://alumni", "'ClientId' with the error: 'must be the admin registration's Application (client) id, a GUID")]
    [InlineData("AdminAuth:Authority", "https://login.microsoftonline.com/common/v2.0", "'Authority' with the error: 'must be https://login.microsoftonline.com/<tenant id>/v2.0")]
    [InlineData("AdminAuth:Authority", "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", "with the tenant's id (a GUID)")]
    public async Task AdminTokenSettingsThatCannotMatchEntrasTokens_FailTheStart_WithAReadableMessage(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 10 1-7 Mon")]
    [InlineData("first Monday, 10:00")]
    [InlineData("")]
    public async Task InvalidNewsletterSchedule_FailsTheStart_NamingTheSettingAndTheRule(string value)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["NewsletterSchedule"] = value }));

        Assert.Contains("'NewsletterSchedule'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NCRONTAB expression of six fields", error.Message, StringComparison.Ordinal);
        Assert.Contains("company's time zone", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Company:MailDomains:0", "staff@example.com", "Company:MailDomains must be mail domains such as example.co.jp")]
    [InlineData("Company:MailDomains:0", "localhost", "Company:MailDomains must be mail domains such as example.co.jp")]
    [InlineData("Openings:RecruiterMailboxDomains:0", "careers.example", "Openings:RecruiterMailboxDomains is the old name of Company:MailDomains")]
    [InlineData("SendGrid:FromEmail", "alumni@localhost", "the domain of SendGrid:FromEmail is not a mail domain")]
    [InlineData("Openings:RecruiterMailboxDomains:0", ".example.co.jp", "Openings:RecruiterMailboxDomains (the old name of Company:MailDomains) must be mail domains")]
    [InlineData("Openings:RecruiterMailboxDomains:0", "*.example.co.jp", "Openings:RecruiterMailboxDomains (the old name of Company:MailDomains) must be mail domains")]
    [InlineData("SendGrid:FromEmail", "alumni.office@gmail.com", "the domain of SendGrid:FromEmail is a public mail provider's")]
    [InlineData("SendGrid:FromEmail", "alumni@Yahoo.co.jp", "the domain of SendGrid:FromEmail is a public mail provider's")]
    public async Task InvalidCompanyMailDomains_FailTheStart_WithAReadableMessage(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Openings", StringComparison.Ordinal) && !message.Contains("must be mail domains", StringComparison.Ordinal))
        {
            settings["Company:MailDomains:0"] = "example.com";
        }

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApp.StartAsync(azurite, settings));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.co.jp/alumni")]
    [InlineData("https://example.co.jp/alumni/")]
    public async Task PublicBaseUrlWithAPath_FailsTheStart_NamingTheSetting(string value)
    {
        // The pages link and post to /api/alumni/…: under a path prefix behind a proxy every form would post outside it.
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Company:PublicBaseUrl"] = value }));

        Assert.Contains("Company:PublicBaseUrl must be an https address of scheme and host only", error.Message, StringComparison.Ordinal);
        Assert.Contains("no path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpPublicBaseUrlOffLoopback_FailsTheStart_NamingTheSettingAndTheRule()
    {
        // One-click unsubscribe (RFC 8058) needs an https List-Unsubscribe link, and every refusal link starts with it.
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Company:PublicBaseUrl"] = "http://alumni.example.co.jp" }));

        Assert.Contains("Company:PublicBaseUrl must be an https address", error.Message, StringComparison.Ordinal);
        Assert.Contains("http only on localhost or a loopback address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.co.jp")]
    [InlineData("https://example.co.jp/")]
    public async Task HostOnlyPublicBaseUrl_StartsTheApp(string value)
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Company:PublicBaseUrl"] = value });

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(new Uri("api/health", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("JST")]
    [InlineData("Asia/Tokio")]
    public async Task UnknownCompanyTimeZone_FailsTheStart_NamingTheSettingAndTheRule(string value)
    {
        // Looked up lazily, an unknown zone let the app start healthy and then answered every HRIS webhook with a 500.
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Company:TimeZone"] = value }));

        Assert.Contains($"Company:TimeZone '{value}' is not a time zone id", error.Message, StringComparison.Ordinal);
        Assert.Contains("IANA id such as Asia/Tokyo", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    [InlineData("en-GB")]
    public async Task UnknownCompanyDefaultLocale_FailsTheStart_NamingTheSettingAndTheRule(string value)
    {
        // It used to fall back to Japanese without a word: a company that asked for English got Japanese mail.
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Company:DefaultLocale"] = value }));

        Assert.Contains("Company:DefaultLocale must be ja-JP or en-US", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("America/New_York", "en-US")]
    [InlineData("Asia/Tokyo", "ja-JP")]
    public async Task KnownCompanyTimeZoneAndLocale_StartTheApp(string zone, string locale)
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Company:TimeZone"] = zone,
            ["Company:DefaultLocale"] = locale,
        });

        Assert.Equal(HttpStatusCode.Accepted, (await app.PostSignedAsync(Departures.Body())).StatusCode);
    }

    [Fact]
    public void OutsideDevelopment_TimerSchedulesMissingFromAppSettings_FailTheStart_ThoughTheJsonFilesAreRead()
    {
        // The Functions host resolves %DispatchSchedule% from app settings only: a default in appsettings.json passed this
        // check while the timer could not be bound. The shipped appsettings.json plus every other production setting:
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Functions, "appsettings.json"))
            .AddInMemoryCollection(TestApp.ProductionSettings())
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Company:PublicBaseUrl"] = "https://alumni.example.co.jp",
                ["Storage:TableServiceUri"] = "https://alumni.table.core.windows.net",
            })
            .Build();

        var error = Assert.Throws<MissingConfigurationException>(() =>
            StartupCheck.EnsureRequiredSettings(configuration, new ProductionEnvironment()));

        Assert.Equal(["DispatchSchedule", "RetentionSchedule", "SurveyWaveSchedule"], error.Missing);
    }

    [Fact]
    public void CompanyTimeZone_IsOptional_AndDefaultsToTokyo()
    {
        // The README calls it optional with a default; the start-up check used to require it all the same.
        var settings = TestApp.ProductionSettings();
        settings["Company:PublicBaseUrl"] = "https://alumni.example.co.jp";
        settings["Storage:TableServiceUri"] = "https://alumni.table.core.windows.net";
        foreach (var schedule in new[] { "DispatchSchedule", "RetentionSchedule", "SurveyWaveSchedule" })
        {
            settings[schedule] = "0 * * * * *";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        StartupCheck.EnsureRequiredSettings(configuration, new ProductionEnvironment());
        Assert.Equal("Asia/Tokyo", new Core.Company.CompanyOptions().ResolveTimeZone().Id);
    }

    [Fact]
    public async Task OldOpeningsSettingAlone_StillNamesTheCompanysDomains()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Openings:RecruiterMailboxDomains:0"] = "corp.example.org" });

        Assert.Equal(["corp.example.org"], app.Services.GetRequiredService<Core.Company.CompanyMailDomains>().Domains);
    }

    [Fact]
    public async Task SenderAtAPublicMailProvider_IsAllowed_WhenCompanyMailDomainsAreSet()
    {
        await using var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["SendGrid:FromEmail"] = "alumni.office@gmail.com",
            ["Company:MailDomains:0"] = "example.co.jp",
        });

        Assert.Equal(["example.co.jp"], app.Services.GetRequiredService<Core.Company.CompanyMailDomains>().Domains);
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

    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Functions";

        public string ContentRootPath { get; set; } = RepoPaths.Functions;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>Keeps what was logged, to read the start-up lines back.</summary>
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
