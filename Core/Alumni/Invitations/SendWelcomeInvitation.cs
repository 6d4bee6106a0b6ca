using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Alumni;

public enum WelcomeOutcome
{
    Sent,
    AlreadySent,
    NotDue,
    UnknownAlumnus,
}

/// <summary>
/// Sends the welcome invitation for one dispatched work item, at most once per alumnus: the Sends ledger is checked
/// before and written after the send, so a redelivered message sends nothing twice.
/// </summary>
public sealed partial class SendWelcomeInvitation(
    IAlumniStore alumni,
    ISendLedger sends,
    IWorkItemStore work,
    IEmailSender email,
    LinkTokenService links,
    IOptions<CompanyOptions> company,
    IOptions<SignedLinkOptions> linkOptions,
    TimeProvider time,
    ILogger<SendWelcomeInvitation> logger)
{
    public const string CampaignId = "welcome";
    public const string JoinPath = "api/alumni/join";

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

        if (await sends.FindAsync(CampaignId, id, cancellationToken) is not null)
        {
            await MarkInvitedAsync(alumnus, cancellationToken);
            return WelcomeOutcome.AlreadySent;
        }

        // An item due earlier than the alumnus's current due time was superseded by a later last working day.
        var now = time.GetUtcNow();
        if (!alumnus.IsWelcomeDue(now) || message.DueAt < alumnus.WelcomeDueAt)
        {
            return WelcomeOutcome.NotDue;
        }

        var token = links.Issue(LinkPurpose.Join, id);
        var joinLink = new Uri(company.Value.PublicBaseUrl!, $"{JoinPath}?token={Uri.EscapeDataString(token)}");
        var mail = WelcomeEmail.Render(alumnus, company.Value.Name, joinLink, now + linkOptions.Value.JoinLifetime);
        var providerId = await email.SendAsync(mail, cancellationToken);
        await sends.RecordAsync(new SendRecord(CampaignId, id, providerId, now), cancellationToken);
        await MarkInvitedAsync(alumnus, cancellationToken);
        return WelcomeOutcome.Sent;
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
