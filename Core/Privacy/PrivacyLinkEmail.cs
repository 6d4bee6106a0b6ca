using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Links;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Privacy;

/// <summary>The export or erase link an alumnus asked for, in their language, as HTML and text. All stored text is escaped.</summary>
public static class PrivacyLinkEmail
{
    public const string Category = "privacy-link";

    /// <param name="kind"><see cref="LinkPurpose.Export"/> or <see cref="LinkPurpose.Erase"/>.</param>
    /// <param name="lifetime">How long <paramref name="link"/> works.</param>
    public static EmailMessage Render(Alumnus a, string companyName, LinkPurpose kind, Uri link, TimeSpan lifetime, string campaignId)
    {
        var l = a.Locale;
        var export = kind == LinkPurpose.Export;
        var days = ((int)Math.Ceiling(lifetime.TotalDays)).ToString(CultureInfo.InvariantCulture);
        var subject = export
            ? T(l, $"{companyName} アルムナイネットワーク: 登録データのダウンロード用リンク", $"{companyName} alumni network: your link to download your data")
            : T(l, $"{companyName} アルムナイネットワーク: 登録データの削除用リンク", $"{companyName} alumni network: your link to erase your data");
        var greeting = l == Locale.Japanese ? $"{a.FamilyName} {a.GivenName} 様" : $"Dear {a.GivenName} {a.FamilyName},";
        var lead = export
            ? T(l, "ご依頼により、当社がお客様について保持しているデータをダウンロードするためのリンクをお送りします。",
                "As you asked, here is a link to download the data we hold about you.")
            : T(l, "ご依頼により、アルムナイネットワークのお客様のデータを削除するためのリンクをお送りします。削除の前に確認の画面が表示されます。",
                "As you asked, here is a link to erase your data from the alumni network. You will be asked to confirm before anything is erased.");
        var action = export ? T(l, "データをダウンロードする", "Download your data") : T(l, "データの削除に進む", "Go to erasing your data");
        var expiry = T(l, $"このリンクは{days}日間有効です。他の方に転送しないでください。", $"This link works for {days} days. Please do not forward it.");
        var notMe = T(l, "お心当たりのない場合は、このメールを破棄してください。データは変更されていません。",
            "If you did not ask for this, please delete this email; nothing has been changed.");
        var html = MailLayout.Wrap(l, subject, $"""
            <p>{E(greeting)}</p>
            <p>{E(lead)}</p>
            <p>{MailLayout.Button(E(link.AbsoluteUri), action)}</p>
            <p style="font-size: 0.9em; color: #444444;">{E(expiry)}</p>
            <p style="font-size: 0.9em; color: #444444;">{E(notMe)}</p>
            """, companyName);
        var text = $"""
            {greeting}

            {lead}

            {action}: {link.AbsoluteUri}

            {expiry}
            {notMe}

            --
            {companyName}
            """;
        return new EmailMessage(a.PersonalEmail, $"{a.FamilyName} {a.GivenName}", subject, html, text, [Category],
            new Dictionary<string, string> { ["campaign"] = campaignId, ["alumnusId"] = a.Id.Value });
    }

    private static string T(Locale l, string japanese, string english) => l == Locale.Japanese ? japanese : english;
}
