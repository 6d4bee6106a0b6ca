using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>
/// One Azurite and one app for the whole suite, with a joined alumnus (consents, a profile) for valid links to point
/// at, and the table snapshot every case is compared with.
/// </summary>
public sealed class HostileSuiteFixture : IAsyncLifetime
{
    /// <summary>
    /// Settings for the suite's app. Limits that exist to stop a script (rate limits) must be raised here: several
    /// hundred requests from one client are the point of this suite, and it must pass whether or not they would be hit.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["RateLimits:AlumniPagesPerWindow"] = "1000000",
        ["RateLimits:AdminPerWindow"] = "1000000",
    };

    private readonly AzuriteFixture azurite = new();

    public HostileContext Context { get; private set; } = null!;

    /// <summary>Every row of every table as the suite last saw it; a case that changes it fails and moves it on.</summary>
    public IReadOnlyList<string> Snapshot { get; set; } = [];

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        var app = await TestApp.StartAsync(azurite, new Dictionary<string, string?>(Settings));
        var member = await app.MemberAsync("ja-JP", "Newsletter", "Events");
        (await app.PostFormAsync(LinkPurpose.Profile, member, ("CurrentEmployer", "Yamada Trading"), ("Location", "Osaka"))).EnsureSuccessStatusCode();
        var eventId = await app.PublishedEventAsync();
        var surveyId = await app.PublishedSurveyAsync();
        Context = new HostileContext(app, member, eventId, surveyId);
        Snapshot = await app.SnapshotAsync();
    }

    public async Task DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.App.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}
