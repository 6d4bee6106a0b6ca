using System.Text;
using System.Text.Json;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Core.Tests.Storage;

public sealed class StorageJsonEncoderTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = StorageJsonEncoder.Instance };

    [Fact]
    public void EveryCharacterButQuoteBackslashAndControls_IsWrittenAsItIs_AndReadBack()
    {
        // Every Unicode scalar value, the planes past the BMP included: the built-in encoders escape those to 12 characters.
        var text = new StringBuilder();
        for (var scalar = 0x20; scalar <= 0x10FFFF; scalar++)
        {
            if (scalar is not ('"' or '\\' or (>= 0xD800 and <= 0xDFFF)))
            {
                text.Append(char.ConvertFromUtf32(scalar));
            }
        }

        var json = JsonSerializer.Serialize(text.ToString(), Json);

        Assert.Equal($"\"{text}\"", json);
        Assert.Equal(text.ToString(), JsonSerializer.Deserialize<string>(json, Json));
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("\n", "\\n")]
    [InlineData("\t", "\\t")]
    [InlineData("\u0001", "\\u0001")]
    public void QuoteBackslashAndControls_AreEscaped_AndReadBack(string text, string escaped)
    {
        var json = JsonSerializer.Serialize(text, Json);

        Assert.Equal($"\"{escaped}\"", json);
        Assert.Equal(text, JsonSerializer.Deserialize<string>(json, Json));
    }

    [Fact]
    public void EmojiBetweenEscapes_IsWrittenAsItIs()
    {
        Assert.Equal("\"\\\"😀\\n題\"", JsonSerializer.Serialize("\"😀\n題", Json));
    }

    [Fact]
    public void LoneSurrogate_IsWrittenAsAReplacementCharacter_NotRefused()
    {
        Assert.Equal("\"a\uFFFDb\"", JsonSerializer.Serialize("a\uD800b", Json));
    }
}
