using System.Net;

namespace AlumniNetwork.Core.Email;

/// <summary>Escaping for every piece of stored or configured text placed in an HTML email.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
