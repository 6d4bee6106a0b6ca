using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// JSON for storage only, never HTML or a script: escapes what JSON requires (<c>"</c>, <c>\</c> and control characters)
/// and writes every other character as it is. The built-in encoders, <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>
/// included, always escape a character outside the BMP (an emoji becomes the 12 characters <c>\uD83D\uDE00</c>) and some
/// 7,900 BMP ones (U+3000 ideographic space, private use, unassigned: 6 characters each), so a row's size depended on
/// which characters people typed. Here text a form takes (no control character but line breaks and tabs) is at most
/// twice its length, and only when it is all quotes, backslashes or line breaks (ADR 0034). A lone surrogate, which no
/// form passes, is written as U+FFFD, as the built-in encoders do.
/// </summary>
internal sealed class StorageJsonEncoder : JavaScriptEncoder
{
    public static readonly StorageJsonEncoder Instance = new();

    private StorageJsonEncoder()
    {
    }

    /// <summary><c>\u001F</c>: the longest escape written.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    // The base type's two abstract members take pointers; each only hands them on as a span.
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirstCharacterToEncode(new ReadOnlySpan<char>(text, textLength));

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        TryEncode(unicodeScalar, new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);

    private int FindFirstCharacterToEncode(ReadOnlySpan<char> text)
    {
        for (int i = 0, length; i < text.Length; i += length)
        {
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out length) != OperationStatus.Done || WillEncode(rune.Value))
            {
                return i;
            }
        }

        return -1;
    }

    private bool TryEncode(int scalar, Span<char> buffer, out int written)
    {
        if (!WillEncode(scalar))
        {
            return new Rune(scalar).TryEncodeToUtf16(buffer, out written);
        }

        var escape = scalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => "\\u00" + scalar.ToString("X2", CultureInfo.InvariantCulture),
        };
        written = escape.TryCopyTo(buffer) ? escape.Length : 0;
        return written > 0;
    }
}
