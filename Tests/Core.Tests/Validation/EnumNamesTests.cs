using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Core.Tests.Validation;

public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("Alumni", false, true)]
    [InlineData("alumni", false, false)]
    [InlineData("alumni", true, true)]
    [InlineData("1", false, false)]
    [InlineData("-1", true, false)]
    [InlineData("Private, Alumni", true, false)]
    [InlineData("Private,Alumni", false, false)]
    [InlineData(" Alumni", false, false)]
    [InlineData("", false, false)]
    [InlineData(null, true, false)]
    public void OnlyExactNamesParse(string? text, bool ignoreCase, bool parses)
    {
        Assert.Equal(parses, EnumNames.TryParse<FieldVisibility>(text, ignoreCase, out var value));
        Assert.Equal(parses ? FieldVisibility.Alumni : default, value);
    }

    [Fact]
    public void List_NamesEveryMember() => Assert.Equal("Private, Alumni, Employees", EnumNames.List<FieldVisibility>());
}
