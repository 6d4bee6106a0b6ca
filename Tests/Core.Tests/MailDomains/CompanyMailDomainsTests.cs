using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Email;
using AlumniNetwork.Core.Openings;

namespace AlumniNetwork.Core.Tests.MailDomains;

/// <summary>Which addresses are the company's, which setting names the domains, and what stops the start.</summary>
public sealed class CompanyMailDomainsTests
{
    private static readonly CompanyMailDomains Domains = new(["example.co.jp", "Group.Example"]);

    private static SendGridOptions Sender(string from = "alumni@mail.example.co.jp") => new() { FromEmail = from };

    [Theory]
    [InlineData("taro@example.co.jp")]
    [InlineData("taro@corp.example.co.jp")]
    [InlineData("Taro@CORP.Example.Co.Jp")]
    [InlineData("hanako@group.example")]
    public void AddressAtADomainOrASubdomain_IsTheCompanys(string address) =>
        Assert.True(Domains.Contains(EmailAddress.Parse(address)));

    [Theory]
    [InlineData("taro@gmail.com")]
    [InlineData("taro@example.co.jp.evil.example")]
    [InlineData("taro@notexample.co.jp")]
    [InlineData("taro@co.jp")]
    public void AddressElsewhere_IsNotTheCompanys(string address) =>
        Assert.False(Domains.Contains(EmailAddress.Parse(address)));

    [Fact]
    public void Rule_NamesTheDomainsAndNoAddress() =>
        Assert.Equal("must be a work address at the company's mail domains (example.co.jp, group.example; subdomains count), not a private address", Domains.Rule);

    [Fact]
    public void CompanySetting_WinsOverTheOldNameAndTheSender() =>
        Assert.Equal(["example.co.jp"], CompanyMailDomains.From(
            new CompanyOptions { MailDomains = ["example.co.jp"] }, new OpeningsOptions { RecruiterMailboxDomains = ["example.co.jp"] }, Sender()).Domains);

    [Fact]
    public void OnlyTheOldOpeningsSetting_StillNamesTheDomains() =>
        Assert.Equal(["example.co.jp"], CompanyMailDomains.From(new CompanyOptions(), new OpeningsOptions { RecruiterMailboxDomains = ["example.co.jp"] }, Sender()).Domains);

    [Fact]
    public void NothingSet_IsTheSendersDomain() =>
        Assert.Equal(["mail.example.co.jp"], CompanyMailDomains.From(new CompanyOptions(), new OpeningsOptions(), Sender()).Domains);

    [Fact]
    public void SettingsThatAgree_HaveNoProblem() =>
        Assert.Empty(CompanyMailDomains.Problems(
            new CompanyOptions { MailDomains = ["example.co.jp", "group.example"] }, new OpeningsOptions { RecruiterMailboxDomains = ["GROUP.example", "example.co.jp"] }, Sender()));

    [Theory]
    [InlineData("taro@example.co.jp")]
    [InlineData("example")]
    [InlineData("")]
    [InlineData("exa mple.co.jp")]
    [InlineData("-example.co.jp")]
    public void MalformedCompanyDomain_IsAStartProblem_NamingTheSetting(string domain) =>
        Assert.Contains("Company:MailDomains must be mail domains", Assert.Single(
            CompanyMailDomains.Problems(new CompanyOptions { MailDomains = [domain] }, new OpeningsOptions(), Sender())), StringComparison.Ordinal);

    [Fact]
    public void OldNameNamingOtherDomains_IsAStartProblem() =>
        Assert.Contains("Openings:RecruiterMailboxDomains is the old name of Company:MailDomains", Assert.Single(CompanyMailDomains.Problems(
            new CompanyOptions { MailDomains = ["example.co.jp"] }, new OpeningsOptions { RecruiterMailboxDomains = ["careers.example"] }, Sender())), StringComparison.Ordinal);

    [Fact]
    public void SenderWithoutAMailDomain_AndNothingSet_IsAStartProblem() =>
        Assert.Contains("set Company:MailDomains", Assert.Single(
            CompanyMailDomains.Problems(new CompanyOptions(), new OpeningsOptions(), Sender("alumni@localhost"))), StringComparison.Ordinal);

    [Theory]
    [InlineData(".example.co.jp")]
    [InlineData("*.example.co.jp")]
    [InlineData("recruiting@example.co.jp")]
    public void MalformedOldName_InForce_IsAStartProblem_NamingTheOldSetting(string domain) =>
        Assert.Contains("Openings:RecruiterMailboxDomains (the old name of Company:MailDomains) must be mail domains", Assert.Single(
            CompanyMailDomains.Problems(new CompanyOptions(), new OpeningsOptions { RecruiterMailboxDomains = [domain] }, Sender())), StringComparison.Ordinal);

    [Theory]
    [InlineData("alumni@gmail.com")]
    [InlineData("alumni@outlook.com")]
    [InlineData("alumni@hotmail.com")]
    [InlineData("alumni@Yahoo.co.jp")]
    [InlineData("alumni@yahoo.com")]
    [InlineData("alumni@icloud.com")]
    public void SenderAtAPublicMailProvider_AndNothingSet_IsAStartProblem(string from) =>
        Assert.Contains("public mail provider's", Assert.Single(
            CompanyMailDomains.Problems(new CompanyOptions(), new OpeningsOptions(), Sender(from))), StringComparison.Ordinal);

    [Fact]
    public void SenderAtAPublicMailProvider_WithTheCompanysDomainsSet_HasNoProblem()
    {
        Assert.Empty(CompanyMailDomains.Problems(new CompanyOptions { MailDomains = ["example.co.jp"] }, new OpeningsOptions(), Sender("alumni@gmail.com")));
        Assert.Empty(CompanyMailDomains.Problems(new CompanyOptions(), new OpeningsOptions { RecruiterMailboxDomains = ["example.co.jp"] }, Sender("alumni@gmail.com")));
    }

    [Theory]
    [InlineData("gmail.com", true)]
    [InlineData("GMAIL.com.", true)]
    [InlineData("mail.example.co.jp", false)]
    [InlineData("gmail.com.example", false)]
    public void PublicMailProviders_AreKnownByTheirExactDomain(string domain, bool isPublic) =>
        Assert.Equal(isPublic, CompanyMailDomains.IsPublicMailProvider(domain));

    [Fact]
    public void NoDomains_CannotBeBuilt() =>
        Assert.Throws<ArgumentException>(() => new CompanyMailDomains([]));
}
