using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>Each Azure resource is configured the way docs/adr/0004 and the architecture require.</summary>
[Collection(CompiledInfrastructureDefinition.Name)]
public sealed class ResourceTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void Storage_AllowsOnlyEntraAuthOverTls12_AndNoPublicBlobs() =>
        AssertNone(InfrastructureChecks.Storage(infrastructure.Deployment));

    [Fact]
    public void FunctionApp_IsFlexConsumptionCustomHandler_HttpsOnly_WithManagedIdentity() =>
        AssertNone(InfrastructureChecks.FunctionApp(infrastructure.Deployment));

    [Fact]
    public void KeyVault_UsesRbac_SoftDeleteAndPurgeProtection_AndEverySecretItWritesIsReferenced() =>
        AssertNone(InfrastructureChecks.KeyVault(infrastructure.Deployment));

    [Fact]
    public void KeyVault_SendsItsAuditLog_EverySecretRead_ToTheWorkspace() =>
        AssertNone(InfrastructureChecks.KeyVaultAuditLog(infrastructure.Deployment));

    [Fact]
    public void Monitoring_IsWorkspaceBasedApplicationInsights() =>
        AssertNone(InfrastructureChecks.Monitoring(infrastructure.Deployment));

    [Fact]
    public void RoleAssignments_AreOnlyTheAllowedRoles_EachScopedToItsResource() =>
        AssertNone(InfrastructureChecks.RoleAssignments(infrastructure.Deployment));

    [Fact]
    public void MaximumInstanceCount_StaysWithinWhatFlexConsumptionAccepts() =>
        AssertNone(InfrastructureChecks.ScaleLimits(infrastructure.Deployment));

    [Fact]
    public void Outputs_IncludeTheNamesOperatorsNeed() =>
        AssertNone(InfrastructureChecks.Outputs(infrastructure.Deployment));

    internal static void AssertNone(Problems problems) =>
        Assert.True(problems.Items.Count == 0, problems.ToString());
}
