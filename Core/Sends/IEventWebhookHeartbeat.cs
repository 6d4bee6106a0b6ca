namespace AlumniNetwork.Core.Sends;

/// <summary>
/// A stretch over which SendGrid's event webhook accepted posts, no two more than <see cref="SilenceRule.Gap"/> apart:
/// the only time in which a request's silence says something (ADR 0024). A refused post (a deploy, a storage outage, a
/// rotated key) is retried by SendGrid for up to 24 hours, so silence while posts may have been refused proves nothing.
/// </summary>
/// <param name="Since">When the first accepted post of the stretch was received.</param>
/// <param name="Through">When the last noted one was received (noted at most every <see cref="SilenceRule.NoteEvery"/>).</param>
public sealed record WebhookRun(DateTimeOffset Since, DateTimeOffset Through);

/// <summary>Notes the event webhook's accepted posts in one small row, so a silence can be told from a webhook that refused.</summary>
public interface IEventWebhookHeartbeat
{
    /// <summary>
    /// A signed post was applied whole, now. Writes at most once every <see cref="SilenceRule.NoteEvery"/> per instance;
    /// a post more than <see cref="SilenceRule.Gap"/> after the last noted one starts a new stretch.
    /// </summary>
    Task NoteAcceptedAsync(CancellationToken cancellationToken);

    /// <summary>The latest stretch of accepted posts; null before the first.</summary>
    Task<WebhookRun?> CurrentRunAsync(CancellationToken cancellationToken);
}
