using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// Renders survey waves for the campaign engine. The campaign's source is its own id, which names the survey, version,
/// wave and whether it is the reminder. A wave leaves out people already asked in the same wave by another of its
/// campaigns (a corrected last working day, a second ad-hoc start), so nobody is asked twice in one wave. A reminder
/// goes to those its wave reached: in an attributed survey only those who have not answered; in an anonymous one to all
/// of them, worded for those who answered too, since a reminder left out of a person's sends would record for good
/// that they answered (ADR 0025). A closed survey sends nothing.
/// </summary>
public sealed class SurveyWaveComposer(
    ISurveyStore surveys, ISurveyResponseStore responses, AlumniLinks links, IOptions<SignedLinkOptions> linkOptions, IOptions<CompanyOptions> company,
    TimeProvider time) : ICampaignComposer
{
    private readonly CompanyCalendar calendar = new(company);

    public CampaignKind Kind => CampaignKind.Survey;

    public async Task<ICampaignMail?> LoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (SurveyCampaigns.Parse(sourceId) is not { } campaign ||
            await surveys.GetAsync(campaign.Wave.SurveyId, cancellationToken) is not { } survey || !survey.IsOpenAt(now) ||
            await surveys.GetVersionAsync(campaign.Wave.SurveyId, campaign.Wave.Version, cancellationToken) is not { } content)
        {
            return null;
        }

        var anonymous = content.Mode == SurveyMode.Anonymous;
        var key = anonymous ? await surveys.KeyAsync(survey.Id, create: true, cancellationToken) : null;
        if (anonymous && key is null)
        {
            return null;
        }

        var answered = campaign.Reminder && !anonymous ? await responses.RespondentsAsync(campaign.Wave, anonymous: false, cancellationToken) : null;
        var lifetimeEnd = now + linkOptions.Value.LifetimeOf(LinkPurpose.Survey);
        var expires = survey.Current?.ClosesAt is { } closes && closes < lifetimeEnd ? closes : lifetimeEnd;
        return new SurveyMail(content, sourceId, campaign.Wave, campaign.Reminder, answered, links, expires, company.Value.Name, survey.Current?.ClosesAt, calendar);
    }

    /// <param name="answered">Who answered the wave (alumnus ids), whom an attributed survey's reminder leaves out; null: nobody is left out for having answered.</param>
    private sealed class SurveyMail(
        SurveyContent content, string campaignId, SurveyWave wave, bool reminder, IReadOnlySet<string>? answered, AlumniLinks links,
        DateTimeOffset linksExpire, string companyName, DateTimeOffset? closesAt, CompanyCalendar calendar) : ICampaignMail
    {
        private readonly string original = reminder ? campaignId[..^SurveyCampaigns.ReminderSuffix.Length] : campaignId;

        public MailTemplate Template(Locale locale) => SurveyEmail.Template(content, locale, companyName, reminder, closesAt, calendar);

        // Survey links are not rewritten for click tracking, nor opens counted: in an anonymous survey a click's or an
        // open's time (an open rewrites the person's send row and engagement) beside a response's would link the two.
        public bool TracksClicks => false;

        public bool TracksOpens => false;

        // Who an attributed reminder leaves out at send time answered since it was planned, and who any campaign leaves
        // out was reached by another of the wave: only counted on the batch, as a dated decision per person would say more.
        public bool ExclusionsArePrivate => true;

        public bool Includes(IRecipient alumnus, Profile? profile) => reminder
            ? alumnus.Contacts.Any(c => c.CampaignId == original) && answered?.Contains(alumnus.Id.Value) != true
            : !alumnus.Contacts.Any(c => c.CampaignId != campaignId && SurveyCampaigns.Parse(c.CampaignId) is { Reminder: false } other &&
                other.Wave.SurveyId == wave.SurveyId && other.Wave.Wave == wave.Wave);

        public IReadOnlyDictionary<string, string> Values(IRecipient recipient) => new Dictionary<string, string>
        {
            [SurveyEmail.NameKey] = recipient.Locale == Locale.Japanese
                ? $"{recipient.FamilyName} {recipient.GivenName} 様"
                : $"Dear {recipient.GivenName} {recipient.FamilyName},",
            [SurveyEmail.UrlKey] = links.Absolute(LinkPurpose.Survey, recipient, scope: wave.Scope, expiresAt: linksExpire).AbsoluteUri,
        };
    }
}
