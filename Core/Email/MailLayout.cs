using AlumniNetwork.Core.Alumni;
using static AlumniNetwork.Core.Email.Html;

namespace AlumniNetwork.Core.Email;

/// <summary>The HTML frame of a one-to-one email: language, title, a readable column, and the company's name at the foot.</summary>
public static class MailLayout
{
    /// <param name="body">Already escaped.</param>
    public static string Wrap(Locale l, string subject, string body, string companyName) => $"""
        <!DOCTYPE html>
        <html lang="{l.ToTag()}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{E(subject)}</title></head>
        <body style="font-family: sans-serif; line-height: 1.6; color: #1a1a1a; max-width: 36rem; margin: 0 auto; padding: 1rem;">
        {body}
        <hr><p style="font-size: 0.8em; color: #444444;">{E(companyName)}</p>
        </body>
        </html>
        """;

    /// <param name="href">Already escaped (it may hold a placeholder).</param>
    public static string Button(string href, string label) =>
        $"""<a href="{href}" style="display: inline-block; background: #0b5394; color: #ffffff; padding: 0.75rem 1.25rem; text-decoration: none; border-radius: 4px;">{E(label)}</a>""";
}
