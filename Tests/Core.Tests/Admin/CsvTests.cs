using AlumniNetwork.Core.Admin;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class CsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("山田 花子", "山田 花子")]
    [InlineData("株式会社サンプル", "株式会社サンプル")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("line1\r\nline2", "\"line1\r\nline2\"")]
    [InlineData("山田,\"花子\"\n", "\"山田,\"\"花子\"\"\n\"")]
    [InlineData("a=b", "a=b")]
    [InlineData(" =1+1", " =1+1")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+81 3 1234 5678", "'+81 3 1234 5678")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("＠SUM(A1)", "'＠SUM(A1)")]
    public void Cell_QuotesAndNeutralisesFormulas(string? value, string expected) => Assert.Equal(expected, Csv.Cell(value));

    [Fact]
    public void Row_JoinsWithCommasAndEndsWithCrLf() =>
        Assert.Equal("a,\"b,c\",,'=x\r\n", Csv.Row(["a", "b,c", null, "=x"]));
}
