using AlumniNetwork.Core.Conflicts;

namespace AlumniNetwork.Core.Tests.Conflicts;

public sealed class RegisterFormTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static (RegisterEntry? Entry, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(
        string? name = "株式会社サンプル商事", string? category = "Competitor", string? aliases = null, string? coolingOff = null) =>
        new RegisterForm(name, category, aliases, coolingOff).Parse(RegisterEntry.NewId(), "officer", Now);

    [Fact]
    public void ValidEntry_KeepsNamesAsWritten_AndKeysThemNormalised()
    {
        var (entry, errors) = Parse(aliases: "Sample Trading Co., Ltd.\r\n\r\n  さんぷる商事  \n", coolingOff: "180");

        Assert.Empty(errors);
        Assert.Equal(["Sample Trading Co., Ltd.", "さんぷる商事"], entry!.Aliases);
        Assert.Equal(180, entry.CoolingOffDays);
        Assert.Equal(["サンプル商事", "sampletrading", "さんぷる商事"], entry.Keys.ToArray());
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("株式会社", "name")]
    [InlineData("(株)", "name")]
    [InlineData("Co., Ltd.", "name")]
    public void NameThatNormalisesToNothing_IsRefused(string name, string field)
    {
        var (entry, errors) = Parse(name);

        Assert.Null(entry);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("Inc.", "aliases[0]")]
    [InlineData("Sample Trading\nサンプル商事（株）", "aliases[1]")]
    [InlineData("Sample Trading\nSAMPLE TRADING CORP.", "aliases[1]")]
    public void AliasThatIsEmptyOrRepeatsAName_IsRefusedByItsLine(string aliases, string field) =>
        Assert.Equal(field, Assert.Single(Parse(aliases: aliases).Errors).Field);

    [Theory]
    [InlineData("Sample\u202ETrading", "株式会社サンプル商事", "aliases[0]")]
    [InlineData("Sample Trading\nさんぷる\u2028商事", "株式会社サンプル商事", "aliases[1]")]
    [InlineData(null, "株式会社\u2066サンプル商事\u2069", "name")]
    public void NameOrAliasWithMisleadingCharacters_IsRefusedByItsLine(string? aliases, string name, string field)
    {
        var (entry, errors) = Parse(name, aliases: aliases);

        Assert.Null(entry);
        Assert.Equal(new Core.Validation.FieldError(field, Core.Validation.FreeText.MisleadingRule), Assert.Single(errors));
    }

    [Fact]
    public void MoreThanTwentyAliases_AreRefused() =>
        Assert.Equal("aliases", Assert.Single(Parse(aliases: string.Join('\n', Enumerable.Range(1, 21).Select(i => $"Alias {i}"))).Errors).Field);

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("３０")]
    public void CoolingOffOutsideOneToTenYearsOfWholeDays_IsRefused(string days) =>
        Assert.Equal("coolingOffDays", Assert.Single(Parse(coolingOff: days).Errors).Field);

    [Theory]
    [InlineData("Partner")]
    [InlineData("competitor")]
    [InlineData("1")]
    [InlineData(null)]
    public void UnknownCategory_IsRefused(string? category) =>
        Assert.Equal("category", Assert.Single(Parse(category: category).Errors).Field);

    [Fact]
    public void ControlCharacterInAName_IsRefused() =>
        Assert.Equal("name", Assert.Single(Parse(name: "サンプル\u0007商事").Errors).Field);
}
