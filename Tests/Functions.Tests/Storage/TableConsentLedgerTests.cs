using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>The consent ledger's removal on Azurite: by the keys the rows were stored under, counting only real deletions.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableConsentLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 9, 30, 15, TimeSpan.Zero);
    private readonly AlumnusId alumnus = AlumnusId.New();
    private TestApp app = null!;

    private IConsentLedger Ledger => app.Services.GetRequiredService<IConsentLedger>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task RemovingWhatWasRead_DeletesTheStoredRows_EvenWhenTheirKeysCannotBeRebuiltFromTheirFields()
    {
        // A row whose key is not "<ticks of At>-<purpose>": written by an earlier layout, or with a timestamp the store
        // rounded. Rebuilding the key from the fields would miss it and still call it deleted.
        var table = await app.Services.GetRequiredService<AlumniTables>().GetAsync(AlumniTables.Consents, CancellationToken.None);
        await table.AddEntityAsync(new TableEntity(alumnus.Value, "0638844966150000000-Newsletter-legacy")
        {
            ["Purpose"] = "Newsletter", ["Granted"] = false, ["At"] = At, ["Method"] = "Link", ["WordingVersion"] = "v0",
        });
        await Ledger.AppendAsync(new ConsentRecord(alumnus, ConsentPurpose.Events, false, At.AddTicks(1234567), ConsentMethod.Link, "v1"), CancellationToken.None);

        var removed = await Ledger.RemoveAsync(await Ledger.HistoryAsync(alumnus, CancellationToken.None), CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
    }

    [Fact]
    public async Task RemovingTheSameEntriesTwice_CountsThemOnce()
    {
        await Ledger.AppendAsync(new ConsentRecord(alumnus, ConsentPurpose.Newsletter, true, At, ConsentMethod.Link, "v1"), CancellationToken.None);
        await Ledger.AppendAsync(new ConsentRecord(alumnus, ConsentPurpose.Newsletter, false, At.AddDays(1), ConsentMethod.Link, "v1"), CancellationToken.None);
        var history = await Ledger.HistoryAsync(alumnus, CancellationToken.None);

        var first = await Ledger.RemoveAsync(history, CancellationToken.None);
        var second = await Ledger.RemoveAsync(history, CancellationToken.None);

        Assert.Equal((2, 0), (first, second));
        Assert.Empty(await Ledger.HistoryAsync(alumnus, CancellationToken.None));
    }
}
