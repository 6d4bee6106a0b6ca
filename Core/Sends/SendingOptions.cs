using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Sends;

/// <summary>How long a claim is honoured and how long an unknown outcome waits for evidence (ADR 0015).</summary>
public sealed class SendingOptions : IValidatableObject
{
    public const string SectionName = "Sending";

    /// <summary>
    /// A claim not turned into an attempt within this time belongs to a sender that died; another delivery takes it
    /// over (default 1 minute). It covers the gate's reads, not the provider call, which runs under an unknown outcome.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a send whose outcome is unknown waits for SendGrid's events before the rule decides (default 1 hour).
    /// Events normally arrive within seconds; SendGrid retries a failed event post for up to 24 hours, so a longer window
    /// trades a later re-send for fewer duplicates when our webhook was down.
    /// </summary>
    public TimeSpan OutcomeWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Provider calls a transactional mail may take when outcomes stay unknown (default 2: re-sent once).</summary>
    [Range(1, 3)]
    public int TransactionalAttempts { get; set; } = 2;

    /// <summary>Transactional mail is re-sent once after an unknown outcome; promotional mail is treated as sent.</summary>
    public SendPolicy PolicyFor(bool promotional) => new(ClaimLease, OutcomeWindow, promotional ? 1 : TransactionalAttempts);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClaimLease <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive", [nameof(ClaimLease)]);
        }

        if (OutcomeWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive", [nameof(OutcomeWindow)]);
        }
    }
}
