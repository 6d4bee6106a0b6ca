using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Hosting.Edge;

/// <summary>
/// ASP.NET Core's rate limiter over the public alumni pages and the admin API, chosen by route prefix so every page
/// and admin endpoint is covered, including ones added later. Webhooks and host invocations are not limited: they are
/// signed or keyed, and a 429 would only make the HR system or SendGrid retry. A refusal is a 429 with
/// <c>Retry-After</c> and a readable body (a bilingual page for alumni, problem details for admins).
/// The limiter is a singleton the app's container disposes, applied by <see cref="UseRequestRateLimits"/> rather than
/// ASP.NET Core's <c>UseRateLimiter</c>: that middleware starts a limiter of its own whose timer is never stopped
/// (dotnet/aspnetcore#69061), so every stopped app stayed in memory with its timer ticking.
/// </summary>
public static class RequestRateLimits
{
    public const string AlumniPrefix = "/api/alumni/";
    public const string AdminPrefix = "/api/manage/";

    public static void AddRequestRateLimits(this IServiceCollection services) =>
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            var tokens = sp.GetRequiredService<LinkTokenService>();
            return PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits, tokens));
        });

    /// <summary>Takes a permit for each request before it goes on, and refuses it with a 429 when none is left.</summary>
    public static void UseRequestRateLimits(this WebApplication app)
    {
        var limiter = app.Services.GetRequiredService<PartitionedRateLimiter<HttpContext>>();
        var limits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        app.Use(async (context, next) =>
        {
            using var lease = await limiter.AcquireAsync(context, 1, context.RequestAborted);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await RefuseAsync(new OnRejectedContext { HttpContext = context, Lease = lease }, limits);
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions limits, LinkTokenService tokens)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith(AlumniPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // A genuine token in the query names its alumnus: mail providers posting one-click unsubscribes for many
            // people from a few addresses, or colleagues behind one proxy, do not share a budget.
            var key = tokens.SignedSubject(context.Request.Query["token"]) is { } subject
                ? "alumni:subject:" + subject.Value
                : "alumni:address:" + ClientAddress(context, limits.ClientAddressHeader, limits.ClientAddressHopsFromEnd);
            return Window(key, limits.AlumniPagesPerWindow, limits.Window);
        }

        if (path.StartsWith(AdminPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var key = AdminActor.IdOf(context.User) is { } admin
                ? "admin:" + admin
                : "admin:address:" + ClientAddress(context, limits.ClientAddressHeader, limits.ClientAddressHopsFromEnd);
            return Window(key, limits.AdminPerWindow, limits.Window);
        }

        return RateLimitPartition.GetNoLimiter("unlimited");
    }

    private static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    /// <summary>
    /// The client address: the entry <paramref name="hopsFromEnd"/> from the end of the forwarding header (proxies
    /// append, so entries before the ones our proxies added are whatever the client sent, and a script cannot pick its
    /// own partition), without a port; the first entry when there are fewer (all of them then came from our proxies);
    /// else the connection's address.
    /// </summary>
    internal static string ClientAddress(HttpContext context, string header, int hopsFromEnd)
    {
        var entries = context.Request.Headers[header].ToString().Split(',', StringSplitOptions.TrimEntries);
        var entry = entries[Math.Max(0, entries.Length - hopsFromEnd)];
        if (IPAddress.TryParse(entry, out var address) || IPEndPoint.TryParse(entry, out var endpoint) && (address = endpoint.Address) is not null)
        {
            return address.ToString();
        }

        return context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, RateLimitOptions limits)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var result = context.Request.Path.StartsWithSegments(AlumniPrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
            ? HtmlPage.Render(StatusCodes.Status429TooManyRequests, "ja-JP", "しばらくお待ちください / Please wait", $"""
                <h1 lang="ja">アクセスが集中しています</h1>
                <p lang="ja">短い時間に多くのリクエストがありました。{seconds}秒ほど待ってから、もう一度お試しください。</p>
                <h1 lang="en">Too many requests</h1>
                <p lang="en">There were many requests in a short time. Please wait about {seconds} seconds and try again.</p>
                """)
            : Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests.",
                $"The request budget of this client is spent; try again in {seconds} seconds.");
        await result.ExecuteAsync(context);
    }
}
