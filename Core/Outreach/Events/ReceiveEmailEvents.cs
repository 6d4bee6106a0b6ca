using System.Collections.Concurrent;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Insights;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Outreach;

/// <param name="Received">Events in the batch, of every type.</param>
/// <param name="Applied">Events whose effect was applied by this call.</param>
/// <param name="Duplicates">Events applied before (same <c>sg_event_id</c>), skipped.</param>
/// <param name="Ignored">Events of unknown types or of types with no effect here (processed, deferred, blocked, dropped for the message, resubscribe).</param>
public sealed record EmailEventsReport(int Received, int Applied, int Duplicates, int Ignored);

public abstract record EmailEventsOutcome
{
    private EmailEventsOutcome() { }

    public sealed record Applied(EmailEventsReport Report) : EmailEventsOutcome;

    /// <summary>The batch is malformed; nothing in it was applied.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : EmailEventsOutcome;
}

/// <summary>
/// Applies a verified SendGrid event batch: delivery events settle the send they name in the Sends ledger (ADR 0015);
/// bounces, drops and spam complaints suppress the address (a blocked bounce does not: the receiving server refused our
/// mail, not the address; nor does a drop for a reason about the message); complaints and unsubscribes withdraw consent; deliveries, opens and clicks count towards the
/// alumnus's engagement. A receipt per <c>sg_event_id</c> keeps a redelivered event from being applied again, in one of three orders:
/// <list type="bullet">
/// <item>Suppressions, withdrawals and ledger settlements are exactly-once: the effect is idempotent, so a crash before
/// the receipt (or a concurrent post of the same event) only repeats it.</item>
/// <item>Counts of emails (the dashboard's by campaign kind, a campaign batch's) are of the first delivered, open or
/// click event for a send: SendGrid sends a new open or click (new <c>sg_event_id</c>) each time a mail is opened. They
/// are counted before the send is noted and before the receipt, so a crash in between counts one too many, never none
/// (ADR 0020).</item>
/// <item>Counts of events for the alumnus are at-most-once: an increment is not idempotent, so the receipt is claimed
/// first (insert-if-absent) and only the claim that wins counts. A failure between claim and count loses that count; a
/// redelivered batch, or SendGrid's retry racing a slow first post, never counts an event twice.</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>An event that names no alumnus we hold, or one whose address has changed since, is applied to the alumni whose
/// address it is: their rows are marked suppressed where campaign batches read it, and a complaint or unsubscribe
/// withdraws their consent. They are found by the address's pseudonym (a filtered scan, ADR 0029), once per address per
/// batch and only for such events, which are rare; never for an internal mail's event (custom arg <c>internal</c>) or an
/// address at the company's mail domains, which no alumnus's personal address is. An event naming an alumnus whose
/// erasure has begun (or whose row is gone) marks the rows of the address's other holders for a bounce, complaint or
/// unsubscribe from everything, but withdraws no one's consent: a withdrawal is per person.</para>
/// An unsubscribe we cannot scope to an alumnus's consent (no or unknown <c>alumnusId</c>) suppresses the address:
/// a refusal must be honoured (Act on Specified Electronic Mail), and honouring it too widely is the safe side.
/// </remarks>
public sealed partial class ReceiveEmailEvents(
    IWebhookReceipts receipts,
    ISuppressionList suppressions,
    IConsentLedger consents,
    IEngagementCounters engagement,
    IAlumniStore alumni,
    ISendLedger sends,
    Campaigns.CampaignEngagement campaignEngagement,
    Pseudonyms pseudonyms,
    Company.CompanyMailDomains mailDomains,
    Company.CompanyCalendar calendar,
    ErasureRecheck erasure,
    ILogger<ReceiveEmailEvents> logger)
{
    public const string Source = "sendgrid";
    public const string WordingVersion = "sendgrid-event";
    private const int MaxParallelRecipients = 8;

    public async Task<EmailEventsOutcome> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var parsed = SendGridEventParser.Parse(body.Span);
        if (parsed is EmailEventBatch.Invalid invalid)
        {
            LogBatchRejected(invalid.Errors.Count);
            return new EmailEventsOutcome.Invalid(invalid.Errors);
        }

        var batch = (EmailEventBatch.Parsed)parsed;

        // One event id twice in one batch is applied once: in-batch duplicates would race past the receipt check.
        var distinct = batch.Events.DistinctBy(e => e.EventId, StringComparer.Ordinal).ToArray();
        var duplicates = batch.Events.Count - distinct.Length;
        var ignored = batch.Unknown;
        var applied = 0;
        var known = new ConcurrentDictionary<AlumnusId, Task<Alumnus?>>();

        // Recipients in parallel, each recipient's events in the order sent (the first suppression reason is the one kept).
        var byRecipient = distinct.GroupBy(e => e.Email.Normalized, StringComparer.Ordinal);
        await Parallel.ForEachAsync(byRecipient, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelRecipients, CancellationToken = cancellationToken }, async (recipient, ct) =>
        {
            // Looked up on the first event of the address that needs it, then kept for the address's other events.
            Task<IReadOnlyList<Alumnus>>? holders = null;
            foreach (var e in recipient)
            {
                var result = await ApplyAsync(e, id => known.GetOrAdd(id, key => HeldAsync(key, ct)),
                    () => NoAlumnusHolds(e) ? NoHolders : holders ??= HoldersOfAsync(e.Email, ct), ct);
                _ = result switch
                {
                    EventResult.Applied => Interlocked.Increment(ref applied),
                    EventResult.Duplicate => Interlocked.Increment(ref duplicates),
                    _ => Interlocked.Increment(ref ignored),
                };
            }
        });

        var report = new EmailEventsReport(batch.Events.Count + batch.Unknown, applied, duplicates, ignored);
        LogBatchApplied(report.Received, report.Applied, report.Duplicates, report.Ignored);
        return new EmailEventsOutcome.Applied(report);
    }

    /// <summary>
    /// The alumnus an event names, unless their erasure has begun: they count as erased (ADR 0008), so nothing is written
    /// about them (no counts, no withdrawals); a suppression applies to the address and the rows of its other holders.
    /// </summary>
    private async Task<Alumnus?> HeldAsync(AlumnusId id, CancellationToken cancellationToken) =>
        await alumni.GetAsync(id, cancellationToken) is { ErasureStartedAt: null } held ? held : null;

    private static readonly Task<IReadOnlyList<Alumnus>> NoHolders = Task.FromResult<IReadOnlyList<Alumnus>>([]);

    /// <summary>
    /// An internal mail's address, or one at the company's mail domains, is no alumnus's personal address (those are
    /// refused there): no scan for its holders (the suppression itself still applies).
    /// </summary>
    private bool NoAlumnusHolds(EmailEvent e) => e.Internal || mailDomains.Contains(e.Email);

    /// <summary>
    /// The consent purposes an event's categories or campaign name, compared ignoring case, '-' and '_'
    /// (<c>job-offers</c> is <see cref="ConsentPurpose.JobOffers"/>). Only purposes that mean email count.
    /// </summary>
    public static IReadOnlySet<ConsentPurpose> PurposesOf(EmailEvent e) => e.Categories
        .Append(e.Campaign)
        .OfType<string>()
        .Select(Normalize)
        .SelectMany(name => ConsentPurposes.Email.Where(p => Normalize(p.ToString()) == name))
        .ToHashSet();

    /// <summary>A complaint or refusal that names no purpose we know withdraws every email purpose (ADR 0008).</summary>
    private static IReadOnlyCollection<ConsentPurpose> PurposesOrEveryEmailPurpose(IReadOnlySet<ConsentPurpose> named) =>
        named.Count > 0 ? named : ConsentPurposes.Email;

    private enum EventResult
    {
        Applied,
        Duplicate,
        Ignored,
    }

    private async Task<EventResult> ApplyAsync(
        EmailEvent e, Func<AlumnusId, Task<Alumnus?>> findAlumnus, Func<Task<IReadOnlyList<Alumnus>>> holdersOfAddress,
        CancellationToken cancellationToken)
    {
        // Settling the send is idempotent in the ledger itself (a final state is never changed back), so it runs even for
        // an event seen before: a crash between the ledger write and the receipt only repeats it.
        var settled = false;
        if (e is { SendId: { } sendId, Outcome: { } outcome } &&
            await sends.ResolveAsync(sendId, outcome, "event:" + e.Type.ToString().ToLowerInvariant(), e.At, cancellationToken))
        {
            settled = true;
            LogSendSettled(sendId, outcome);
        }

        if (e.Type is EmailEventType.Processed or EmailEventType.Deferred or EmailEventType.Blocked or EmailEventType.DroppedMessage or EmailEventType.GroupResubscribe)
        {
            // A block, or a drop for the message's content or headers, is about our sending, not the address: suppressing
            // it would stop even transactional mail to someone who can receive it, so it only settles the send.
            // A resubscribe through SendGrid is not a confirmed opt-in: consent is given again only through our own link.
            return settled ? EventResult.Applied : EventResult.Ignored;
        }

        if (await receipts.FindAsync(Source, e.EventId, cancellationToken) is not null)
        {
            // The receipt of a count is written before the increment: a crash after the increment, as the person's erasure
            // began, leaves a count no re-read found. A re-post of the event looks again, and takes the counts back.
            if (EngagementKindOf(e.Type) is not null && e.AlumnusId is { } named)
            {
                _ = await erasure.WriteStandsAsync(named, ct => TakeBackEngagementAsync(named, ct), cancellationToken);
            }

            return EventResult.Duplicate;
        }

        var alumnus = e.AlumnusId is { } id ? await findAlumnus(id) : null;

        // Three cases: the alumnus named and held; one named but not held (their erasure has begun, or their row is gone),
        // who counts as erased (ADR 0008); or none named. For one named but erased, the address's other current holders
        // have their rows marked suppressed (campaign batches read only the row), but nobody's consent is withdrawn: an
        // erased person's refusal is not theirs.
        var namedButErased = e.AlumnusId is not null && alumnus is null;
        if (EngagementKindOf(e.Type) is { } kind)
        {
            await CountEmailAsync(e, alumnus, kind, cancellationToken);
            if (!await receipts.RecordAsync(Source, e.EventId, e.Type.ToString(), cancellationToken))
            {
                return EventResult.Duplicate;
            }

            if (alumnus is not null)
            {
                await engagement.IncrementAsync(alumnus.Id, kind, e.At, cancellationToken);

                // The row was read before the count: an erasure that set its flag in between may have removed the counts
                // already, and nothing looks again once its record is gone. Read again after each count (not once at the end of
                // the batch): if it has begun, the take-back is written as work before it is tried, so a crash once that is
                // written cannot leave the count (a re-post only finds the receipt).
                _ = await erasure.WriteStandsAsync(alumnus.Id, ct => TakeBackEngagementAsync(alumnus.Id, ct), cancellationToken);
            }

            return EventResult.Applied;
        }

        // The rows holding the address (where a suppression is marked): the alumnus named, while it is still their address;
        // otherwise whoever holds it now (never the erased person named). Whose consent a refusal withdraws: the alumnus
        // named, or when none is named those rows; nobody's when the one named is erased (withdrawal is per person).
        async Task<IReadOnlyList<Alumnus>> HoldersAsync() =>
            namedButErased ? [.. (await holdersOfAddress()).Where(h => h.Id != e.AlumnusId)]
            : alumnus is not null && alumnus.PersonalEmail.Normalized == e.Email.Normalized ? [alumnus] : await holdersOfAddress();
        async Task<IReadOnlyList<Alumnus>> RefusingAsync() => namedButErased ? [] : alumnus is not null ? [alumnus] : await holdersOfAddress();

        switch (e.Type)
        {
            case EmailEventType.Bounce:
                await SuppressAsync(e, await HoldersAsync(), SuppressionReason.Bounce, cancellationToken);
                break;
            case EmailEventType.Dropped when namedButErased:
                // About sending to someone erased: nothing of theirs to mark, and a drop is no refusal of the address.
                break;
            case EmailEventType.Dropped:
                await SuppressAsync(e, await HoldersAsync(), SuppressionReason.Dropped, cancellationToken);
                break;
            case EmailEventType.SpamReport:
                await SuppressAsync(e, await HoldersAsync(), SuppressionReason.SpamReport, cancellationToken);
                await WithdrawAsync(await RefusingAsync(), PurposesOrEveryEmailPurpose(PurposesOf(e)), e.At, cancellationToken);
                break;
            case EmailEventType.Unsubscribe or EmailEventType.GroupUnsubscribe:
                var purposes = PurposesOf(e);
                await WithdrawAsync(await RefusingAsync(), PurposesOrEveryEmailPurpose(purposes), e.At, cancellationToken);
                if ((alumnus is null && !namedButErased) || (e.Type == EmailEventType.Unsubscribe && purposes.Count == 0))
                {
                    await SuppressAsync(e, await HoldersAsync(), SuppressionReason.Unsubscribe, cancellationToken);
                }

                break;
            default:
                throw new InvalidOperationException($"No effect defined for {e.Type}.");
        }

        await receipts.RecordAsync(Source, e.EventId, e.Type.ToString(), cancellationToken);
        return EventResult.Applied;
    }

    /// <summary>
    /// Suppresses the address, and marks it on the rows of <paramref name="holders"/> (each while it is still their
    /// address), where campaign batches read it. The marks come first: a crash in between leaves the stricter state.
    /// </summary>
    private async Task SuppressAsync(EmailEvent e, IReadOnlyList<Alumnus> holders, SuppressionReason reason, CancellationToken cancellationToken)
    {
        foreach (var holder in holders)
        {
            for (Alumnus? current = holder; current is not null && current.Suppressed is null && current.PersonalEmail.Normalized == e.Email.Normalized;
                 current = await alumni.GetAsync(current.Id, cancellationToken))
            {
                current.Suppressed = reason;
                if (await alumni.TryUpdateAsync(current, cancellationToken))
                {
                    break;
                }
            }
        }

        await suppressions.AddAsync(new Suppression(e.Email, reason, e.At), cancellationToken);
    }

    /// <summary>
    /// The alumni whose personal address is <paramref name="email"/>, by its pseudonym; not those whose erasure is under
    /// way, who count as erased (ADR 0008).
    /// </summary>
    private async Task<IReadOnlyList<Alumnus>> HoldersOfAsync(EmailAddress email, CancellationToken cancellationToken)
    {
        var holders = new List<Alumnus>();
        await foreach (var holder in alumni.FindByEmailKeyAsync(pseudonyms.Of("email", email.Normalized), cancellationToken))
        {
            if (holder.ErasureStartedAt is null)
            {
                holders.Add(holder);
            }
        }

        return holders;
    }

    /// <summary>
    /// Appends a withdrawal, dated when the event happened, for each purpose each of <paramref name="refusing"/> has
    /// granted now. The date makes a repeat
    /// append the same entry, and lets a consent given again after the event (a late delivery) stand.
    /// </summary>
    private async Task WithdrawAsync(IReadOnlyList<Alumnus> refusing, IReadOnlyCollection<ConsentPurpose> purposes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var alumnus in refusing)
        {
            var state = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken));
            foreach (var purpose in purposes.Where(state.Has))
            {
                await consents.AppendAsync(new ConsentRecord(alumnus.Id, purpose, Granted: false, at, ConsentMethod.Complaint, WordingVersion), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Counts the email for the campaign's kind in the company's month of the event (the dashboard's engagement by campaign
    /// kind and month, ADR 0020) and on the campaign batch it belonged to, the first event of this kind for the send only,
    /// and only for alumni we still hold: an erased alumnus's events must not recreate data about them. An event naming no send cannot be told from a repeat, so it is not counted here.
    /// </summary>
    private async Task CountEmailAsync(EmailEvent e, Alumnus? alumnus, EngagementKind kind, CancellationToken cancellationToken)
    {
        if (alumnus is not null && e.SendId is { } sendId && await sends.IsFirstEngagementAsync(sendId, kind, cancellationToken))
        {
            // Counted before noted: a crash in between, or two events of one mail at once, counts one too many, never none.
            await engagement.IncrementCampaignAsync(CampaignKindOf(e.Campaign), InsightPeriods.Month(e.At, calendar), alumnus.Id, kind, e.At, cancellationToken);
            await campaignEngagement.CountAsync(sendId, kind, cancellationToken);
            await sends.MarkEngagedAsync(sendId, kind, cancellationToken);
        }
    }

    /// <summary>
    /// What counting an email wrote about a person whose erasure began meanwhile: their counts, and the note on the send
    /// (<see cref="CountEmailAsync"/>), which the erasure's own step may have cleared already (<see cref="ISendLedger.ForgetMessageIdsAsync"/>).
    /// </summary>
    private async Task TakeBackEngagementAsync(AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        await engagement.RemoveAsync(alumnusId, cancellationToken);
        await sends.ForgetMessageIdsAsync(alumnusId, cancellationToken);
    }

    private static EngagementKind? EngagementKindOf(EmailEventType type) => type switch
    {
        EmailEventType.Delivered => EngagementKind.Delivered,
        EmailEventType.Open => EngagementKind.Opened,
        EmailEventType.Click => EngagementKind.Clicked,
        _ => null,
    };

    /// <summary>
    /// The kind of a campaign, from our <c>campaign</c> custom argument: its leading word, which names the feature
    /// (<c>welcome</c>, <c>newsletter-2026-11</c>, <c>event-…-invitation</c>, <c>survey-…</c>), lower case, or <c>other</c>
    /// when it is missing or not a plain name.
    /// </summary>
    public static string CampaignKindOf(string? campaign)
    {
        var kind = (campaign ?? "").Split(':', '-')[0].Trim().ToLowerInvariant();
        return kind.Length is > 0 and <= 32 && kind.All(char.IsAsciiLetterLower) ? kind : "other";
    }

    private static string Normalize(string name) =>
        new string(name.Where(c => c is not ('-' or '_' or ' ')).ToArray()).Trim().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Send {SendId} settled as {Outcome} by a provider event")]
    private partial void LogSendSettled(SendId sendId, SendState outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SendGrid event batch rejected with {ErrorCount} field errors; nothing applied")]
    private partial void LogBatchRejected(int errorCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "SendGrid event batch: {Received} received, {Applied} applied, {Duplicates} duplicates, {Ignored} ignored")]
    private partial void LogBatchApplied(int received, int applied, int duplicates, int ignored);
}
