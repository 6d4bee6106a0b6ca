using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Support;

namespace AlumniNetwork.Infra.Tests.Checks;

/// <summary>
/// infra/built-in-roles.json: the one table of Azure built-in role ids, each beside its role name, copied from the
/// platform's published list. The Bicep reads ids from it by name; the checks compare every role assignment with it,
/// never with a copy of a value the Bicep holds.
/// </summary>
public static class BuiltInRoles
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> LazyTable = new(() => Parse(File.ReadAllText(RepositoryLayout.BuiltInRolesTable)));

    /// <summary>Role name to role definition id.</summary>
    public static IReadOnlyDictionary<string, string> Table => LazyTable.Value;

    /// <summary>The role a definition id belongs to, or null when the id is not in the table.</summary>
    public static string? NameOf(string roleDefinitionId) =>
        Table.FirstOrDefault(role => string.Equals(role.Value, roleDefinitionId, StringComparison.OrdinalIgnoreCase)).Key;

    public static IReadOnlyDictionary<string, string> Parse(string json) =>
        (JsonNode.Parse(json)?["roles"] as JsonObject ?? throw new InvalidOperationException("the role table has no 'roles' object"))
            .ToDictionary(role => role.Key, role => role.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal);
}
