using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Azure.Data.Tables;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Hosting;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>
/// The function app in this process on a free loopback port, with its Development settings, the local trigger host
/// off (intake alone: nothing is dispatched), no log output, and its tables on the given (counting) client.
/// </summary>
internal sealed class ProductHost(WebApplication app, Uri baseAddress) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>The app's services, for drivers that seed through its own use cases.</summary>
    public IServiceProvider Services => app.Services;

    public static async Task<ProductHost> StartAsync(string repositoryRoot, TableServiceClient tables, string connectionString, string tablePrefix)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{Functions.Tests.Support.AzuriteProcess.FreePort()}/");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = Path.Combine(repositoryRoot, "Functions"),
            ApplicationName = typeof(FunctionsApp).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = baseAddress.ToString().TrimEnd('/'),
            ["Company:PublicBaseUrl"] = baseAddress.ToString(),
            ["SendGrid:BaseUrl"] = new Uri(baseAddress, "dev/sendgrid").ToString(),
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
            ["LocalTriggerHost:Enabled"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.AddAlumniFunctions();
        builder.Services.AddSingleton(new AlumniTables(tables, tablePrefix));
        var app = builder.Build();
        app.MapAlumniFunctions();
        await app.StartAsync();
        return new ProductHost(app, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
