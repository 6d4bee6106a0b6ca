using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Email;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Campaigns;

/// <summary>
/// A mail as its recipient would see it, for an admin: the HTML inside a sandboxed frame (no script, no form, no access to
/// the console, as the development outbox shows mails), with the subject, the text part and a switch of language.
/// </summary>
public static class MailPreview
{
    /// <param name="path">The preview page itself, to which the language switch adds <c>?locale=</c>.</param>
    public static string Render(ConsoleView view, EmailMessage mail, Locale shown, string path)
    {
        string Switch(Locale locale, string label) => locale == shown
            ? $"""<strong aria-current="page">{label}</strong>"""
            : $"""<a href="{E(path)}?locale={locale.ToTag()}" hreflang="{locale.ToTag()}">{label}</a>""";
        return $"""
            <p>{view.T("言語", "Language")}: {Switch(Locale.Japanese, "日本語")} · {Switch(Locale.English, "English")}</p>
            <p class="secondary">{view.T("見本の宛先 (架空の会員) に差し込んだ内容です。リンクは誰にもつながりません。",
                "Rendered for a sample recipient (a made-up member); its links lead to nobody.")}</p>
            <table><tbody>
            <tr><th scope="row">{view.T("件名", "Subject")}</th><td>{E(mail.Subject)}</td></tr>
            <tr><th scope="row">{view.T("添付", "Attachments")}</th><td>{(mail.Attachments.Count == 0 ? "—" : E(string.Join(", ", mail.Attachments.Select(a => a.FileName))))}</td></tr>
            </tbody></table>
            <iframe title="{E(mail.Subject)}" sandbox="" referrerpolicy="no-referrer" class="mail-preview" srcdoc="{E(mail.Html)}"></iframe>
            <details><summary>{view.T("テキスト版", "Text version")}</summary><pre>{E(mail.Text)}</pre></details>
            """;
    }
}
