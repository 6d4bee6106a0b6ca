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
/// provider answered, naming the address by its keyed pseudonym as the Sends ledger does, never the address. A test send
/// may carry an idempotency key (ADR 0037), recorded in those entries: a repeat within <see cref="KeyWindow"/> sends
/// nothing and answers with what the first one came to, read back from them.
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

    private const string Unreachable = "unreachable";

    private static readonly AdminOutcome<string> OutcomeUnknown = new AdminOutcome<string>.Unavailable(
        "The email provider's answer did not arrive: the test mail may or may not have been sent. Check the inbox before sending it again.",
        MayHaveHappened: true);

    /// <summary>How long a test send's key is looked for in the audit log: a retry or a second click comes within minutes.</summary>
    public static readonly TimeSpan KeyWindow = TimeSpan.FromHours(1);

    /// <summary>The RFC 8058 headers a test mail leaves out: they would unsubscribe the made-up sample member.</summary>
    private static readonly string[] UnsubscribeHeaders = ["List-Unsubscribe", "List-Unsubscribe-Post"];

    public async Task<EmailMessage?> PreviewAsync(Locale locale, EmailAddress to, CancellationToken cancellationToken) =>
        await campaigns.PreviewAsync(CampaignKind.Newsletter, NewsletterComposer.DraftId, PreviewRecipient.Of(locale, to), cancellationToken);

    /// <param name="key">With a key, a repeat of the same test send (same address and locale) mails nothing and answers as
    /// the first did; the key with another address or locale is a conflict, nothing sent.</param>
    public async Task<AdminOutcome<string>> SendAsync(string? address, string? localeTag, string actor, IdempotencyKey? key, CancellationToken cancellationToken)
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

        var detail = $"to={pseudonyms.Of("work-email", to!.Normalized)}; locale={locale.ToTag()}";
        if (key is { } given && Repeat(await WithKeyAsync(actor, given, cancellationToken), detail) is { } repeat)
        {
            return repeat;
        }

        if (await PreviewAsync(locale, to!, cancellationToken) is not { } preview)
        {
            return new AdminOutcome<string>.NotFound();
        }

        if (await suppressions.FindAsync(to!, cancellationToken) is not null)
        {
            return new AdminOutcome<string>.Invalid([new FieldError("email", "is on the suppression list (it bounced, was reported as spam or unsubscribed): no mail goes to it")]);
        }

        detail += key is { } k ? $"; {KeyPart(k)}" : "";
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
            var answer = e.Status is { } status ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) : Unreachable;
            LogNotAccepted(answer);
            await RecordAsync(actor, TestFailed, $"{detail}; outcome=not-accepted:{answer}");
            return NotAccepted(answer);
        }
        catch (EmailOutcomeUnknownException)
        {
            LogOutcomeUnknown();
            await RecordAsync(actor, TestFailed, $"{detail}; outcome=unknown");
            return OutcomeUnknown;
        }
    }

    private static AdminOutcome<string> NotAccepted(string answer) => new AdminOutcome<string>.Unavailable(answer == Unreachable
        ? "The email provider could not be reached; the test mail was not sent. Try again later."
        : $"The email provider answered {answer} and did not accept the test mail; it was not sent. Try again later.");

    private static string KeyPart(IdempotencyKey key) => $"key={key.Value}";

    /// <summary>This admin's test-send entries of the last <see cref="KeyWindow"/> that carry the key, newest first.</summary>
    private async Task<IReadOnlyList<AuditEntry>> WithKeyAsync(string actor, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var part = KeyPart(key);
        var found = new List<AuditEntry>();
        AuditCursor? after = null;
        do
        {
            var slice = await audit.QueryAsync(now - KeyWindow, now, 100, new AuditFilter(Actor: actor), after, cancellationToken);
            found.AddRange(slice.Entries.Where(e => e.Action is TestRequested or TestSent or TestFailed && Parts(e.Detail).Contains(part)));
            after = slice.Next;
        }
        while (after is not null);

        return found;
    }

    /// <summary>
    /// What a repeat answers, from the first send's entries: null when there is none (not a repeat); a conflict when it
    /// went to another address or locale; its message id when the provider took it; its failure as it was answered; and,
    /// with no outcome recorded (still going, or stopped before the answer was written), that it may have been sent.
    /// </summary>
    private static AdminOutcome<string>? Repeat(IReadOnlyList<AuditEntry> first, string detail)
    {
        if (first.FirstOrDefault(e => e.Action == TestRequested) is not { } requested)
        {
            return null;
        }

        if (!requested.Detail.StartsWith(detail + "; ", StringComparison.Ordinal))
        {
            return new AdminOutcome<string>.Conflict(IdempotencyKey.ReusedRule, ConflictCode.IdempotencyKeyReused);
        }

        var outcome = first.FirstOrDefault(e => e.Action is TestSent or TestFailed);
        return outcome switch
        {
            null => OutcomeUnknown,
            { Action: TestSent } => new AdminOutcome<string>.Repeated(Value(outcome, "message=") ?? ""),
            _ when Value(outcome, "outcome=not-accepted:") is { } answer => NotAccepted(answer),
            _ => OutcomeUnknown,
        };
    }

    private static string[] Parts(string detail) => detail.Split("; ");

    private static string? Value(AuditEntry entry, string prefix) =>
        Parts(entry.Detail).FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    /// <summary>What the provider answered is recorded even if the admin has gone: the mail may be out.</summary>
    private Task RecordAsync(string actor, string action, string detail) =>
        audit.WriteAsync(new AuditEntry(time.GetUtcNow(), actor, action, "", detail), CancellationToken.None);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Newsletter test send not accepted by the email provider ({Answer})")]
    private partial void LogNotAccepted(string answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Newsletter test send: the email provider's answer was lost")]
    private partial void LogOutcomeUnknown();
}
