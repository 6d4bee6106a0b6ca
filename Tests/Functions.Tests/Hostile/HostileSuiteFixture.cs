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
        Context = new HostileContext(app, member, eventId, surveyId, await CollaborationRequestAsync(app, member));
        Snapshot = await app.SnapshotAsync();
    }

    /// <summary>A listed card for the member and a collaboration request delivered to them: answer links point at it.</summary>
    private static async Task<string> CollaborationRequestAsync(TestApp app, Core.Alumni.AlumnusId member)
    {
        (await app.PostFormAsync(LinkPurpose.CollaborationCard, member, ("Company", "Yamada Trading"), ("Offer", "Payments"), ("Industry", "Finance"),
            ("VisibleToMembers", "yes"), ("VisibleToEmployees", "yes"))).EnsureSuccessStatusCode();
        await app.ReviewCardAsync(member, "approve");
        var request = new Core.Collaboration.CollaborationRequest(Core.Collaboration.CollaborationRequest.NewId(), member, Core.Collaboration.RequesterKind.Employee,
            "佐藤 一郎", "法人営業部", Core.Alumni.EmailAddress.Parse("sato@corp.example.com"), "決済分野での共同提案", Core.Collaboration.Confidentiality.Normal,
            Core.Collaboration.RequestStatus.Sent, TimeProvider.System.GetUtcNow(), "hostile-admin");
        Assert.True(await app.Services.GetRequiredService<Core.Collaboration.ICollaborationStore>().TryAddRequestAsync(request, 2, DateTimeOffset.MinValue, CancellationToken.None));
        return request.Id;
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
