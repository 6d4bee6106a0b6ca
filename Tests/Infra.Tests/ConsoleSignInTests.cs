using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>The console's sign-in is declared (infra/modules/auth.bicep) and its app roles are documented for operators.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class ConsoleSignInTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void BuiltInAuthentication_ProtectsTheConsole_AndExcludesEveryOtherHttpFunction()
    {
        var routes = AppCode.HttpRoutes();

        Assert.Contains(routes, r => r.StartsWith("console/", StringComparison.Ordinal));
        ResourceTests.AssertNone(InfrastructureChecks.ConsoleSignIn(infrastructure.Deployment, routes));
    }

    [Fact]
    public void EveryAppRole_IsDocumentedInTheDeploymentGuide()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "docs", "deploy.md"));
        var roles = AppCode.AdminRoles();

        Assert.Equal(["Alumni.Admin", "Alumni.Recruiter", "Alumni.Compliance", "Alumni.Viewer"], roles);
        Assert.All(roles, role => Assert.Contains($"`{role}`", guide, StringComparison.Ordinal));
    }
}
