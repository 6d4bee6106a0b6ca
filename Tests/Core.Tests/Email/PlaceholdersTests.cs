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

    [Fact]
    public void LiteralText_NeverBecomesAPlaceholder()
    {
        var text = Placeholders.Literal("Use {{name}} in your reply");

        Assert.Empty(Placeholders.KeysIn(text));
        Assert.Equal(text, Placeholders.Fill(text, Values, html: false));
    }
}
