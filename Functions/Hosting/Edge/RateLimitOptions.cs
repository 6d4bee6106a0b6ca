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
    /// query carries no genuine token (form posts, forged links). Colleagues behind one company proxy share an address.
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
    /// Header whose last entry is the client address as the platform saw it (default <c>X-Forwarded-For</c>, which
    /// the App Service front end appends to). Behind Azure Front Door use <c>X-Azure-ClientIP</c>.
    /// </summary>
    [Required]
    public string ClientAddressHeader { get; set; } = "X-Forwarded-For";
}
