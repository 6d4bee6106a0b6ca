namespace AlumniNetwork.Infra.Tests.Support;

/// <summary>Paths inside the repository, found from the test assembly's location.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string InfraDirectory => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    public static string ParametersFile => Path.Combine(InfraDirectory, "main.parameters.json");

    public static string BicepConfig => Path.Combine(InfraDirectory, "bicepconfig.json");

    public static string BuiltInRolesTable => Path.Combine(InfraDirectory, "built-in-roles.json");

    public static string DeploymentGuide => Path.Combine(Root, "docs", "deploy.md");

    public static string FunctionsDirectory => Path.Combine(Root, "Functions");

    public static string RequiredSettingsSource =>
        Path.Combine(FunctionsDirectory, "Hosting", "Configuration", "RequiredSettings.cs");

    // The solution file or the Functions host.json marks the root; infra/main.bicep is the fallback so the tests
    // still find the root while the solution is being put together.
    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AlumniFunctions.sln"))
                || File.Exists(Path.Combine(directory.FullName, "AlumniFunctions.slnx"))
                || File.Exists(Path.Combine(directory.FullName, "host.json"))
                || File.Exists(Path.Combine(directory.FullName, "infra", "main.bicep")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No repository root (AlumniFunctions.sln, host.json or infra/main.bicep) above {AppContext.BaseDirectory}.");
    }
}
