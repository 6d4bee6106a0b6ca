using System.Text.RegularExpressions;

namespace AlumniNetwork.Functions.Hosting.LocalTriggers;

/// <summary>Replaces <c>%Name%</c> with the app setting, as the Functions host does for binding expressions.</summary>
public static partial class AppSettingResolver
{
    public static string Resolve(string value, IConfiguration configuration) =>
        SettingPattern().Replace(value, match => configuration[match.Groups[1].Value]
            ?? throw new InvalidOperationException($"Binding expression '{match.Value}' names an app setting that is not set."));

    /// <summary>The first app setting <paramref name="value"/> names that is not set, or null when all are.</summary>
    public static string? MissingSetting(string value, IConfiguration configuration) =>
        SettingPattern().Matches(value).Select(match => match.Groups[1].Value).FirstOrDefault(name => configuration[name] is null);

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();
}
