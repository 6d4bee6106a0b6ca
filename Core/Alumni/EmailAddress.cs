using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;

namespace AlumniNetwork.Core.Alumni;

/// <summary>A syntactically valid email address, trimmed; compared and indexed case-insensitively.</summary>
public sealed record EmailAddress
{
    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    /// <summary>The form addresses are compared in: mail systems treat addresses case-insensitively in practice.</summary>
    public string Normalized => Value.ToLowerInvariant();

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out EmailAddress? address)
    {
        address = null;
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.DisplayName.Length > 0)
        {
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        if (at < 1 || !trimmed[(at + 1)..].Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        address = new EmailAddress(trimmed);
        return true;
    }

    public static EmailAddress Parse(string value) =>
        TryParse(value, out var address) ? address : throw new FormatException("The value is not a valid email address.");

    public override string ToString() => Value;
}
