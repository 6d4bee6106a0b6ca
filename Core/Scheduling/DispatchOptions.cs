using System.ComponentModel.DataAnnotations;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Scheduling;

public sealed class DispatchOptions : IValidatableObject
{
    public const string SectionName = "Dispatch";

    /// <summary>Most messages one dispatcher run emits (default 500); the rest wait for the next run.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long a dispatched item waits for a handler to report before it is dispatched again (default 7 minutes),
    /// doubled for each further dispatch nobody reported on, up to <see cref="RetryMaxDelay"/>. It only matters when a
    /// message is lost with a dying dispatcher; a handler that dies is replaced through Service Bus's redelivery. It must
    /// outlast a whole run (<see cref="LeaseOutlastsRunValidation"/>): the function timeout (5 minutes), the message lock a
    /// run is picked up within (1 minute) and a minute for the dispatcher's tick and the queue, so a run still going is
    /// never dispatched a second time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>First wait after a handler failed for a passing cause (default 30 seconds), doubled per failure.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between retries (default 30 minutes). Passing causes are retried at this pace for as long as they last.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failures with an unexpected error (a defect, not an outage) after which an item is marked failed (default 5).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan RetryDelay(int attempt) => Backoff.Exponential(RetryBaseDelay, attempt - 1, RetryMaxDelay);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(LeaseDuration), LeaseDuration), (nameof(RetryBaseDelay), RetryBaseDelay), (nameof(RetryMaxDelay), RetryMaxDelay) })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult("must be positive", [name]);
            }
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult($"must be at least {nameof(RetryBaseDelay)}", [nameof(RetryMaxDelay)]);
        }
    }
}

/// <summary>
/// A lease that ends while a handler still runs dispatches its item again: a second run beside the first, and after
/// <see cref="DispatchDueWork.UnhandledWarning"/> of them a false error. The lease must exceed the function timeout,
/// checked at start-up.
/// </summary>
public sealed class LeaseOutlastsRunValidation : IValidateOptions<DispatchOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatchOptions options) =>
        options.LeaseDuration > SendingOptions.FunctionTimeout
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Dispatch:LeaseDuration ({options.LeaseDuration}) must exceed the function timeout ({SendingOptions.FunctionTimeout}): a shorter lease dispatches work again while its run still goes on.");
}
