using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Scheduling;

public sealed class DispatchOptions
{
    public const string SectionName = "Dispatch";

    /// <summary>Most messages one dispatcher run emits (default 500); the rest wait for the next run.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a dispatched item is left to its consumer before it is dispatched again (default 10 minutes).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Dispatches without completion after which an item is marked failed (default 5).</summary>
    [Range(1, 100)]
    public int MaxDispatches { get; set; } = 5;
}
