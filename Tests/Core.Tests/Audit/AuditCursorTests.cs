using System.Buffers.Text;
using System.Text;
using AlumniNetwork.Core.Audit;

namespace AlumniNetwork.Core.Tests.Audit;

public sealed class AuditCursorTests
{
    private static readonly AuditCursor Cursor = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1234567), "0123456789abcdef0123456789abcdef");

    private static string Raw(string text) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void EncodedCursor_ParsesBackToTheSamePosition()
    {
        Assert.True(AuditCursor.TryParse(Cursor.Encode(), out var parsed));
        Assert.Equal(Cursor, parsed);
    }

    [Fact]
    public void EncodedCursor_IsUrlSafe() => Assert.DoesNotContain(Cursor.Encode(), c => c is '+' or '/' or '=' or '%' or '&');

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("%%%%")]
    [InlineData("AAAA")]
    public void Garbage_IsNoCursor(string? value) => Assert.False(AuditCursor.TryParse(value, out _));

    [Theory]
    [InlineData("0639001234567890000.0123456789abcdef0123456789abcdef0")] // id too long
    [InlineData("0639001234567890000.0123456789abcdef0123456789abcde")] // id too short
    [InlineData("0639001234567890000.0123456789ABCDEF0123456789abcdef")] // not as the log writes ids
    [InlineData("0639001234567890000-0123456789abcdef0123456789abcdef")] // wrong separator
    [InlineData("+639001234567890000.0123456789abcdef0123456789abcdef")] // a sign
    [InlineData(" 639001234567890000.0123456789abcdef0123456789abcdef")] // a space
    [InlineData("9999999999999999999.0123456789abcdef0123456789abcdef")] // past the last instant
    [InlineData("063900123456789000x.0123456789abcdef0123456789abcdef")]
    public void WellEncodedButOutOfShape_IsNoCursor(string text) => Assert.False(AuditCursor.TryParse(Raw(text), out _));

    [Fact]
    public void EditedCursor_IsNoCursor()
    {
        var encoded = Cursor.Encode();
        var edited = encoded[..^1] + (encoded[^1] == 'A' ? 'B' : 'A');

        Assert.False(AuditCursor.TryParse(encoded[..^2], out _));
        // An edit that keeps the shape names another position: still a cursor, but never this one.
        Assert.True(!AuditCursor.TryParse(edited, out var other) || other != Cursor);
    }
}
