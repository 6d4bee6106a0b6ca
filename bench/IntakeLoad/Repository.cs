using System.Text.Json;

namespace AlumniNetwork.Bench.IntakeLoad;

internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlumniFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository.");
    }

    /// <summary>A value from the app's Development settings (the webhook secret, the pseudonym key).</summary>
    public static string DevelopmentSetting(params string[] path)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "Functions", "appsettings.Development.json")));
        var value = settings.RootElement;
        foreach (var step in path)
        {
            value = int.TryParse(step, out var index) ? value[index] : value.GetProperty(step);
        }

        return value.GetString()!;
    }
}
