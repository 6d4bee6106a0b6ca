using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Newsletters;

/// <summary>
/// Admin: the newsletter as the timer would send it now, either rendered for the browser (preview) or mailed to one
/// address (a test send, marked as such in the subject), with a sample recipient's name and links.
/// </summary>
public sealed class SendNewsletterTest(ICampaigns campaigns, IEmailSender email, IAuditLog audit, TimeProvider time)
{
    public const string TestSent = "newsletter.test-sent";

    public async Task<EmailMessage?> PreviewAsync(Locale locale, EmailAddress to, CancellationToken cancellationToken) =>
        await campaigns.PreviewAsync(CampaignKind.Newsletter, NewsletterComposer.DraftId, PreviewRecipient.Of(locale, to), cancellationToken);

    public async Task<AdminOutcome<string>> SendAsync(string? address, string? localeTag, string actor, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (!EmailAddress.TryParse(address, out var to))
        {
            errors.Add(new FieldError("email", "must be an email address"));
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

        // The address is the admin's own choice and not an alumnus's: it is not written to the audit log.
        await audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, TestSent, "", $"locale={locale.ToTag()}"), cancellationToken);
        var id = await email.SendAsync(preview with { Subject = "[TEST] " + preview.Subject, Categories = ["newsletter-test"] }, cancellationToken);
        return new AdminOutcome<string>.Done(id);
    }
}
