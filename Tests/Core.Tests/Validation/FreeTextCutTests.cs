using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Tests.Validation;

public sealed class FreeTextCutTests
{
    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("ab😀cd", 3, "ab")] // the emoji's two halves are both left out, not the first kept
    [InlineData("ab😀cd", 4, "ab😀")]
    [InlineData("ab👍🏽cd", 5, "ab")] // a thumbs-up with its skin tone (four UTF-16 units) is one character
    [InlineData("abe\u0301cd", 3, "ab")] // e with a combining acute accent
    [InlineData("ab🇯🇵", 3, "ab")] // a flag: two regional indicators
    [InlineData("", 0, "")]
    public void Cut_EndsOnACharacterBoundary_AtMostMaxLength(string text, int maxLength, string expected) =>
        Assert.Equal(expected, FreeText.Cut(text, maxLength));
}
