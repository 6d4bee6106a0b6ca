using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// Turns a campaign's mail and a batch's recipients into provider requests: the content of the batch's language once,
/// with each recipient's values (names, signed links, refusal link) as substitutions, their own subject and one-click
/// unsubscribe headers, and ids in custom args for the provider's events. A batch holding both languages (the last
/// one of a campaign) carries each recipient's whole rendered body instead, or becomes one request per language when
/// that does not fit the provider's substitution limit.
/// </summary>
public sealed class CampaignMailBuilder(PromotionalFooter footer)
{
    private const string BodyText = "{{body}}";
    private const string BodyHtml = "{{body|h}}";

    /// <returns>
    /// The requests to make, each with its recipients in the order of its personalizations and the message built when
    /// asked for: a batch knows its requests before it writes its ledger, and holds each message only while it is sent.
    /// </returns>
    /// <param name="attempt">The batch request these ride on: each recipient's send id carries it.</param>
    public IReadOnlyList<(Func<BulkMessage> Message, IRecipient[] Recipients)> Build(Campaign campaign, CampaignBatch batch, ICampaignMail mail, IReadOnlyList<IRecipient> recipients, int attempt = 1)
    {
        var purpose = CampaignKinds.PurposeOf(campaign.Kind);
        string[] categories = [purpose.ToString(), campaign.Kind.ToString()];
        var byLocale = recipients.GroupBy(r => r.Locale).Select(g => (Locale: g.Key, Recipients: g.ToArray())).ToArray();
        if (byLocale.Length > 1)
        {
            var rendered = recipients.Select(r => Rendered(campaign, batch, mail, r, attempt)).ToArray();
            if (rendered.All(r => SubstitutionBytes(r.Substitutions) < BulkMessage.MaxSubstitutionBytes))
            {
                return [(() => new BulkMessage(BodyHtml, BodyText, categories, rendered) { TrackClicks = mail.TracksClicks, TrackOpens = mail.TracksOpens }, recipients.ToArray())];
            }
        }

        return byLocale.Select(group => (new Func<BulkMessage>(() => Shared(campaign, batch, mail, group.Locale, group.Recipients, categories, attempt)), group.Recipients)).ToArray();
    }

    /// <summary>The mail exactly as one recipient gets it: for previews, and the body of a mixed-language batch.</summary>
    public EmailMessage Render(Campaign campaign, ICampaignMail mail, IRecipient recipient, string batchKey, int attempt = 1)
    {
        var template = footer.AppendTo(mail.Template(recipient.Locale), recipient.Locale);
        var values = Values(campaign, mail, recipient);
        return new EmailMessage(
            recipient.PersonalEmail,
            $"{recipient.FamilyName} {recipient.GivenName}",
            Placeholders.Fill(template.Subject, values, html: false),
            Placeholders.Fill(template.Html, values, html: true),
            Placeholders.Fill(template.Text, values, html: false),
            [CampaignKinds.PurposeOf(campaign.Kind).ToString(), campaign.Kind.ToString()],
            CustomArgs(campaign, batchKey, recipient, attempt))
        {
            Headers = PromotionalFooter.Headers(values),
        };
    }

    /// <summary>
    /// The mail as one recipient gets it when it goes to them alone through the single send path (an opening sent later
    /// to a person compliance approved, ADR 0028): the same content without the footer, which that path adds.
    /// </summary>
    public static EmailMessage RenderAlone(string campaignId, CampaignKind kind, ICampaignMail mail, IRecipient recipient)
    {
        var template = mail.Template(recipient.Locale);

        // Literal: the promotional footer fills placeholders again over the result, so no value (a name) may hold one.
        var values = mail.Values(recipient).ToDictionary(v => v.Key, v => Placeholders.Literal(v.Value), StringComparer.Ordinal);
        return new EmailMessage(
            recipient.PersonalEmail,
            $"{recipient.FamilyName} {recipient.GivenName}",
            Placeholders.Fill(template.Subject, values, html: false),
            Placeholders.Fill(template.Html, values, html: true),
            Placeholders.Fill(template.Text, values, html: false),
            [CampaignKinds.PurposeOf(kind).ToString(), kind.ToString()],
            new Dictionary<string, string>(StringComparer.Ordinal) { ["campaign"] = campaignId, ["alumnusId"] = recipient.Id.Value });
    }

    private BulkMessage Shared(Campaign campaign, CampaignBatch batch, ICampaignMail mail, Locale locale, IReadOnlyList<IRecipient> recipients, string[] categories, int attempt)
    {
        var template = footer.AppendTo(mail.Template(locale), locale);
        var used = Placeholders.KeysIn(template.Html).Union(Placeholders.KeysIn(template.Text)).ToHashSet(StringComparer.Ordinal);
        var personalized = recipients.Select(r =>
        {
            var values = Values(campaign, mail, r);
            return new BulkRecipient(
                r.PersonalEmail,
                $"{r.FamilyName} {r.GivenName}",
                Placeholders.Fill(template.Subject, values, html: false),
                Placeholders.Substitutions(values.Where(v => used.Contains(v.Key)).ToDictionary()),
                PromotionalFooter.Headers(values),
                CustomArgs(campaign, batch.Key, r, attempt));
        }).ToArray();
        return new BulkMessage(Placeholders.ToHtmlTags(template.Html), template.Text, categories, personalized) { TrackClicks = mail.TracksClicks, TrackOpens = mail.TracksOpens };
    }

    private BulkRecipient Rendered(Campaign campaign, CampaignBatch batch, ICampaignMail mail, IRecipient recipient, int attempt)
    {
        var message = Render(campaign, mail, recipient, batch.Key, attempt);
        return new BulkRecipient(message.To, message.ToName, message.Subject,
            new Dictionary<string, string> { [BodyHtml] = Placeholders.Literal(message.Html), [BodyText] = Placeholders.Literal(message.Text) }, message.Headers, message.CustomArgs);
    }

    private Dictionary<string, string> Values(Campaign campaign, ICampaignMail mail, IRecipient recipient)
    {
        var values = new Dictionary<string, string>(mail.Values(recipient), StringComparer.Ordinal);
        if (values.Keys.FirstOrDefault(k => !Placeholders.IsKey(k)) is { } bad)
        {
            throw new InvalidOperationException($"The {campaign.Kind} mail names a value '{bad}', which no placeholder can take: keys are lower-case letters, digits and '_'.");
        }

        foreach (var (key, value) in footer.Values(recipient, CampaignKinds.PurposeOf(campaign.Kind)))
        {
            values[key] = value;
        }

        return values;
    }

    /// <summary>Ids only: the campaign, the alumnus, and the send id the provider's events carry back (ADR 0015).</summary>
    private static Dictionary<string, string> CustomArgs(Campaign campaign, string batchKey, IRecipient recipient, int attempt) => new(StringComparer.Ordinal)
    {
        ["campaign"] = campaign.Id,
        ["alumnusId"] = recipient.Id.Value,
        [Sends.SendId.CustomArg] = new Sends.SendId(batchKey, recipient.Id, Math.Max(attempt, 1)).ToString(),
    };

    private static int SubstitutionBytes(IReadOnlyDictionary<string, string> substitutions) =>
        substitutions.Sum(s => System.Text.Encoding.UTF8.GetByteCount(s.Key) + System.Text.Encoding.UTF8.GetByteCount(s.Value));
}
