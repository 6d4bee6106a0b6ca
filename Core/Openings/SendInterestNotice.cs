using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Openings;

public enum InterestNoticeOutcome
{
    Sent,

    /// <summary>Nothing pending (a redelivered message, or the change was told already).</summary>
    NothingPending,

    /// <summary>A withdrawal of interest the recruiter never heard of: marked told, nothing sent.</summary>
    NothingToTell,

    /// <summary>The alumnus or the opening is gone: nothing to tell, and nothing will be.</summary>
    Gone,

    /// <summary>The mailbox is suppressed (it bounced): the notice will never go; marked told so it is not tried forever.</summary>
    Refused,

    /// <summary>The outcome of the send is awaited, or another delivery holds it: asked again later.</summary>
    Deferred,

    /// <summary>
    /// The opening's recruiter mailbox is not at the company's mail domains (stored before the rule, or the domains changed
    /// since): nothing is sent there. While the opening is open the change stays pending and is asked again
    /// (<see cref="SendInterestNotice.MailboxRecheck"/>, or at once when the opening is edited); once it is closed the change
    /// is marked skipped, not counted as told (logged as <c>mailbox-outside-company-domains</c>).
    /// </summary>
    MailboxOutsideCompanyDomains,

    /// <summary>Interest in an opening closed before its notice went: marked skipped, not told (ADR 0028).</summary>
    OpeningClosed,
}

/// <summary>
/// Tells an opening's recruiter mailbox that an alumnus expressed (or withdrew) interest: company-internal, transactional
/// mail through the single send path (<see cref="OutreachSender.SendInternalAsync"/>), once per change of the interest
/// (the Sends campaign id carries its version). It holds the alumnus's name and address (they asked to be contacted),
/// their note, and only the profile fields they made visible to current employees, and only while they consent to
/// that visibility. A withdrawal holds only the name, and goes only to a recruiter who may have heard of the interest:
/// one withdrawn before any notice of it could go is marked told and never sent. Runs under <see cref="WorkItemRunner"/>.
/// </summary>
public sealed partial class SendInterestNotice(
    IOpeningStore openings,
    IAlumniStore alumni,
    IProfileStore profiles,
    IConsentLedger consents,
    ISendLedger sends,
    OutreachSender sender,
    Pseudonyms pseudonyms,
    WorkItemRunner runner,
    IOptions<CompanyOptions> company,
    IOptions<OutreachOptions> outreach,
    CompanyMailDomains mailDomains,
    TimeProvider time,
    ILogger<SendInterestNotice> logger)
{
    public async Task<(InterestNoticeOutcome? Notice, WorkRunOutcome Work)> HandleAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        InterestNoticeOutcome? notice = null;
        var run = await runner.RunAsync(message, async ct =>
        {
            var subject = OpeningWork.PersonOf(message);
            var (outcome, retryAt) = subject is { } person
                ? await SendAsync(person.OpeningId, person.AlumnusId, ct)
                : (InterestNoticeOutcome.Gone, null);
            notice = outcome;
            var named = Name(outcome);
            // The opening and the outcome, not who: an alumnus id beside an interest notice says they are looking for work.
            LogOutcome(subject?.OpeningId ?? "(unreadable subject)", named);
            return (outcome, retryAt) switch
            {
                (InterestNoticeOutcome.MailboxOutsideCompanyDomains, { } recheck) => new WorkStep.Later(recheck, MailboxOutsideCompany),
                (InterestNoticeOutcome.Deferred, _) => new WorkStep.Later(retryAt ?? time.GetUtcNow().AddMinutes(1), "notice-not-settled"),
                _ => new WorkStep.Done(),
            };
        }, cancellationToken);
        return (notice, run);
    }

    private async Task<(InterestNoticeOutcome, DateTimeOffset?)> SendAsync(string openingId, AlumnusId alumnusId, CancellationToken cancellationToken)
    {
        if (await openings.GetInterestAsync(openingId, alumnusId, cancellationToken) is not { NoticePending: true } interest)
        {
            return (InterestNoticeOutcome.NothingPending, null);
        }

        var opening = await openings.GetAsync(openingId, cancellationToken);
        var alumnus = await alumni.GetAsync(alumnusId, cancellationToken);

        // An alumnus whose erasure has begun (ADR 0007) is as good as gone: their name and address must not go out now, and
        // the erasure removes the interest. Nothing is marked told, as when the row is gone already.
        if (opening is null || alumnus is not { ErasureStartedAt: null })
        {
            return (InterestNoticeOutcome.Gone, null);
        }

        // Checked again here, not only when the opening was saved: the notice carries the alumnus's name and address, and an
        // opening stored before the rule (or before the domains changed) may name a private address. Nothing goes there; the
        // change stays pending and is asked again while the opening is open, so it goes once the mailbox (or the company's
        // domains) is fixed, to the mailbox then named. Editing the opening asks at once (ManageOpenings.UpdateAsync).
        var to = opening.Details.RecruiterMailbox;
        if (!mailDomains.Contains(to))
        {
            if (opening.IsOpen)
            {
                return (InterestNoticeOutcome.MailboxOutsideCompanyDomains, time.GetUtcNow() + MailboxRecheck);
            }

            // Closed: settled, but not told: a later withdrawal must not reach a recruiter who never heard of this interest.
            interest.MarkSkipped(interest.Version);
            await openings.TrySaveInterestAsync(interest, cancellationToken);
            return (InterestNoticeOutcome.MailboxOutsideCompanyDomains, null);
        }

        // A closed opening's recruiter gets no one's details (ADR 0028): settled, not told, so a later withdrawal is decided
        // as one the recruiter never heard of. A withdrawal still goes below to a recruiter who may have heard of the interest.
        if (!opening.IsOpen && interest.Status != InterestStatus.Withdrawn)
        {
            interest.MarkSkipped(interest.Version);
            await openings.TrySaveInterestAsync(interest, cancellationToken);
            return (InterestNoticeOutcome.OpeningClosed, null);
        }

        var recipientKey = pseudonyms.Of("work-email", to.Normalized);
        if (interest.Status == InterestStatus.Withdrawn && !await MayKnowOfInterestAsync(opening, interest, recipientKey, cancellationToken))
        {
            // A notice of the interest whose run read it before the withdrawal may not have claimed its send yet: decide
            // only once any such run is over, or its mail would reach the recruiter and this withdrawal never would.
            if (interest.UpdatedAt + InFlightNoticeBound is var settled && time.GetUtcNow() < settled)
            {
                return (InterestNoticeOutcome.Deferred, settled);
            }

            interest.MarkNoticed(interest.Version);
            await openings.TrySaveInterestAsync(interest, cancellationToken);
            return (InterestNoticeOutcome.NothingToTell, null);
        }

        var profile = await profiles.GetAsync(alumnusId, cancellationToken) ?? Profile.Empty(alumnusId);
        var shared = profile.VisibleToEmployees(ConsentState.From(await consents.HistoryAsync(alumnusId, cancellationToken)).Has(ConsentPurpose.EmployeeVisibility));
        var outcome = await sender.SendInternalAsync(to, recipientKey, CampaignId(opening, interest.AlumnusId, interest.Version),
            () => InterestMail.Compose(opening, alumnus, interest, shared, to, company.Value.Name, outreach.Value.EnquiryContact), cancellationToken);
        if (outcome.Status == SendStatus.Deferred)
        {
            return (InterestNoticeOutcome.Deferred, outcome.RetryAt);
        }

        // The interest may have changed meanwhile: then its own work item tells the newer version.
        interest.MarkNoticed(interest.Version);
        await openings.TrySaveInterestAsync(interest, cancellationToken);
        return (outcome.Status == SendStatus.Refused ? InterestNoticeOutcome.Refused : InterestNoticeOutcome.Sent, null);
    }

    /// <summary>How often a notice held back by a recruiter mailbox outside the company's domains is asked again while its opening is open.</summary>
    public static readonly TimeSpan MailboxRecheck = TimeSpan.FromHours(1);

    /// <summary>Longer than any run can hold a notice's work (the function timeout is five minutes).</summary>
    public static readonly TimeSpan InFlightNoticeBound = TimeSpan.FromMinutes(10);

    private static string CampaignId(Opening opening, AlumnusId alumnusId, int version) => $"{opening.CampaignId}-interest-{alumnusId}-v{version}";

    /// <summary>
    /// Whether the recruiter was told of the interest, or may have been: the last version marked told was one of
    /// interest, or the notice of an interest version since may have reached them (its outcome unknown, say). A version
    /// skipped (mailbox outside the company domains) counts as neither: no notice of it went. Versions
    /// alternate (odd: interested, even: withdrawn; <see cref="OpeningInterest.Express"/>, <see cref="OpeningInterest.Withdraw"/>).
    /// </summary>
    private async Task<bool> MayKnowOfInterestAsync(Opening opening, OpeningInterest interest, string recipientKey, CancellationToken cancellationToken)
    {
        if (interest.ToldVersion % 2 == 1)
        {
            return true;
        }

        for (var version = interest.ToldVersion + 1; version < interest.Version; version += 2)
        {
            if (await sends.MayHaveReachedAsync(CampaignId(opening, interest.AlumnusId, version), recipientKey, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outcome as the log names it (ids and outcome names only).</summary>
    public static string Name(InterestNoticeOutcome outcome) => outcome switch
    {
        InterestNoticeOutcome.MailboxOutsideCompanyDomains => MailboxOutsideCompany,
        _ => outcome.ToString(),
    };

    /// <summary>Why an interest notice was never sent: the opening's recruiter mailbox is not at the company's mail domains.</summary>
    public const string MailboxOutsideCompany = "mailbox-outside-company-domains";

    [LoggerMessage(Level = LogLevel.Information, Message = "Interest notice for opening {OpeningId}: {Outcome}")]
    private partial void LogOutcome(string openingId, string outcome);
}

/// <summary>The recruiter's notice, in Japanese and English (a company-internal mail): everything in it escaped.</summary>
public static class InterestMail
{
    public const string Category = "opening-interest";

    public static EmailMessage Compose(Opening opening, Alumnus a, OpeningInterest interest, IReadOnlyList<(ProfileField Field, string Value)> shared,
        EmailAddress to, string companyName, string enquiryContact)
    {
        var withdrawn = interest.Status == InterestStatus.Withdrawn;
        var name = $"{a.FamilyName} {a.GivenName}";
        var subject = withdrawn
            ? $"[社内 / Internal] 関心の取り下げ / Interest withdrawn: {opening.Details.Title.Japanese} / {opening.Details.Title.English}"
            : $"[社内 / Internal] 応募への関心 / Interest in: {opening.Details.Title.Japanese} / {opening.Details.Title.English}";
        (string Html, string Text) Part(Locale l)
        {
            var lead = withdrawn
                ? OpeningText.T(l, $"{name} さんが、この募集への関心を取り下げました。", $"{name} has withdrawn their interest in this opening.")
                : OpeningText.T(l, $"アルムナイの {name} さんが、この募集に関心を寄せています。ご本人の了承のもと、連絡先と社員向けに公開しているプロフィールをお送りします。",
                    $"{name}, an alumnus, is interested in this opening. With their agreement, here are their contact address and the profile they share with employees.");
            var rows = new List<(string, string)>
            {
                (OpeningText.T(l, "募集", "Opening"), opening.Details.Title.In(l)),
                (OpeningText.T(l, "氏名", "Name"), name),
            };
            if (!withdrawn)
            {
                rows.Add((OpeningText.T(l, "連絡先", "Email"), a.PersonalEmail.Value));
                rows.Add((OpeningText.T(l, "ひとこと", "Note"), interest.Note.Length == 0 ? OpeningText.T(l, "（なし）", "(none)") : interest.Note));
                rows.AddRange(shared.Select(f => (FieldLabel(f.Field, l), FieldValue(f.Field, f.Value, l))));
            }

            return (
                $"<p>{E(lead)}</p><table>{string.Concat(rows.Select(r => $"<tr><th scope=\"row\" style=\"text-align: left; vertical-align: top; padding-right: 1em;\">{E(r.Item1)}</th><td style=\"white-space: pre-line;\">{E(r.Item2)}</td></tr>"))}</table>",
                $"{lead}\n\n{string.Join('\n', rows.Select(r => $"{r.Item1}: {r.Item2}"))}");
        }

        var (ja, en) = (Part(Locale.Japanese), Part(Locale.English));
        var label = $"【社内連絡】{companyName}のアルムナイネットワークからの通知です。お問い合わせ: {enquiryContact} / [Company-internal] A notice from the {companyName} alumni network. Enquiries: {enquiryContact}";
        var html = $"""
            <!DOCTYPE html>
            <html lang="ja">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 40rem; margin: 0 auto; padding: 1rem;">
            <p><strong>{E(label)}</strong></p>
            {ja.Html}
            <hr>
            <div lang="en">{en.Html}</div>
            </body>
            </html>
            """;
        var text = $"{label}\n\n{ja.Text}\n\n----\n{en.Text}\n\n--\n{companyName}\n";
        return new EmailMessage(to, "", subject, html, text, [Category], new Dictionary<string, string> { ["opening"] = opening.Id, ["internal"] = "true" });
    }

    /// <summary>The value as the reader reads it: the return interest in the words of the profile page, not its stored name.</summary>
    public static string FieldValue(ProfileField field, string value, Locale l) =>
        field == ProfileField.OpenToReturning && Enum.TryParse<ReturnInterest>(value, out var returning) ? ReturnLabel(returning, l) : value;

    public static string ReturnLabel(ReturnInterest returning, Locale l) => returning switch
    {
        ReturnInterest.FullTime => OpeningText.T(l, "正社員として復帰を検討したい", "Yes, full-time"),
        ReturnInterest.ProjectWork => OpeningText.T(l, "プロジェクト単位なら関わりたい", "Yes, for project work"),
        ReturnInterest.No => OpeningText.T(l, "今は考えていない", "Not at the moment"),
        _ => OpeningText.T(l, "回答しない", "Prefer not to say"),
    };

    public static string FieldLabel(ProfileField field, Locale l) => field switch
    {
        ProfileField.CareerSinceLeaving => OpeningText.T(l, "退職後の経歴", "Career since leaving"),
        ProfileField.CurrentEmployer => OpeningText.T(l, "現在の勤務先", "Current employer"),
        ProfileField.CurrentBusiness => OpeningText.T(l, "現在の事業", "Current business"),
        ProfileField.Skills => OpeningText.T(l, "スキル", "Skills"),
        ProfileField.Interests => OpeningText.T(l, "関心分野", "Interests"),
        ProfileField.Location => OpeningText.T(l, "所在地", "Location"),
        _ => OpeningText.T(l, "復帰の意向", "Would return"),
    };
}
