using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AlumniNetwork.Functions.Hosting.LocalTriggers;
using AlumniNetwork.Functions.Hosting.Security;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Publishing;

/// <summary>
/// The offline parts of scripts/publish.sh (zip with the handler executable, verify with zipinfo) and scripts/smoke.sh
/// (compare the platform's function list with the repository's functions, read /api/health).
/// </summary>
[Collection(AzuriteCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class DeployScriptTests(AzuriteFixture azurite) : IDisposable
{
    private const string Handler = "AlumniNetwork.Functions";
    private static readonly int Mode644 = Convert.ToInt32("644", 8);
    private static readonly int Mode755 = Convert.ToInt32("755", 8);
    private static readonly int PermissionBits = Convert.ToInt32("777", 8);

    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("deploy-scripts-");

    private static List<string> FunctionNames => FunctionCatalog.LoadFunctions(RepoPaths.Functions).Select(f => f.Name).ToList();

    public void Dispose() => scratch.Delete(recursive: true);

    [Fact]
    public async Task Package_ZipsTheAppRootWithTheHandlerExecutable_EvenWhenItWasNot()
    {
        var root = AppRoot(handlerMode: Mode644);
        var zip = Path.Combine(scratch.FullName, "out", "app.zip");

        var package = await Script("publish.sh", "package", root, zip);
        var verify = await Script("publish.sh", "verify", zip);

        Assert.True(package.ExitCode == 0, package.Log);
        Assert.True(verify.ExitCode == 0, verify.Log);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(Mode755, (archive.GetEntry(Handler)!.ExternalAttributes >> 16) & PermissionBits);
        Assert.NotNull(archive.GetEntry("host.json"));
        Assert.All(FunctionNames, name => Assert.NotNull(archive.GetEntry($"{name}/function.json")));
    }

    [Fact]
    public async Task Verify_RefusesAZipWhoseHandlerIsNotExecutable()
    {
        var zip = await ZipWithoutTheScript(AppRoot(handlerMode: Mode644));

        var verify = await Script("publish.sh", "verify", zip);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains($"the handler {Handler} is not executable", verify.Error, StringComparison.Ordinal);
        Assert.Contains("-rw-r--r--", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AcceptsTheSameZipWithTheBitSet_SoItReadsTheModeRatherThanAlwaysFailing()
    {
        var zip = await ZipWithoutTheScript(AppRoot(handlerMode: Mode755));

        var verify = await Script("publish.sh", "verify", zip);

        Assert.True(verify.ExitCode == 0, verify.Log);
        Assert.Contains("-rwxr-xr-x", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NamesAFunctionFolderMissingFromTheZip()
    {
        var root = AppRoot(handlerMode: Mode755);
        var left = FunctionNames[^1];
        Directory.Delete(Path.Combine(root, left), recursive: true);
        var zip = await ZipWithoutTheScript(root);

        var verify = await Script("publish.sh", "verify", zip);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains($"{left}/function.json is not in", verify.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Compare_AcceptsAListingOfEveryFunction_FromTheCliOrTheArmApi(bool armShape)
    {
        var listing = await Save(Listing(FunctionNames, armShape));

        var compare = await Script("smoke.sh", "compare", listing);

        Assert.True(compare.ExitCode == 0, compare.Log);
        Assert.Contains($"all {FunctionNames.Count} functions are listed", compare.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_NamesEveryFunctionThePlatformDoesNotList()
    {
        var listing = await Save(Listing(FunctionNames.Where(name => name is not ("Health" or "SendGridEvents")), armShape: false));

        var compare = await Script("smoke.sh", "compare", listing);

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains("Health is not listed by the platform", compare.Error, StringComparison.Ordinal);
        Assert.Contains("SendGridEvents is not listed by the platform", compare.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_FailsOnAFunctionThePlatformHasDisabled()
    {
        var listing = (JsonArray)Listing(FunctionNames, armShape: false);
        listing[0]!["isDisabled"] = true;

        var compare = await Script("smoke.sh", "compare", await Save(listing));

        Assert.Equal(1, compare.ExitCode);
        Assert.Contains($"{FunctionNames[0]} is disabled on the platform", compare.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReadsTheAppsOwnDegradedAnswer_AndRejectsAnythingElse()
    {
        string body;
        await using (var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["SendGrid:EventWebhookPublicKey"] = "" }))
        {
            body = await app.Client.GetStringAsync(new Uri("api/health", UriKind.Relative));
        }

        var degraded = await Script("smoke.sh", "health", await Save(JsonNode.Parse(body)!));
        var notAReport = await Script("smoke.sh", "health", await Save(new JsonObject { ["error"] = "Bad Gateway" }));

        Assert.True(degraded.ExitCode == 0, degraded.Log);
        Assert.Contains("health: degraded", degraded.Output, StringComparison.Ordinal);
        Assert.Contains("SendGridEvents is switched off: app setting SendGrid__EventWebhookPublicKey is not set", degraded.Output, StringComparison.Ordinal);
        Assert.Equal(1, notAReport.ExitCode);
    }

    private const string SignIn = "302 https://func-alumni-prod.azurewebsites.net/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Fconsole%2Fhome";

    [Theory]
    [InlineData(true, SignIn, SignIn, 0)]
    [InlineData(true, SignIn, "401 ", 0)]
    [InlineData(false, SignIn, SignIn, 1)]
    [InlineData(true, "200 ", SignIn, 1)]
    [InlineData(true, SignIn, "200 ", 1)]
    [InlineData(true, "302 https://func-alumni-prod.azurewebsites.net/api/console/signed-out", SignIn, 1)]
    [InlineData(true, SignIn, "302 https://func-alumni-prod.azurewebsites.net/api/console/signed-out", 1)]
    [InlineData(true, "503 ", SignIn, 1)]
    [InlineData(true, "401 ", SignIn, 1)]
    public async Task Live_CallsTheHealthRoute_ComparesThePlatformsList_ThenAsksForTheConsoleUnsignedAndForged(
        bool everyFunctionListed, string withoutSignIn, string forged, int exitCode)
    {
        // Stand-ins for the Azure CLI and curl on PATH: the script's own flow runs, offline.
        var bin = Directory.CreateDirectory(Path.Combine(scratch.FullName, "bin")).FullName;
        var listing = await Save(Listing(everyFunctionListed ? FunctionNames : FunctionNames.Skip(1), armShape: false));
        var health = await Save(new JsonObject { ["status"] = "healthy", ["disabledFunctions"] = new JsonArray() });
        var calls = Path.Combine(scratch.FullName, "calls.log");
        await Stub(bin, "az", $$"""
            echo "az $*" >> '{{calls}}'
            case "$*" in
              "functionapp show"*) echo func-alumni-prod.azurewebsites.net ;;
              "functionapp function list"*) cat '{{listing}}' ;;
              *) exit 2 ;;
            esac
            """);
        await Stub(bin, "curl", $$"""
            echo "curl $*" >> '{{calls}}'
            case "$*" in
              *X-MS-CLIENT-PRINCIPAL:*/api/console/*) printf '%s' '{{forged}}'; exit 0 ;;
              */api/console/*) printf '%s' '{{withoutSignIn}}'; exit 0 ;;
            esac
            while [ $# -gt 0 ]; do [ "$1" = "-o" ] && cp '{{health}}' "$2"; shift; done
            printf 200
            """);

        var smoke = await Processes.RunAsync("bash", RepoPaths.Root,
            new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}", ["SMOKE_WAIT_SECONDS"] = "0" },
            Path.Combine(RepoPaths.Root, "scripts", "smoke.sh"), "rg-alumni-prod", "func-alumni-prod");

        Assert.True(smoke.ExitCode == exitCode, smoke.Log);
        Assert.Contains("health: healthy", smoke.Output, StringComparison.Ordinal);
        var log = await File.ReadAllTextAsync(calls);
        Assert.Contains("curl -sS -o", log, StringComparison.Ordinal);
        Assert.Contains("https://func-alumni-prod.azurewebsites.net/api/health", log, StringComparison.Ordinal);
        Assert.Contains("az functionapp function list -g rg-alumni-prod -n func-alumni-prod -o json", log, StringComparison.Ordinal);
        if (!everyFunctionListed)
        {
            Assert.Contains($"{FunctionNames[0]} is not listed by the platform", smoke.Error, StringComparison.Ordinal);
            return;
        }

        Assert.Contains("curl -sS -o /dev/null -w %{http_code} %{redirect_url} --max-time 30 -H Accept: text/html https://func-alumni-prod.azurewebsites.net/api/console/home", log, StringComparison.Ordinal);
        if (withoutSignIn == SignIn)
        {
            // The request without a sign-in was sent to sign in, so the forged one was made: an admin principal the app would accept.
            var principal = AppServicePrincipal.Parse(Regex.Match(log, "X-MS-CLIENT-PRINCIPAL: (\\S+)").Groups[1].Value);
            Assert.NotNull(principal);
            Assert.True(principal.IsInRole("Alumni.Admin"));
        }

        if (exitCode == 0)
        {
            Assert.Contains("console: guarded", smoke.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("GET https://func-alumni-prod.azurewebsites.net/api/console/home ", smoke.Error, StringComparison.Ordinal);
            Assert.Equal(withoutSignIn.StartsWith('2') || forged.StartsWith('2'), smoke.Error.Contains("THE CONSOLE IS OPEN", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ClientAddress_SpendsThisNetworksBudget_ThenTheProbeTellsAnOwnBudgetFromAShared()
    {
        // Stand-ins: the app answers 400 to the forged link until the third request, then 429; the probe's answer is given.
        var bin = Directory.CreateDirectory(Path.Combine(scratch.FullName, "bin")).FullName;
        var calls = Path.Combine(scratch.FullName, "calls.log");
        await Stub(bin, "az", """echo func-alumni-prod.azurewebsites.net""");
        await Stub(bin, "curl", $$"""
            echo "curl $*" >> '{{calls}}'
            [ -n "${PROBE_STATUS:-}" ] && { printf '%s' "$PROBE_STATUS"; exit 0; }
            [ "$(wc -l < '{{calls}}')" -ge 3 ] && printf 429 || printf 400
            """);

        var spend = await ClientAddress("spend", probeStatus: null);
        var own = await ClientAddress("probe", probeStatus: "400");
        var shared = await ClientAddress("probe", probeStatus: "429");

        Assert.True(spend.ExitCode == 0, spend.Log);
        Assert.Contains("budget is spent after 2 requests", spend.Output, StringComparison.Ordinal);
        Assert.Contains("https://func-alumni-prod.azurewebsites.net/api/alumni/join?token=", await File.ReadAllTextAsync(calls), StringComparison.Ordinal);
        Assert.True(own.ExitCode == 0, own.Log);
        Assert.Contains("tells clients apart", own.Output, StringComparison.Ordinal);
        Assert.Equal(1, shared.ExitCode);
        Assert.Contains("counts an address of the platform's", shared.Error, StringComparison.Ordinal);

        Task<Processes.Result> ClientAddress(string step, string? probeStatus)
        {
            var environment = new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
            if (probeStatus is not null)
            {
                environment["PROBE_STATUS"] = probeStatus;
            }

            return Processes.RunAsync("bash", RepoPaths.Root, environment,
                Path.Combine(RepoPaths.Root, "scripts", "smoke.sh"), "client-address", "rg-alumni-prod", "func-alumni-prod", step);
        }
    }

    private static async Task Stub(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        await File.WriteAllTextAsync(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)Mode755);
    }

    /// <summary>An app root as dotnet publish lays it out, with a stand-in handler of the given mode.</summary>
    private string AppRoot(int handlerMode)
    {
        var root = Directory.CreateDirectory(Path.Combine(scratch.FullName, "app")).FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "host.json"), Path.Combine(root, "host.json"));
        var handler = Path.Combine(root, Handler);
        File.WriteAllText(handler, "#!/bin/sh\n");
        File.SetUnixFileMode(handler, (UnixFileMode)handlerMode);
        foreach (var name in FunctionNames)
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            File.Copy(Path.Combine(RepoPaths.Functions, name, "function.json"), Path.Combine(root, name, "function.json"));
        }

        return root;
    }

    /// <summary>A zip of the app root made the way a hand-run publish would, without the script's chmod.</summary>
    private async Task<string> ZipWithoutTheScript(string root)
    {
        var zip = Path.Combine(scratch.FullName, "by-hand.zip");
        var result = await Processes.RunAsync("zip", root, "-q", "-r", zip, ".");
        Assert.True(result.ExitCode == 0, result.Log);
        return zip;
    }

    /// <summary>The function list as `az functionapp function list -o json` prints it, or as the ARM REST API answers.</summary>
    private static JsonNode Listing(IEnumerable<string> names, bool armShape)
    {
        var functions = new JsonArray(names
            .Select(name => (JsonNode)(armShape
                ? new JsonObject
                {
                    ["id"] = $"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/func-alumni-prod/functions/{name}",
                    ["name"] = $"func-alumni-prod/{name}",
                    ["type"] = "Microsoft.Web/sites/functions",
                    ["properties"] = new JsonObject { ["name"] = name, ["language"] = "custom", ["isDisabled"] = false },
                }
                : new JsonObject
                {
                    ["name"] = $"func-alumni-prod/{name}",
                    ["type"] = "Microsoft.Web/sites/functions",
                    ["language"] = "custom",
                    ["isDisabled"] = false,
                }))
            .ToArray());
        return armShape ? new JsonObject { ["value"] = functions } : functions;
    }

    private async Task<string> Save(JsonNode json)
    {
        var path = Path.Combine(scratch.FullName, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static Task<Processes.Result> Script(string script, params string[] arguments) =>
        Processes.RunAsync("bash", RepoPaths.Root, [Path.Combine(RepoPaths.Root, "scripts", script), .. arguments]);
}
