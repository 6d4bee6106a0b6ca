using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The consent projection on the alumnus row under concurrent changes, on Azurite, with the interleavings forced: both
/// writers read the row before either writes it, so one of them loses the ETag race and must write again. The row a
/// campaign batch reads must never grant what the ledger withdrew.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProjectedConsentLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Later = new(2027, 1, 15, 0, 0, 0, TimeSpan.Zero);
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(AlumnusId Id, InterleavedRows Rows, ProjectedConsentLedger Ledger)> MemberAsync(params ConsentPurpose[] purposes)
    {
        var member = Assert.Single(await app.SeedMembersAsync(1, purposes));
        var rows = new InterleavedRows(app.Services.GetRequiredService<IAlumniStore>());
        return (member.Id, rows, new ProjectedConsentLedger(app.Services.GetRequiredService<TableConsentLedger>(), rows));
    }

    private static ConsentRecord Record(AlumnusId id, ConsentPurpose purpose, bool granted) => new(id, purpose, granted, Later, ConsentMethod.Link, "test");

    private async Task<(IReadOnlySet<ConsentPurpose> Row, IReadOnlySet<ConsentPurpose> Ledger)> StateAsync(AlumnusId id) =>
        ((await app.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!.Consented!,
         ConsentState.From(await app.Services.GetRequiredService<IConsentLedger>().HistoryAsync(id, CancellationToken.None)).Granted);

    [Fact]
    public async Task WithdrawalDatedBeforeALaterGrant_LeavesThePurposeOnTheRow_AsTheLedgerDoes()
    {
        var id = Assert.Single(await app.SeedMembersAsync(1, [ConsentPurpose.Newsletter])).Id;
        var ledger = app.Services.GetRequiredService<IConsentLedger>();
        await ledger.AppendAsync(Record(id, ConsentPurpose.Events, true), CancellationToken.None);

        await ledger.AppendAsync(Record(id, ConsentPurpose.Events, false) with { At = Later.AddMinutes(-1), Method = ConsentMethod.Complaint }, CancellationToken.None);

        var (row, inLedger) = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events], inLedger.Order());
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter, ConsentPurpose.Events], row.Order());
    }

    [Fact]
    public async Task TwoWithdrawalsAtOnce_LeaveTheRowWithNeither()
    {
        var (id, rows, ledger) = await MemberAsync(ConsentPurpose.Newsletter, ConsentPurpose.Events);

        await Task.WhenAll(
            rows.RunAs("first", () => ledger.AppendAsync(Record(id, ConsentPurpose.Newsletter, false), CancellationToken.None)),
            rows.RunAs("second", () => ledger.AppendAsync(Record(id, ConsentPurpose.Events, false), CancellationToken.None)));

        var (row, inLedger) = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership], inLedger.Order());
        Assert.Equal([ConsentPurpose.NetworkMembership], row.Order());
    }

    [Fact]
    public async Task GrantLosingTheRowToAWithdrawal_WritesItsPurposeOnTheRowAsItIsNow_NotTheWithdrawnOneBack()
    {
        var (id, rows, ledger) = await MemberAsync(ConsentPurpose.Newsletter);
        rows.WritesAfter("grant", "withdrawal");

        await Task.WhenAll(
            rows.RunAs("withdrawal", () => ledger.AppendAsync(Record(id, ConsentPurpose.Newsletter, false), CancellationToken.None)),
            rows.RunAs("grant", () => ledger.AppendAsync(Record(id, ConsentPurpose.Events, true), CancellationToken.None)));

        var (row, inLedger) = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Events], inLedger.Order());
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Events], row.Order());
    }

    [Theory]
    [InlineData("grant", "withdrawal")]
    [InlineData("withdrawal", "grant")]
    public async Task GrantAndWithdrawalOfTheSamePurposeAtOnce_WithTheWithdrawalLastInTheLedger_LeaveTheRowWithout(string writesSecond, string writesFirst)
    {
        var (id, rows, ledger) = await MemberAsync(ConsentPurpose.Newsletter);
        rows.WritesAfter(writesSecond, writesFirst);

        await Task.WhenAll(
            rows.RunAs("grant", () => ledger.AppendAsync(Record(id, ConsentPurpose.Events, true), CancellationToken.None)),
            rows.RunAs("withdrawal", () => ledger.AppendAsync(Record(id, ConsentPurpose.Events, false) with { At = Later.AddSeconds(1) }, CancellationToken.None)));

        var (row, inLedger) = await StateAsync(id);
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter], inLedger.Order());
        Assert.Equal([ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter], row.Order());
    }

    /// <summary>
    /// The real store, with the first two reads of a row held until both happened (both writers then hold the same
    /// ETag), and optionally one writer's first write held until another's first write is done (or it ended without one).
    /// </summary>
    private sealed class InterleavedRows(IAlumniStore inner) : ForwardingAlumniStore(inner)
    {
        private readonly AsyncLocal<string?> role = new();
        private readonly TaskCompletionSource bothRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, TaskCompletionSource> firstWrites = [];
        private (string Waiting, string For)? order;
        private int reads;

        public Task RunAs(string name, Func<Task> work)
        {
            lock (firstWrites)
            {
                firstWrites[name] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return Task.Run(async () =>
            {
                role.Value = name;
                try
                {
                    await work();
                }
                finally
                {
                    // A writer that ends without writing (it found nothing to change) releases whoever waits for it.
                    firstWrites[name].TrySetResult();
                }
            });
        }

        public void WritesAfter(string waiting, string first) => order = (waiting, first);

        public override async Task<Alumnus?> GetAsync(AlumnusId id, CancellationToken cancellationToken)
        {
            var row = await Inner.GetAsync(id, cancellationToken);
            var read = Interlocked.Increment(ref reads);
            if (read <= 2)
            {
                if (read == 2)
                {
                    bothRead.TrySetResult();
                }

                await bothRead.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return row;
        }

        public override async Task<bool> TryUpdateAsync(Alumnus alumnus, CancellationToken cancellationToken)
        {
            var me = role.Value!;
            if (order is { } o && o.Waiting == me && !firstWrites[me].Task.IsCompleted)
            {
                await firstWrites[o.For].Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            try
            {
                return await Inner.TryUpdateAsync(alumnus, cancellationToken);
            }
            finally
            {
                firstWrites[me].TrySetResult();
            }
        }
    }
}
