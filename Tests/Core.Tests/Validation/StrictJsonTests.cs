using System.Text;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Tests.Validation;

public sealed class StrictJsonTests
{
    private static IReadOnlyList<FieldError> Errors(string json) => Errors(Encoding.UTF8.GetBytes(json));

    private static IReadOnlyList<FieldError> Errors(byte[] body)
    {
        var (document, errors) = StrictJson.Parse(body, maxDepth: 8, "must be a well-formed JSON object");
        document?.Dispose();
        Assert.True(document is null == errors.Count > 0, "a document or problems, never both");
        return errors;
    }

    [Fact]
    public void WellFormedBodyWithEscapesAndJapaneseText_IsAccepted() =>
        Assert.Empty(Errors("""{"name":"山田 \u82b1\u5b50","emoji":"\ud83d\ude00","list":[{"a":1},{"a":2}],"n":null}"""));

    [Theory]
    [InlineData("{\"a\":", "$")]
    [InlineData("", "$")]
    [InlineData("{\"a\":1}{", "$")]
    public void MalformedBody_NamesTheRoot(string json, string field) =>
        Assert.Equal([new FieldError(field, "must be a well-formed JSON object")], Errors(json));

    [Fact]
    public void TooDeep_IsMalformed() =>
        Assert.Equal("$", Assert.Single(Errors(new string('[', 9) + new string(']', 9))).Field);

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "a")]
    [InlineData("""{"data":{"email":"x","email":"y"}}""", "data.email")]
    [InlineData("""{"data":{"email":"x","\u0065mail":"y"}}""", "data.email")]
    [InlineData("""[{"event":"a"},{"event":"a","event":"b"}]""", "[1].event")]
    [InlineData("""{"list":[[{"k":1,"k":1}]]}""", "list[0][0].k")]
    public void DuplicateKey_IsNamedByItsPath(string json, string path) =>
        Assert.Equal([new FieldError(path, StrictJson.DuplicateRule)], Errors(json));

    [Fact]
    public void DuplicateKeyThatIsNotAPlainName_IsReportedOnItsObjectWithoutEchoingIt()
    {
        var error = Assert.Single(Errors("""{"data":{"<b>x</b>":1,"<b>x</b>":2}}"""));

        Assert.Equal("data", error.Field);
        Assert.DoesNotContain("<b>", error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "a")]
    [InlineData("""{"a":"x\udc00y"}""", "a")]
    [InlineData("""{"a":"\ud800\u0041"}""", "a")]
    [InlineData("""{"data":{"list":["ok","\udfff"]}}""", "data.list[1]")]
    public void StringWithALoneSurrogate_IsNamedByItsPath(string json, string path) =>
        Assert.Equal([new FieldError(path, StrictJson.TextRule)], Errors(json));

    [Fact]
    public void StringWithInvalidUtf8_IsNamedByItsPath()
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"山田","city":"XX"}""");
        var at = body.AsSpan().IndexOf("XX"u8);
        (body[at], body[at + 1]) = (0xFF, 0xC3);

        Assert.Equal([new FieldError("city", StrictJson.TextRule)], Errors(body));
    }

    [Fact]
    public void KeyThatIsNotText_IsReportedOnItsObject() =>
        Assert.Equal([new FieldError("data", "must have keys that are valid Unicode text")], Errors("""{"data":{"\ud800":1}}"""));

    [Fact]
    public void HostileBodyWithManyProblems_GetsAShortAnswer()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"a":1,"a":2}""", 500)) + "]";

        Assert.Equal(StrictJson.MaxErrors, Errors(json).Count);
    }
}
