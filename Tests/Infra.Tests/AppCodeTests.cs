using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>Reading the app's expectations (required settings, Service Bus bindings) from its source files.</summary>
public sealed class AppCodeTests
{
    [Fact]
    public void RequiredSettings_AreReadFromTheSourceList()
    {
        const string Source = """
            public static IReadOnlyList<string> Names { get; } =
            [
                "Company:Name",
                // "Commented:Out",
                "DispatchSchedule",
            ];

            public static IReadOnlyList<string> StorageAlternatives { get; } = ["Storage:ConnectionString", "Storage:TableServiceUri"];
            """;

        Assert.Equal(["Company:Name", "DispatchSchedule"], AppCode.ParseStringList(Source, "Names"));
        Assert.Equal(["Storage:ConnectionString", "Storage:TableServiceUri"], AppCode.ParseStringList(Source, "StorageAlternatives"));
    }

    [Fact]
    public void FunctionSettings_AreReadFromTheSourceMap()
    {
        const string Source = """
            public static IReadOnlyDictionary<string, string> FunctionSettings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["SendGrid:EventWebhookPublicKey"] = "SendGridEvents",
                // ["Commented:Out"] = "Nothing",
                ["Other:Key"] = "OtherFunction",
            };
            """;

        Assert.Equal(
            new Dictionary<string, string> { ["SendGrid:EventWebhookPublicKey"] = "SendGridEvents", ["Other:Key"] = "OtherFunction" },
            AppCode.ParseStringMap(Source, "FunctionSettings"));
    }

    [Fact]
    public void RequiredSettings_InTheRepository_AreFound()
    {
        Assert.Contains("SendGrid:ApiKey", AppCode.RequiredSettingNames());
        Assert.Contains("Storage:TableServiceUri", AppCode.StorageAlternatives());
        Assert.Equal("SendGridEvents", AppCode.FunctionSettings()["SendGrid:EventWebhookPublicKey"]);
    }

    [Theory]
    [InlineData("Company:Name", "Company__Name")]
    [InlineData("Hris:WebhookSecrets:0", "Hris__WebhookSecrets__0")]
    [InlineData("DispatchSchedule", "DispatchSchedule")]
    public void ConfigurationKeys_BecomeAppSettingNames(string key, string setting) =>
        Assert.Equal(setting, AppCode.ToAppSettingName(key));

    [Fact]
    public void ServiceBusBindings_AreFoundInFunctionJson_SkippingOtherBindingsAndBuildOutput()
    {
        var functions = Directory.CreateTempSubdirectory("alumni-functions-");
        try
        {
            Write(functions, "Consume/function.json", """
                {
                  // comments and trailing commas are tolerated, as the host does
                  "bindings": [
                    { "type": "serviceBusTrigger", "direction": "in", "name": "message", "queueName": "surveys-due", "connection": "ServiceBusConnection" },
                  ]
                }
                """);
            Write(functions, "Produce/function.json", """
                { "bindings": [
                    { "type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%DispatchSchedule%" },
                    { "type": "serviceBus", "direction": "out", "name": "out", "queueName": "%QueueFromSetting%" },
                    { "type": "ServiceBus", "direction": "out", "name": "out2", "queueName": "event-invitations", "connection": "ServiceBusConnection" }
                ] }
                """);
            Write(functions, "Web/function.json", """{ "bindings": [ { "type": "httpTrigger", "name": "req" }, { "type": "http", "name": "res" } ] }""");
            Write(functions, "bin/Debug/Consume/function.json", """{ "bindings": [ { "type": "serviceBusTrigger", "queueName": "stale-copy" } ] }""");

            var bindings = AppCode.ServiceBusBindings(functions.FullName);

            Assert.Equal(3, bindings.Count);
            Assert.Equal(["surveys-due", "event-invitations"], AppCode.LiteralQueueNames(bindings));
            Assert.Equal(AppCode.DefaultServiceBusConnection, bindings.Single(b => b.QueueName == "%QueueFromSetting%").Connection);
        }
        finally
        {
            functions.Delete(recursive: true);
        }
    }

    private static void Write(DirectoryInfo root, string relativePath, string content)
    {
        var path = Path.Combine(root.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
