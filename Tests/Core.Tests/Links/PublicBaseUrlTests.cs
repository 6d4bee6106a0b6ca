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
    [InlineData("http://127.0.0.1:7071/")]
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
        Assert.Contains("Company:PublicBaseUrl must be an https address of scheme and host only", problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://alumni.example.co.jp/")]
    [InlineData("http://10.0.0.5:7071/")]
    public void PlainHttpOffLoopback_IsRefused_NamingTheHttpsRule(string publicBaseUrl)
    {
        // The one-click List-Unsubscribe header starts with it, and RFC 8058 accepts only https there.
        var problem = Assert.Single(Problems(new Uri(publicBaseUrl)));

        Assert.Equal([nameof(CompanyOptions.PublicBaseUrl)], problem.MemberNames);
        Assert.Contains("Company:PublicBaseUrl must be an https address", problem.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("http only on localhost or a loopback address", problem.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeBase_IsRefused() => Assert.Single(Problems(new Uri("alumni", UriKind.Relative)));
}
