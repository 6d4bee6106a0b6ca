using System.Diagnostics.CodeAnalysis;

namespace AlumniNetwork.Core.Alumni;

/// <summary>Opaque, random id of an alumnus: 32 lower-case hex characters. Never derived from personal data.</summary>
public readonly record struct AlumnusId
{
    private AlumnusId(string value) => Value = value;

    public string Value { get; }

    /// <summary>Table partition for this alumnus: the first two hex characters spread rows over 256 partitions.</summary>
    public string Bucket => Value[..2];

    public static AlumnusId New() => new(Guid.NewGuid().ToString("N"));

    public static bool TryParse([NotNullWhen(true)] string? value, out AlumnusId id)
    {
        id = default;
        if (value is not { Length: 32 } || !value.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = new AlumnusId(value);
        return true;
    }

    public static AlumnusId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException("An alumnus id is 32 lower-case hex characters.");

    public override string ToString() => Value;
}
