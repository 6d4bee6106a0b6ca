using System.ComponentModel.DataAnnotations;
using AlumniNetwork.Core.Email;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// How long a request with no evidence waits for the event webhook to show it was accepting posts throughout, after
    /// which it is treated as sent (default 25 hours: SendGrid retries a refused event post for up to 24 hours).
    /// </summary>
    public TimeSpan SilenceLimit { get; set; } = TimeSpan.FromHours(25);

    /// <summary>
    /// The longest time between two accepted event posts in which the webhook counts as accepting throughout (default 5
    /// minutes; SendGrid posts every 30 seconds while there are events). A longer quiet spell, or a refusal, starts over.
    /// </summary>
    public TimeSpan WebhookGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one run of a campaign batch may go on making provider requests, from its start (default 4 minutes). No
    /// request, and no retry's wait, begins past it: what is left of the batch is given back for the next run, so the run
    /// ends inside the function timeout with every refused request known to be refused, never left unknown (ADR 0023).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:04:30")]
    public TimeSpan BatchSendTime { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>host.json's <c>functionTimeout</c>: past it the host cancels a run wherever it is.</summary>
    public static readonly TimeSpan FunctionTimeout = TimeSpan.FromMinutes(5);

    /// <summary>What the provider's silence about a request says (ADR 0024).</summary>
    public SilenceRule Silence => new(OutcomeWindow, SilenceLimit, WebhookGap);

    /// <summary>Provider calls a transactional mail may take when outcomes stay unknown (default 2: re-sent once).</summary>
    [Range(1, 3)]
    public int TransactionalAttempts { get; set; } = 2;

    /// <summary>Transactional mail is re-sent once after an unknown outcome; promotional mail is treated as sent.</summary>
    /// <param name="webhookOn">Whether the event webhook can report evidence; only then does silence need its heartbeat.</param>
    public SendPolicy PolicyFor(bool promotional, bool webhookOn) =>
        new(ClaimLease, OutcomeWindow, promotional ? 1 : TransactionalAttempts) { Silence = webhookOn ? Silence : null };

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

        if (SilenceLimit < OutcomeWindow)
        {
            yield return new ValidationResult("must be at least the outcome window", [nameof(SilenceLimit)]);
        }

        if (WebhookGap <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive", [nameof(WebhookGap)]);
        }
    }
}

/// <summary>
/// A request may begin just before <see cref="SendingOptions.BatchSendTime"/> runs out and take its whole
/// <c>SendGrid:RequestTimeout</c>: both together must end before the function timeout, checked at start-up.
/// </summary>
public sealed class BatchSendTimeValidation(IOptions<SendGridOptions> sendGrid) : IValidateOptions<SendingOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingOptions options) =>
        options.BatchSendTime + sendGrid.Value.RequestTimeout < SendingOptions.FunctionTimeout
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Sending:BatchSendTime plus SendGrid:RequestTimeout must stay under the function timeout ({SendingOptions.FunctionTimeout}).");
}
