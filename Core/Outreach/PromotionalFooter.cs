using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Core.Email.Html;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Outreach;

/// <summary>
/// What every promotional email must carry (Japan's Act on Specified Electronic Mail; RFC 8058): the sender's name
/// and postal address, a refusal link, an enquiry contact, and one-click <c>List-Unsubscribe</c> headers. The welcome
/// invitation carries it too, with no purpose: its refusal link refuses every further email.
/// </summary>
public sealed class PromotionalFooter(AlumniLinks links, IOptions<CompanyOptions> company, IOptions<OutreachOptions> outreach)
{
    /// <param name="purpose">The email's purpose, which its refusal link withdraws; null for a refusal of every email.</param>
    public EmailMessage Apply(EmailMessage message, Alumnus alumnus, ConsentPurpose? purpose)
    {
        var unsubscribe = links.Absolute(LinkPurpose.Unsubscribe, alumnus.Id, purpose is { } p ? $"category={p}" : null).AbsoluteUri;
        var preferences = links.Absolute(LinkPurpose.Preferences, alumnus.Id).AbsoluteUri;
        var ja = alumnus.Locale == Locale.Japanese;
        var sender = company.Value.Name;
        var address = outreach.Value.PostalAddress;
        var contact = outreach.Value.EnquiryContact;
        var lines = ja
            ? new[] { $"送信者: {sender}", $"住所: {address}", $"お問い合わせ: {contact}", "配信停止（受信拒否）", "配信設定の変更" }
            : new[] { $"Sender: {sender}", $"Address: {address}", $"Enquiries: {contact}", "Unsubscribe (refuse further emails)", "Change your email preferences" };

        var html = $"""
            <hr><p style="font-size: 0.8em; color: #444444;">{E(lines[0])}<br>{E(lines[1])}<br>{E(lines[2])}<br>
            <a href="{E(unsubscribe)}">{E(lines[3])}</a> | <a href="{E(preferences)}">{E(lines[4])}</a></p>
            """;
        var text = $"""


            --
            {lines[0]}
            {lines[1]}
            {lines[2]}
            {lines[3]}: {unsubscribe}
            {lines[4]}: {preferences}
            """;
        var bodyEnd = message.Html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var headers = new Dictionary<string, string>(message.Headers)
        {
            ["List-Unsubscribe"] = $"<{unsubscribe}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        };
        return message with
        {
            Html = bodyEnd < 0 ? message.Html + html : message.Html.Insert(bodyEnd, html),
            Text = message.Text + text,
            Headers = headers,
        };
    }
}
