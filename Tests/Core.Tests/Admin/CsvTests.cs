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
    [InlineData("-", "'-")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("-A1", "'-A1")]
    [InlineData("-1.", "'-1.")]
    [InlineData("-.5", "'-.5")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("-1,000", "\"'-1,000\"")]
    [InlineData("-5\n", "\"'-5\n\"")]
    [InlineData("-１２", "'-１２")]
    [InlineData("－20", "'－20")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("＠SUM(A1)", "'＠SUM(A1)")]
    public void Cell_QuotesAndNeutralisesFormulas(string? value, string expected) => Assert.Equal(expected, Csv.Cell(value));

    /// <summary>A negative number is data (a survey's eNPS, say), not a formula: it stays a number in the spreadsheet.</summary>
    [Theory]
    [InlineData("-5")]
    [InlineData("-20")]
    [InlineData("-3.5")]
    [InlineData("-0.25")]
    [InlineData("-100")]
    public void Cell_LeavesAPlainNegativeNumberAsItIs(string value) => Assert.Equal(value, Csv.Cell(value));

    [Fact]
    public void Row_JoinsWithCommasAndEndsWithCrLf() =>
        Assert.Equal("a,\"b,c\",,'=x\r\n", Csv.Row(["a", "b,c", null, "=x"]));
}
