using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Functions.Hosting.Edge;

/// <summary>
/// Request budgets per window, sized so a person never meets them and a script does: a person reading and saving
/// alumni pages makes a handful of requests a minute, an admin clicking through search pages perhaps twenty.
/// Tests and the hostile-input suite raise them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// Requests per window to the alumni pages (default 60) per link-token subject, or per client address when the
    /// query carries no genuine token (forged or broken links; every alumni form posts to an address with its token).
    /// Colleagues behind one company proxy share an address.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AlumniPagesPerWindow { get; set; } = 60;

    /// <summary>Requests per window to the admin API (default 120) per authenticated admin, else per client address.</summary>
    [Range(1, 1_000_000)]
    public int AdminPerWindow { get; set; } = 120;

    /// <summary>The window the budgets refill over (default 1 minute).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Header that names the client address (default <c>X-Forwarded-For</c>). Behind Azure Front Door use
    /// <c>X-Azure-ClientIP</c>.
    /// </summary>
    [Required]
    public string ClientAddressHeader { get; set; } = "X-Forwarded-For";

    /// <summary>
    /// Which entry of <see cref="ClientAddressHeader"/> is the client, counted from the end (default 1, the last):
    /// proxies append, so entries before the ones our own proxies added are whatever the client sent. The Functions
    /// host's proxy replaces <c>X-Forwarded-For</c> with the one address it saw (ADR 0013), so 1 is the only entry
    /// there; raise it only for a chain that appends, after the deployment check in docs/deploy.md.
    /// </summary>
    [Range(1, 10)]
    public int ClientAddressHopsFromEnd { get; set; } = 1;
}
