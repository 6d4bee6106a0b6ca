using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Sends;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class GetAlumnusDetailsTests
{
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IOutreachLog> outreach = new();
    private readonly Mock<IProfileStore> profiles = new();
    private readonly Mock<ISendLedger> sends = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;

    public GetAlumnusDetailsTests()
    {
        audited = audit.Captures();
        sends.Setup(s => s.ForAlumnusAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        outreach.Setup(o => o.SinceAsync(It.IsAny<AlumnusId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private GetAlumnusDetails Handler() => new(alumni.Object, consents.Object, outreach.Object, profiles.Object, sends.Object, audit.Object,
        new FakeTimeProvider(AdminFixtures.Now), NullLogger<GetAlumnusDetails>.Instance);

    [Fact]
    public async Task KnownAlumnus_HasHistoryCurrentConsentDecisionsAndFlags()
    {
        var hanako = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net");
        hanako.DoNotContact = true;
        alumni.Setup(a => a.GetAsync(hanako.Id, It.IsAny<CancellationToken>())).ReturnsAsync(hanako);
        consents.Histories(
            AdminFixtures.Consent(hanako, ConsentPurpose.NetworkMembership, daysAgo: 9),
            AdminFixtures.Consent(hanako, ConsentPurpose.Newsletter, granted: true, daysAgo: 8),
            AdminFixtures.Consent(hanako, ConsentPurpose.Newsletter, granted: false, daysAgo: 1));
        var decision = new OutreachDecision(hanako.Id, "newsletter-2026-12", ConsentPurpose.Newsletter, true, false, "do-not-contact", AdminFixtures.Now.AddDays(-1));
        outreach.Setup(o => o.SinceAsync(hanako.Id, AdminFixtures.Now.AddDays(-365), It.IsAny<CancellationToken>())).ReturnsAsync([decision]);

        var details = Assert.IsType<AdminOutcome<AlumnusDetails>.Done>(await Handler().HandleAsync(hanako.Id.Value, "admin-sub", CancellationToken.None)).Value;

        Assert.Equal("山田", details.FamilyName);
        Assert.True(details.DoNotContact);
        Assert.True(details.RehireEligible);
        Assert.Equal(3, details.Consents.Count);
        Assert.Equal(ConsentPurposes.All.Select(p => new CurrentConsent(p.ToString(), p == ConsentPurpose.NetworkMembership)), details.CurrentConsent);
        Assert.Equal(new OutreachDecisionEntry("newsletter-2026-12", "Newsletter", false, "do-not-contact", decision.At), Assert.Single(details.OutreachDecisions));
        Assert.Equal(new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumnusRead, hanako.Id.Value, "view=details"), Assert.Single(audited));
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("not-an-id")]
    public async Task UnknownId_IsNotFoundAndNotAudited(string id)
    {
        Assert.IsType<AdminOutcome<AlumnusDetails>.NotFound>(await Handler().HandleAsync(id, "admin-sub", CancellationToken.None));

        Assert.Empty(audited);
    }

    [Fact]
    public async Task PersonWhoseErasureIsUnderWay_IsNotFoundAsIfErased_NothingReadAndNotAudited()
    {
        var erasing = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net");
        (erasing.DoNotContact, erasing.ErasureStartedAt) = (true, AdminFixtures.Now.AddMinutes(-5));
        alumni.Setup(a => a.GetAsync(erasing.Id, It.IsAny<CancellationToken>())).ReturnsAsync(erasing);

        Assert.IsType<AdminOutcome<AlumnusDetails>.NotFound>(await Handler().HandleAsync(erasing.Id.Value, "admin-sub", CancellationToken.None));

        Assert.Empty(audited);
        consents.Verify(c => c.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        profiles.Verify(p => p.GetAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task SharedProfile_ShowsOnlyEmployeeVisibleFields_AndOnlyWithThatConsent()
    {
        var hanako = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net");
        alumni.Setup(a => a.GetAsync(hanako.Id, It.IsAny<CancellationToken>())).ReturnsAsync(hanako);
        profiles.Setup(p => p.GetAsync(hanako.Id, It.IsAny<CancellationToken>())).ReturnsAsync(new Profile(hanako.Id,
            new Dictionary<ProfileField, string> { [ProfileField.CurrentEmployer] = "株式会社みらい", [ProfileField.Location] = "Osaka", [ProfileField.Skills] = "Risk" },
            ReturnInterest.ProjectWork,
            new Dictionary<ProfileField, FieldVisibility>
            {
                [ProfileField.CurrentEmployer] = FieldVisibility.Employees,
                [ProfileField.Location] = FieldVisibility.Alumni,
                [ProfileField.OpenToReturning] = FieldVisibility.Employees,
            },
            AdminFixtures.Now));
        sends.Setup(s => s.ForAlumnusAsync(hanako.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [new SendRecord("welcome", hanako.Id.Value, "m1", AdminFixtures.Now.AddDays(-9)), new SendRecord("newsletter-2026-12", hanako.Id.Value, "m2", AdminFixtures.Now.AddDays(-1))]);
        consents.Histories(AdminFixtures.Consent(hanako, ConsentPurpose.NetworkMembership, daysAgo: 9));

        var withoutConsent = Assert.IsType<AdminOutcome<AlumnusDetails>.Done>(await Handler().HandleAsync(hanako.Id.Value, "admin-sub", CancellationToken.None)).Value;
        consents.Histories(AdminFixtures.Consent(hanako, ConsentPurpose.NetworkMembership, daysAgo: 9), AdminFixtures.Consent(hanako, ConsentPurpose.EmployeeVisibility, daysAgo: 2));
        var withConsent = Assert.IsType<AdminOutcome<AlumnusDetails>.Done>(await Handler().HandleAsync(hanako.Id.Value, "admin-sub", CancellationToken.None)).Value;

        Assert.Empty(withoutConsent.SharedProfile);
        Assert.Equal([new SharedProfileField("CurrentEmployer", "株式会社みらい"), new SharedProfileField("OpenToReturning", "ProjectWork")], withConsent.SharedProfile);
        Assert.Equal(["newsletter-2026-12", "welcome"], withConsent.Sends.Select(s => s.Campaign));
    }
}
