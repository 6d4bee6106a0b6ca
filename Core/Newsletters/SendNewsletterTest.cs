using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Validation;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// Admin: the newsletter as the timer would send it now, either rendered for the browser (preview) or mailed to one
/// address (a test send, marked as such in the subject), with a sample recipient's name and links. A test goes only to
/// an address at the company's mail domains that is not suppressed: it is company-internal mail, and the admin API must
/// not become a way to mail anyone outside the outreach rules. Audited before it goes (ADR 0005) and again with what the
/// provider answered, naming the address by its keyed pseudonym as the Sends ledger does, never the address.
/// </summary>
public sealed partial class SendNewsletterTest(
    ICampaigns campaigns,
    IEmailSender email,
    ISuppressionList suppressions,
    CompanyMailDomains mailDomains,
    Pseudonyms pseudonyms,
    IAuditLog audit,
    TimeProvider time,
    ILogger<SendNewsletterTest> logger)
{
    /// <summary>Written before the test mail goes, with the address's pseudonym and the locale.</summary>
    public const string TestRequested = "newsletter.test-requested";

    /// <summary>Written once the provider accepted the test mail, with its message id.</summary>
    public const string TestSent = "newsletter.test-sent";

    /// <summary>Written when the provider did not accept it (<c>outcome=not-accepted:…</c>) or its answer was lost (<c>outcome=unknown</c>).</summary>
    public const string TestFailed = "newsletter.test-failed";

    /// <summary>The RFC 8058 headers a test mail leaves out: they would unsubscribe the made-up sample member.</summary>
    private static readonly string[] UnsubscribeHeaders = ["List-Unsubscribe", "List-Unsubscribe-Post"];

    public async Task<EmailMessage?> PreviewAsync(Locale locale, EmailAddress to, CancellationToken cancellationToken) =>
        await campaigns.PreviewAsync(CampaignKind.Newsletter, NewsletterComposer.DraftId, PreviewRecipient.Of(locale, to), cancellationToken);

    public async Task<AdminOutcome<string>> SendAsync(string? address, string? localeTag, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!EmailAddress.TryParse(address, out var to))
        {
            errors.Add(new FieldError("email", "must be an email address"));
        }
        else if (!mailDomains.Contains(to))
        {
            errors.Add(new FieldError("email", mailDomains.Rule));
        }

        if (!Locales.TryParse(localeTag, out var locale))
        {
            errors.Add(new FieldError("locale", $"must be {Locales.JapaneseTag} or {Locales.EnglishTag}"));
        }

        if (errors.Count > 0)
        {
            return new AdminOutcome<string>.Invalid(errors);
        }

        if (await PreviewAsync(locale, to!, cancellationToken) is not { } preview)
        {
            return new AdminOutcome<string>.NotFound();
        }

        if (await suppressions.FindAsync(to!, cancellationToken) is not null)
        {
            return new AdminOutcome<string>.Invalid([new FieldError("email", "is on the suppression list (it bounced, was reported as spam or unsubscribed): no mail goes to it")]);
        }

        var detail = $"to={pseudonyms.Of("work-email", to!.Normalized)}; locale={locale.ToTag()}";
        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, TestRequested, "", detail), cancellationToken);
        var test = preview with
        {
            Subject = "[TEST] " + preview.Subject,
            Categories = ["newsletter-test"],
            Headers = preview.Headers.Where(h => !UnsubscribeHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase)).ToDictionary(),
        };
        try
        {
            var id = await email.SendAsync(test, cancellationToken);
            await RecordAsync(actor, TestSent, $"{detail}; message={id}");
            return new AdminOutcome<string>.Done(id);
        }
        catch (EmailNotAcceptedException e)
        {
            var answer = e.Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : "unreachable";
            LogNotAccepted(answer);
            await RecordAsync(actor, TestFailed, $"{detail}; outcome=not-accepted:{answer}");
            return new AdminOutcome<string>.Unavailable(e.Status is null
                ? "The email provider could not be reached; the test mail was not sent. Try again later."
                : $"The email provider answered {answer} and did not accept the test mail; it was not sent. Try again later.");
        }
        catch (EmailOutcomeUnknownException)
        {
            LogOutcomeUnknown();
            await RecordAsync(actor, TestFailed, $"{detail}; outcome=unknown");
            return new AdminOutcome<string>.Unavailable(
                "The email provider's answer did not arrive: the test mail may or may not have been sent. Check the inbox before sending it again.",
                MayHaveHappened: true);
        }
    }

    /// <summary>What the provider answered is recorded even if the admin has gone: the mail may be out.</summary>
    private Task RecordAsync(string actor, string action, string detail) =>
        audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, action, "", detail), CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Newsletter test send not accepted by the email provider ({Answer})")]
    private partial void LogNotAccepted(string answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Newsletter test send: the email provider's answer was lost")]
    private partial void LogOutcomeUnknown();
}
