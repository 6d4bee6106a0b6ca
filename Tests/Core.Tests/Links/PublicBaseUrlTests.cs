using System.ComponentModel.DataAnnotations;
using AlumniNetwork.Core.Company;

namespace AlumniNetwork.Core.Tests.Links;

public sealed class PublicBaseUrlTests
{
    private static List<ValidationResult> Problems(Uri publicBaseUrl)
    {
        var options = new CompanyOptions { Name = "Example", PublicBaseUrl = publicBaseUrl };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Theory]
    [InlineData("https://example.co.jp")]
    [InlineData("https://example.co.jp/")]
    [InlineData("http://localhost:7071/")]
    public void HostOnlyBase_IsAccepted(string publicBaseUrl) => Assert.Empty(Problems(new Uri(publicBaseUrl)));

    [Theory]
    [InlineData("https://example.co.jp/alumni")]
    [InlineData("https://example.co.jp/alumni/")]
    [InlineData("https://example.co.jp/?tenant=a")]
    [InlineData("https://example.co.jp/#top")]
    [InlineData("ftp://example.co.jp/")]
    public void BaseWithAPathQueryOrFragment_IsRefused_NamingTheSetting(string publicBaseUrl)
    {
        var problem = Assert.Single(Problems(new Uri(publicBaseUrl)));

        Assert.Equal([nameof(CompanyOptions.PublicBaseUrl)], problem.MemberNames);
        Assert.Contains("Company:PublicBaseUrl must be an http(s) address of scheme and host only", problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeBase_IsRefused() => Assert.Single(Problems(new Uri("alumni", UriKind.Relative)));
}
