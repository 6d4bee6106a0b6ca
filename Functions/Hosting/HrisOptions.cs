namespace AlumniNetwork.Functions.Hosting;

public sealed class HrisOptions
{
    public const string SectionName = "Hris";

    /// <summary>Standard Webhooks secrets (<c>whsec_…</c>); several at once during rotation.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Accepted clock difference between the HR system and us, both ways (default 5 minutes).</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
