using System.Text.RegularExpressions;
using AlumniNetwork.Infra.Tests.Checks;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests;

/// <summary>infra/built-in-roles.json is the only place a role id is written, and it lists exactly the app's roles.</summary>
public sealed partial class BuiltInRoleTableTests
{
    [Fact]
    public void Table_ListsExactlyTheRolesTheAppHolds_EachWithOneWellFormedId()
    {
        var table = BuiltInRoles.Table;

        Assert.Equal(InfrastructureChecks.RequiredRoles.Keys.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        Assert.All(table, role => Assert.Matches(Guid(), role.Value));
        Assert.Equal(table.Count, table.Values.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Table_NamesTheRoleOfAnId_AndNoRoleForAnUnknownId()
    {
        var (name, id) = BuiltInRoles.Table.First();

        Assert.Equal(name, BuiltInRoles.NameOf(id.ToUpperInvariant()));
        // The id this repository once typed for Monitoring Metrics Publisher: not a built-in role at all.
        Assert.Null(BuiltInRoles.NameOf("3913510d-42f4-4642-8b2d-c8d13a4bc6d7"));
    }

    [Theory]
    [MemberData(nameof(BicepToolingTests.BicepFiles), MemberType = typeof(BicepToolingTests))]
    public void BicepFiles_TypeNoRoleId(string bicepFile) =>
        Assert.Empty(InfrastructureChecks.TypedGuids(File.ReadAllText(Path.Combine(RepositoryLayout.Root, bicepFile))));

    [Fact]
    public void TypedGuids_AreFoundInBicepSource() =>
        Assert.Equal(
            ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"],
            InfrastructureChecks.TypedGuids("roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0')"));

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Guid();
}
