using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>The Sends ledger's claims on Azurite: the mechanism that keeps racing deliveries from sending twice.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSendLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(5);
    private readonly AlumnusId alumnus = AlumnusId.New();
    private TestApp app = null!;

    private ISendLedger Ledger => app.Services.GetRequiredService<ISendLedger>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task SecondClaimWhileTheFirstIsFresh_IsInProgress_AndAfterSendingIsAlreadySent()
    {
        var first = await Ledger.ClaimAsync("c1", alumnus.Value, Now, Stale, CancellationToken.None);
        var second = await Ledger.ClaimAsync("c1", alumnus.Value, Now.AddSeconds(1), Stale, CancellationToken.None);
        await Ledger.RecordSentAsync(new SendRecord("c1", alumnus.Value, "m1", Now), CancellationToken.None);
        var third = await Ledger.ClaimAsync("c1", alumnus.Value, Now.AddSeconds(2), Stale, CancellationToken.None);

        Assert.Equal((SendClaim.Claimed, SendClaim.InProgress, SendClaim.AlreadySent), (first.Status, second.Status, third.Status));
        Assert.Equal("m1", Assert.Single(await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None)).ProviderMessageId);
    }

    [Fact]
    public async Task StaleClaim_IsTakenOver_AndTheOldClaimantCannotReleaseTheNewClaim()
    {
        var old = await Ledger.ClaimAsync("c1", alumnus.Value, Now, Stale, CancellationToken.None);
        var taken = await Ledger.ClaimAsync("c1", alumnus.Value, Now.AddMinutes(6), Stale, CancellationToken.None);

        await Ledger.ReleaseAsync("c1", alumnus.Value, old.ClaimId, CancellationToken.None);

        Assert.Equal(SendClaim.Claimed, taken.Status);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Sends));
        Assert.Equal(taken.ClaimId, row.GetString("ClaimId"));
    }

    [Fact]
    public async Task ReleasedClaim_CanBeClaimedAgainAtOnce()
    {
        var first = await Ledger.ClaimAsync("c1", alumnus.Value, Now, Stale, CancellationToken.None);
        await Ledger.ReleaseAsync("c1", alumnus.Value, first.ClaimId, CancellationToken.None);

        Assert.Equal(SendClaim.Claimed, (await Ledger.ClaimAsync("c1", alumnus.Value, Now.AddSeconds(1), Stale, CancellationToken.None)).Status);
        Assert.Empty(await Ledger.ForAlumnusAsync(alumnus, CancellationToken.None));
    }
}
