using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// What every promotional email must carry (Japan's Act on Specified Electronic Mail; RFC 8058): the sender's name
/// and postal address, a refusal link, an enquiry contact, and one-click <c>List-Unsubscribe</c> headers. The footer is
/// a template with the recipient's links as placeholders, so a campaign shares it across a thousand recipients and a
/// single email fills it at once: both get the same words. The welcome invitation carries it too, with no purpose: its
/// refusal link refuses every further email.
/// </summary>
public sealed class PromotionalFooter(AlumniLinks links, IOptions<CompanyOptions> company, IOptions<OutreachOptions> outreach)
{
    public const string UnsubscribeKey = "unsubscribe_url";
    public const string PreferencesKey = "preferences_url";

    /// <summary>The template with the footer of its language appended (before <c>&lt;/body&gt;</c> in HTML).</summary>
    public MailTemplate AppendTo(MailTemplate template, Locale locale)
    {
        var ja = locale == Locale.Japanese;
        var sender = Placeholders.Literal(company.Value.Name);
        var address = Placeholders.Literal(outreach.Value.PostalAddress);
        var contact = Placeholders.Literal(outreach.Value.EnquiryContact);
        var lines = ja
            ? new[] { $"送信者: {sender}", $"住所: {address}", $"お問い合わせ: {contact}", "配信停止（受信拒否）", "配信設定の変更" }
            : new[] { $"Sender: {sender}", $"Address: {address}", $"Enquiries: {contact}", "Unsubscribe (refuse further emails)", "Change your email preferences" };

        var html = $$$"""
            <hr><p style="font-size: 0.8em; color: #444444;">{{{E(lines[0])}}}<br>{{{E(lines[1])}}}<br>{{{E(lines[2])}}}<br>
            <a href="{{{{{UnsubscribeKey}}}}}">{{{E(lines[3])}}}</a> | <a href="{{{{{PreferencesKey}}}}}">{{{E(lines[4])}}}</a></p>
            """;
        var text = $$$"""


            --
            {{{lines[0]}}}
            {{{lines[1]}}}
            {{{lines[2]}}}
            {{{lines[3]}}}: {{{{{UnsubscribeKey}}}}}
            {{{lines[4]}}}: {{{{{PreferencesKey}}}}}
            """;
        var bodyEnd = template.Html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return template with
        {
            Html = bodyEnd < 0 ? template.Html + html : template.Html.Insert(bodyEnd, html),
            Text = template.Text + text,
        };
    }

    /// <summary>The recipient's refusal and preference links, the values of the footer's placeholders.</summary>
    /// <param name="purpose">The email's purpose, which its refusal link withdraws; null for a refusal of every email.</param>
    public IReadOnlyDictionary<string, string> Values(IRecipient alumnus, ConsentPurpose? purpose) => new Dictionary<string, string>
    {
        // The category is signed into the token (ManageConsent.UnsubscribeScope); the query value is only its label.
        [UnsubscribeKey] = links.Absolute(LinkPurpose.Unsubscribe, alumnus, purpose is { } p ? $"category={p}" : null, ManageConsent.UnsubscribeScope(purpose)).AbsoluteUri,
        [PreferencesKey] = links.Absolute(LinkPurpose.Preferences, alumnus).AbsoluteUri,
    };

    /// <summary>RFC 8058 one-click unsubscribe: the refusal link, answered by a POST without a page.</summary>
    public static IReadOnlyDictionary<string, string> Headers(IReadOnlyDictionary<string, string> values) => new Dictionary<string, string>
    {
        ["List-Unsubscribe"] = $"<{values[UnsubscribeKey]}>",
        ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
    };

    /// <param name="purpose">The email's purpose, which its refusal link withdraws; null for a refusal of every email.</param>
    public EmailMessage Apply(EmailMessage message, Alumnus alumnus, ConsentPurpose? purpose)
    {
        var footer = AppendTo(new MailTemplate(message.Subject, message.Html, message.Text), alumnus.Locale);
        var values = Values(alumnus, purpose);
        return message with
        {
            Html = Placeholders.Fill(footer.Html, values, html: true),
            Text = Placeholders.Fill(footer.Text, values, html: false),
            Headers = new Dictionary<string, string>(message.Headers.Concat(Headers(values))),
        };
    }
}
