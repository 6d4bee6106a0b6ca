using AlumniNetwork.Core.Admin;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class AdminRolesTests
{
    public static TheoryData<string, AdminCapability, bool> Grants => new()
    {
        { AdminRoles.Admin, AdminCapability.PersonalData, true },
        { AdminRoles.Admin, AdminCapability.Insights, true },
        { AdminRoles.Admin, AdminCapability.Openings, true },
        { AdminRoles.Admin, AdminCapability.ConflictOfInterest, true },
        { AdminRoles.Viewer, AdminCapability.Insights, true },
        { AdminRoles.Viewer, AdminCapability.PersonalData, false },
        { AdminRoles.Viewer, AdminCapability.Openings, false },
        { AdminRoles.Viewer, AdminCapability.ConflictOfInterest, false },
        { AdminRoles.Recruiter, AdminCapability.Openings, true },
        { AdminRoles.Recruiter, AdminCapability.PersonalData, false },
        { AdminRoles.Recruiter, AdminCapability.Insights, false },
        { AdminRoles.Recruiter, AdminCapability.ConflictOfInterest, false },
        { AdminRoles.Compliance, AdminCapability.ConflictOfInterest, true },
        { AdminRoles.Compliance, AdminCapability.PersonalData, false },
        { AdminRoles.Compliance, AdminCapability.Insights, false },
        { AdminRoles.Compliance, AdminCapability.Openings, false },
        { "alumni.admin", AdminCapability.PersonalData, false },
        { "Alumni.Reader", AdminCapability.Insights, false },
        { "", AdminCapability.Insights, false },
    };

    [Theory]
    [MemberData(nameof(Grants))]
    public void Role_GrantsExactlyItsCapabilities(string role, AdminCapability capability, bool granted) =>
        Assert.Equal(granted, AdminRoles.Grants([role], capability));

    [Fact]
    public void NoRoles_GrantNothing() =>
        Assert.All(Enum.GetValues<AdminCapability>(), c => Assert.False(AdminRoles.Grants([], c)));

    [Fact]
    public void SeveralRoles_GrantTheUnionOfTheirCapabilities()
    {
        string[] roles = [AdminRoles.Viewer, AdminRoles.Recruiter];

        Assert.Equal(
            [false, true, true, false],
            Enum.GetValues<AdminCapability>().Select(c => AdminRoles.Grants(roles, c)));
    }

    [Fact]
    public void RenamedAdminRole_GrantsEverything_AndTheDefaultNameNoLonger()
    {
        Assert.All(Enum.GetValues<AdminCapability>(), c => Assert.True(AdminRoles.Grants(["HR.AlumniAdmin"], c, adminRole: "HR.AlumniAdmin")));
        Assert.False(AdminRoles.Grants([AdminRoles.Admin], AdminCapability.PersonalData, adminRole: "HR.AlumniAdmin"));
    }
}
