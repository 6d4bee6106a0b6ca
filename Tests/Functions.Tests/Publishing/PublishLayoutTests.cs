using System.Text.Json.Nodes;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Publishing;

/// <summary>
/// <c>dotnet publish</c> must produce a deployable custom-handler app root. The sources are copied to a scratch folder
/// first, so the publish never touches the build outputs the running tests use.
/// </summary>
public sealed class PublishLayoutTests
{
    [Fact]
    public async Task Publish_ProducesHostJsonFunctionFoldersAndTheHandlerHostJsonNames()
    {
        var scratch = Directory.CreateTempSubdirectory("publish-src-").FullName;
        var output = Path.Combine(scratch, "out");
        try
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "global.json", "host.json", ".editorconfig" })
            {
                File.Copy(Path.Combine(RepoPaths.Root, file), Path.Combine(scratch, file));
            }

            CopySources("Core", scratch);
            CopySources("Functions", scratch);

            var publish = await Processes.RunAsync("dotnet", scratch, "publish", "Functions/Functions.csproj", "-c", "Release", "-o", output, "-nologo");
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{publish.Log}");

            var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;
            var executable = Path.Combine(output, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.True(File.Exists(executable), $"the handler {executable} is missing");
            Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0, "the handler is not executable");

            var functionFolders = Directory.EnumerateDirectories(Path.Combine(RepoPaths.Functions))
                .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).ToArray();
            Assert.NotEmpty(functionFolders);
            Assert.All(functionFolders, name => Assert.True(File.Exists(Path.Combine(output, name!, "function.json")), $"{name}/function.json is not published"));
            Assert.False(File.Exists(Path.Combine(output, "appsettings.Development.json")), "development secrets must not be published");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void CopySources(string project, string destination)
    {
        var source = Path.Combine(RepoPaths.Root, project);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(destination, project, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
