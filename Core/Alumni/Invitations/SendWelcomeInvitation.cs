using System.Globalization;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Alumni;

public enum WelcomeOutcome
{
    Sent,
    AlreadySent,
    Refused,
    NotDue,
    UnknownAlumnus,

    /// <summary>Not finished: the send's outcome is awaited, another delivery holds it, or it is not due yet.</summary>
    Waiting,
}

/// <summary>
/// Sends the welcome invitation for one dispatched work item through the outreach path (gate and Sends ledger),
/// so a redelivered message sends nothing twice and a suppressed address gets nothing. The invitation is wanted only
/// while the person has neither been invited nor joined and has not refused every email (its own footer's refusal link,
/// which records a refusal of every email purpose): a re-send after an unknown outcome checks that afresh. The Sends
/// row is keyed by the record's welcome round (<see cref="CampaignIdFor"/>): one welcome per round, so an address HR
/// corrected after (or while) the welcome went gets its own, and a redelivery none; the key says nothing about the address.
/// </summary>
public sealed partial class SendWelcomeInvitation(
    IAlumniStore alumni,
    IConsentLedger consents,
    IWorkItemStore work,
    WorkItemRunner runner,
    OutreachSender sender,
    PromotionalFooter footer,
    AlumniLinks links,
    CompanyCalendar calendar,
    IOptions<CompanyOptions> company,
    IOptions<SignedLinkOptions> linkOptions,
    TimeProvider time,
    ILogger<SendWelcomeInvitation> logger)
{
    public const string CampaignId = "welcome";

    /// <summary>
    /// The welcome's Sends campaign for the alumnus's present round: <c>welcome</c> for the first (as every welcome was
    /// keyed before rounds), then <c>welcome-r2</c>, <c>welcome-r3</c>, ...
    /// </summary>
    public static string CampaignIdFor(Alumnus alumnus) =>
        alumnus.WelcomeRound <= 1 ? CampaignId : string.Create(CultureInfo.InvariantCulture, $"{CampaignId}-r{alumnus.WelcomeRound}");

    /// <summary>Runs the send and records in the work item how it ended, so the message is always acknowledged.</summary>
    /// <returns>What became of the invitation (null when the run failed) and of the work item.</returns>
    public async Task<(WelcomeOutcome? Welcome, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        WelcomeOutcome? welcome = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            var (outcome, step) = await SendUnlessDoneAsync(message, ct);
            welcome = outcome;
            LogOutcome(outcome);
            return step;
        }, cancellationToken);
        return (welcome, run);
    }

    private async Task<(WelcomeOutcome, WorkStep)> SendUnlessDoneAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        var done = new WorkStep.Done();
        if (!AlumnusId.TryParse(message.SubjectId, out var id) || await alumni.GetAsync(id, cancellationToken) is not { } alumnus)
        {
            return (WelcomeOutcome.UnknownAlumnus, done);
        }

        var now = time.GetUtcNow();
        if (alumnus.Status == AlumnusStatus.Departed && message.DueAt < alumnus.WelcomeDueAt)
        {
            // Superseded by a later last working day: make sure the current item exists (an intake that died between
            // its writes may not have added it), then let this one be completed.
            await work.ScheduleAsync(WorkItemFor(alumnus), cancellationToken);
            return (WelcomeOutcome.NotDue, done);
        }

        if (alumnus.Status == AlumnusStatus.Departed && !alumnus.IsWelcomeDue(now))
        {
            // The current item, delivered early (clocks differ between instances): hold it until it is due, never lose it.
            return (WelcomeOutcome.Waiting, new WorkStep.Later(alumnus.WelcomeDueAt, "not-yet-due"));
        }

        // The mail states a day, so the link works until that day has ended in company time, not until the instant the
        // lifetime runs out (which would be mid-morning of the day it names).
        var validThrough = calendar.DayOf(now + linkOptions.Value.LifetimeOf(LinkPurpose.Join));
        var joinLink = links.Absolute(LinkPurpose.Join, alumnus, expiresAt: calendar.EndOf(validThrough));

        // It speaks of events, the newsletter and openings, so it carries what a promotional email must, with a
        // refusal link (and one-click List-Unsubscribe) that refuses every further email.
        var result = await sender.SendAsync(alumnus, CampaignIdFor(alumnus), purpose: null, stillWanted: await StillWantedAsync(alumnus, cancellationToken), () => footer.Apply(WelcomeEmail.Render(
            alumnus, company.Value.Name, joinLink, validThrough), alumnus, purpose: null), cancellationToken);
        if (result.Status is (SendStatus.Sent or SendStatus.AlreadySent) && !await MarkInvitedAsync(alumnus, cancellationToken))
        {
            // HR corrected the address while this welcome went to the old one, and the record is still waiting for
            // its welcome: the correction found this item in flight and added none of its own, so run it again now
            // for the new address (its own Sends row) rather than completing the only item there is.
            return (WelcomeOutcome.Waiting, new WorkStep.Later(now, "address-corrected"));
        }

        return result.Status switch
        {
            SendStatus.Sent => (WelcomeOutcome.Sent, done),
            SendStatus.AlreadySent => (WelcomeOutcome.AlreadySent, done),
            SendStatus.Deferred => (WelcomeOutcome.Waiting, new WorkStep.Later(result.RetryAt ?? now, result.Reason)),
            _ => (WelcomeOutcome.Refused, done),
        };
    }

    /// <summary>The welcome's work item for the alumnus's current due time: one row per person and due time, so scheduling it again adds nothing.</summary>
    public static WorkItem WorkItemFor(Alumnus alumnus) =>
        new() { Kind = WorkKinds.WelcomeInvitation, SubjectId = alumnus.Id.Value, DueAt = alumnus.WelcomeDueAt };

    /// <summary>
    /// Not invited or joined yet, and no refusal of every email on record: the footer promised that refusal stops every
    /// further email, and the welcome has no purpose of its own for the gate to check, so a re-send after an unknown
    /// outcome (whose first attempt may have arrived and been refused) would otherwise break that promise.
    /// </summary>
    private async Task<bool> StillWantedAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        if (alumnus.Status != AlumnusStatus.Departed)
        {
            return false;
        }

        var state = ConsentState.From(await consents.HistoryAsync(alumnus.Id, cancellationToken));
        return !ConsentPurposes.Email.All(state.IsRefused);
    }

    /// <summary>
    /// Marks the alumnus invited, only while the record still holds the address the welcome went to: a correction that
    /// landed meanwhile made the welcome due again for the new address, which this one never reached.
    /// </summary>
    /// <returns>False when the record, still waiting for its welcome, now holds another address: the welcome is still owed.</returns>
    private async Task<bool> MarkInvitedAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        var sentTo = alumnus.PersonalEmail.Normalized;
        for (var current = alumnus; current is { Status: AlumnusStatus.Departed };)
        {
            if (current.PersonalEmail.Normalized != sentTo)
            {
                return false;
            }

            current.MarkInvited(time.GetUtcNow());
            if (await alumni.TryUpdateAsync(current, cancellationToken))
            {
                return true;
            }

            current = await alumni.GetAsync(alumnus.Id, cancellationToken);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Welcome invitation: {Outcome}")]
    private partial void LogOutcome(WelcomeOutcome outcome);
}
