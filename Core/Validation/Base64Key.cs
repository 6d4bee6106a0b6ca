namespace AlumniNetwork.Core.Validation;

/// <summary>Decodes configured keys and secrets without throwing, so options validation can report a bad one by name.</summary>
public static class Base64Key
{
    /// <returns>The decoded bytes, or null when the text is not base64.</returns>
    public static byte[]? Decode(string? base64)
    {
        var buffer = new byte[((base64?.Length ?? 0) * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64 ?? "", buffer, out var written) ? buffer[..written] : null;
    }
}
