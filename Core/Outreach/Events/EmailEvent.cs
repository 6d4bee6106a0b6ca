using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;

namespace AlumniNetwork.Core.Outreach;

/// <summary>The SendGrid event types we understand. Anything else is acknowledged, counted and ignored.</summary>
public enum EmailEventType
{
    Processed,
    Dropped,
    Delivered,
    Deferred,
    Bounce,

    /// <summary>
    /// A <c>bounce</c> event of <c>type</c> <c>blocked</c>: the receiving server refused this message for now (often our
    /// sending IP), not the address. It settles the send like a bounce but suppresses nothing.
    /// </summary>
    Blocked,

    /// <summary>
    /// A <c>dropped</c> event whose <c>reason</c> is about the message or our account (<c>Spam Content</c>,
    /// <c>Invalid SMTPAPI header</c>, a quota), not the address: it settles the send as dropped but suppresses nothing.
    /// </summary>
    DroppedMessage,
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
    IReadOnlyList<string> Categories)
{
    /// <summary>Our send id (custom arg <c>sendId</c>), when the mail carried one: what resolves an unknown outcome.</summary>
    public SendId? SendId { get; init; }

    /// <summary>
    /// Our custom arg <c>internal</c> = <c>true</c>: a company-internal mail (staff invitation, recruiter notice, test send),
    /// never to an alumnus's personal address.
    /// </summary>
    public bool Internal { get; init; }

    /// <summary>
    /// What the event proves about the send, for delivery events: SendGrid took the mail (processed, deferred, delivered,
    /// bounce, blocked) or refused to deliver it (dropped). Engagement events come after these and add nothing.
    /// </summary>
    public SendState? Outcome => Type switch
    {
        EmailEventType.Dropped or EmailEventType.DroppedMessage => SendState.Dropped,
        EmailEventType.Processed or EmailEventType.Deferred or EmailEventType.Delivered or EmailEventType.Bounce or EmailEventType.Blocked => SendState.Sent,
        _ => null,
    };
}
