using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Outreach;

/// <summary>The SendGrid event types we understand. Anything else is acknowledged, counted and ignored.</summary>
public enum EmailEventType
{
    Processed,
    Dropped,
    Delivered,
    Deferred,
    Bounce,
    Open,
    Click,
    SpamReport,
    Unsubscribe,
    GroupUnsubscribe,
    GroupResubscribe,
}

/// <summary>One event reported by the email provider about one message to one recipient.</summary>
/// <param name="EventId">The provider's unique event id (<c>sg_event_id</c>): what makes applying it idempotent.</param>
/// <param name="At">When the event happened, by the provider's clock.</param>
/// <param name="AlumnusId">Our custom argument, when the message was sent to an alumnus.</param>
/// <param name="Campaign">Our custom argument naming the campaign, when present.</param>
/// <param name="Categories">The message's categories, in the order sent.</param>
public sealed record EmailEvent(
    string EventId,
    EmailEventType Type,
    EmailAddress Email,
    DateTimeOffset At,
    AlumnusId? AlumnusId,
    string? Campaign,
    IReadOnlyList<string> Categories);
