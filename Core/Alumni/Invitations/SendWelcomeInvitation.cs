using AlumniNetwork.Core.Company;
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
}

/// <summary>
/// Sends the welcome invitation for one dispatched work item through the outreach path (gate and Sends ledger),
/// so a redelivered message sends nothing twice and a suppressed address gets nothing.
/// </summary>
public sealed partial class SendWelcomeInvitation(
    IAlumniStore alumni,
    IWorkItemStore work,
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

    public async Task<WelcomeOutcome> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        var outcome = await SendUnlessDoneAsync(message, cancellationToken);
        await work.CompleteAsync(message.PartitionKey, message.RowKey, cancellationToken);
        LogOutcome(message.SubjectId, outcome);
        return outcome;
    }

    private async Task<WelcomeOutcome> SendUnlessDoneAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        if (!AlumnusId.TryParse(message.SubjectId, out var id) || await alumni.GetAsync(id, cancellationToken) is not { } alumnus)
        {
            return WelcomeOutcome.UnknownAlumnus;
        }

        var now = time.GetUtcNow();
        if (alumnus.Status == AlumnusStatus.Departed && message.DueAt < alumnus.WelcomeDueAt)
        {
            // Superseded by a later last working day: make sure the current item exists (an intake that died between
            // its writes may not have added it), then let this one be completed.
            await work.ScheduleAsync(new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = id.Value, DueAt = alumnus.WelcomeDueAt }, cancellationToken);
            return WelcomeOutcome.NotDue;
        }

        if (alumnus.Status == AlumnusStatus.Departed && !alumnus.IsWelcomeDue(now))
        {
            // The current item, delivered early (clocks differ between instances): fail so it is retried, never lost.
            throw new InvalidOperationException("The welcome invitation was delivered before it is due.");
        }

        // It speaks of events, the newsletter and openings, so it carries what a promotional email must, with a
        // refusal link (and one-click List-Unsubscribe) that refuses every further email.
        var result = await sender.SendAsync(alumnus, CampaignId, purpose: null, () => footer.Apply(WelcomeEmail.Render(
            alumnus, company.Value.Name, links.Absolute(LinkPurpose.Join, id), calendar.ToLocal(now + linkOptions.Value.LifetimeOf(LinkPurpose.Join))),
            alumnus, purpose: null), cancellationToken);
        if (result.Status != SendStatus.Refused)
        {
            await MarkInvitedAsync(alumnus, cancellationToken);
        }

        return result.Status switch
        {
            SendStatus.Sent => WelcomeOutcome.Sent,
            SendStatus.AlreadySent => WelcomeOutcome.AlreadySent,
            _ => WelcomeOutcome.Refused,
        };
    }

    private async Task MarkInvitedAsync(Alumnus alumnus, CancellationToken cancellationToken)
    {
        for (var current = alumnus; current is { Status: AlumnusStatus.Departed };)
        {
            current.MarkInvited(time.GetUtcNow());
            if (await alumni.TryUpdateAsync(current, cancellationToken))
            {
                return;
            }

            current = await alumni.GetAsync(alumnus.Id, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Welcome invitation for alumnus {AlumnusId}: {Outcome}")]
    private partial void LogOutcome(string alumnusId, WelcomeOutcome outcome);
}
