using AlumniNetwork.Core.Email;

namespace AlumniNetwork.Core.Tests.Email;

public sealed class PlaceholdersTests
{
    private static readonly Dictionary<string, string> Values = new() { ["name"] = "<Ken> & Co", ["url"] = "https://x.example/?a=1&b=2" };

    [Fact]
    public void Fill_EscapesForHtmlOnly()
    {
        Assert.Equal("Dear <Ken> & Co: https://x.example/?a=1&b=2", Placeholders.Fill("Dear {{name}}: {{url}}", Values, html: false));
        Assert.Equal("<p>&lt;Ken&gt; &amp; Co <a href=\"https://x.example/?a=1&amp;b=2\">", Placeholders.Fill("<p>{{name}} <a href=\"{{url}}\">", Values, html: true));
    }

    [Fact]
    public void UnknownPlaceholder_IsLeftVisible() => Assert.Equal("{{missing}}", Placeholders.Fill("{{missing}}", Values, html: false));

    [Fact]
    public void SubstitutionTags_GiveTheSameResultAsFilling()
    {
        const string html = "<p>{{name}} <a href=\"{{url}}\">go</a></p>";
        var tagged = Placeholders.ToHtmlTags(html);

        var substituted = Placeholders.Substitutions(Values).Aggregate(tagged, (text, s) => text.Replace(s.Key, s.Value, StringComparison.Ordinal));

        Assert.Equal(Placeholders.Fill(html, Values, html: true), substituted);
    }

    [Theory]
    [InlineData("Use {{name}} in your reply")]
    [InlineData("Three braces {{{name}} still text")]
    [InlineData("Many {{{{{name}}}}} braces")]
    public void LiteralText_NeverBecomesAPlaceholder(string from)
    {
        var text = Placeholders.Literal(from);

        Assert.Empty(Placeholders.KeysIn(text));
        Assert.Equal(text, Placeholders.Fill(text, Values, html: false));
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.Equal(from, text.Replace("\u200B", "", StringComparison.Ordinal));
    }

    [Fact]
    public void SubstitutionValues_HoldNoTag_SoTheProviderCannotSubstituteInsideThem()
    {
        var substitutions = Placeholders.Substitutions(new Dictionary<string, string> { ["name"] = "{{link}} {{{link|h}}", ["link"] = "https://example.com/x" });

        Assert.All(substitutions.Values, value => Assert.DoesNotContain("{{", value, StringComparison.Ordinal));
        Assert.Equal("{{link}} {{{link|h}}", substitutions["{{name}}"].Replace("\u200B", "", StringComparison.Ordinal));
    }
}
