using System.Net;
using System.Runtime.CompilerServices;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hosting;

/// <summary>
/// A stopped app leaves nothing behind: no timer of it keeps running and nothing keeps its services in memory. The
/// suite starts an app per test (thousands in a run), so one that stayed alive grew the test process by gigabytes.
/// Its services may stay reachable for a few seconds after it stops (in a run of this test alone it was under ten
/// seconds), so the test allows some ten: what it refuses is an app that is never let go.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoppedAppTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AStoppedApp_IsCollected_AfterServingRateLimitedRequests()
    {
        var services = await ServeAndStopAsync();

        for (var attempt = 0; attempt < 200 && services.TryGetTarget(out _); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.False(services.TryGetTarget(out _), "The stopped app's services are still reachable.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<WeakReference<IServiceProvider>> ServeAndStopAsync()
    {
        var app = await TestApp.StartAsync(azurite);
        try
        {
            // Requests through both limited prefixes, so the limiter has made its partitions.
            foreach (var path in new[] { "api/manage/news", "api/alumni/profile" })
            {
                var status = (await app.Client.GetAsync(path)).StatusCode;
                Assert.True(status is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError and not HttpStatusCode.TooManyRequests, $"{path} answered {status}");
            }

            return new WeakReference<IServiceProvider>(app.Services);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
