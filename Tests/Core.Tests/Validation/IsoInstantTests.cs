using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Tests.Validation;

public sealed class IsoInstantTests
{
    [Theory]
    [InlineData("2027-01-04T10:00:00+09:00", "2027-01-04T01:00:00Z")]
    [InlineData("2027-01-04T10:00+09:00", "2027-01-04T01:00:00Z")]
    [InlineData("2027-01-04T10:00:00.5-05:00", "2027-01-04T15:00:00.5Z")]
    [InlineData("2027-01-04T10:00:00Z", "2027-01-04T10:00:00Z")]
    [InlineData("2027-01-04T10:00Z", "2027-01-04T10:00:00Z")]
    [InlineData("2027-01-04T10:00:00.123456789Z", "2027-01-04T10:00:00.1234567Z")]
    [InlineData("2027-01-04T10:00:00.12345678+09:00", "2027-01-04T01:00:00.1234567Z")]
    public void DateTimeWithItsOffset_IsThatInstant(string text, string utc)
    {
        Assert.True(IsoInstant.TryParse(text, out var instant));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("2027-01-04T10:00:00")]
    [InlineData("2027-01-04T10:00")]
    [InlineData("2027-01-04")]
    [InlineData("2027-01-04 10:00:00+09:00")]
    [InlineData("04/01/2027 10:00 +09:00")]
    [InlineData("2027-01-04T10:00:00.1234567890Z")]
    [InlineData("2027-01-04T10:00:00.123456789")]
    [InlineData("")]
    [InlineData(null)]
    public void WithoutAnOffset_OrNotIso_IsRefused(string? text) => Assert.False(IsoInstant.TryParse(text, out _));
}
