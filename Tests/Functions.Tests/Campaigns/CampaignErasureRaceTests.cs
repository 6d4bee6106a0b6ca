using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Campaigns;

/// <summary>
/// A recipient refused by a batch that read their row just before their erasure set its flag (ADR 0024): the refusal the
/// batch logs may land after the erasure removed the person's decisions, and must not outlive it, even when the batch dies
/// between the two.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CampaignErasureRaceTests(AzuriteFixture azurite)
{
    private static Task<TestApp> StartAsync(AzuriteFixture azurite, CrashAfterARefusal? crash = null) =>
        TestApp.StartAsync(azurite, services: s =>
        {
            s.AddSingleton<IAlumniStore>(sp => new InterleavedAlumniStore(new TableAlumniStore(sp.GetRequiredService<AlumniTables>(), sp.GetRequiredService<Pseudonyms>())));
            if (crash is not null)
            {
                s.AddSingleton<IOutreachLog>(sp => crash.Over(new TableOutreachLog(sp.GetRequiredService<AlumniTables>())));
            }
        });

    /// <summary>Four members in one batch, one of whom withdraws their consent to the newsletter once it is planned: the batch refuses them.</summary>
    private static async Task<(Campaign Campaign, Alumnus Refused)> PlanAsync(TestApp app, string campaignId)
    {
        var refused = (await app.SeedMembersAsync(4, [ConsentPurpose.Newsletter]))[3];
        var campaign = await app.StartAndPlanAsync(campaignId);
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var row = (await store.GetAsync(refused.Id, CancellationToken.None))!;
        row.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership };
        Assert.True(await store.TryUpdateAsync(row, CancellationToken.None));
        return (campaign, refused);
    }

    /// <summary>Once the batch has read the refused person's row, their erasure runs to its end; then <paramref name="after"/>.</summary>
    private static void EraseOnceTheirRowIsRead(TestApp app, Alumnus refused, Action? after = null)
    {
        var erased = 0;
        ((InterleavedAlumniStore)app.Services.GetRequiredService<IAlumniStore>()).AfterRangeRead = async ids =>
        {
            if (ids.Contains(refused.Id) && Interlocked.Exchange(ref erased, 1) == 0)
            {
                Assert.Equal(HttpStatusCode.OK, (await app.PostFormAsync(LinkPurpose.Erase, refused.Id)).StatusCode);
                after?.Invoke();
            }
        };
    }

    private static async Task AssertNoRowNamesAsync(TestApp app, Alumnus refused)
    {
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Alumni), r => r.RowKey == refused.Id.Value);
        foreach (var table in new[] { AlumniTables.OutreachDecisions, AlumniTables.Sends, AlumniTables.Consents, AlumniTables.Engagement })
        {
            Assert.DoesNotContain(await app.RowsAsync(table), r => r.PartitionKey.Contains(refused.Id.Value, StringComparison.Ordinal) || r.RowKey.Contains(refused.Id.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task RecipientRefusedFromARowReadJustBeforeTheirErasure_LeavesNoDecisionOnceTheErasureIsDone()
    {
        await using var app = await StartAsync(azurite);
        var (campaign, refused) = await PlanAsync(app, "newsletter-refused-erasing");
        EraseOnceTheirRowIsRead(app, refused);

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));

        Assert.Equal(3, (await app.OutboxAsync()).Count);
        await AssertNoRowNamesAsync(app, refused);
    }

    [Fact]
    public async Task BatchDyingRightAfterItLoggedTheRefusal_ItsRetryTakesTheRefusalBack()
    {
        var crash = new CrashAfterARefusal();
        await using var app = await StartAsync(azurite, crash);
        var (campaign, refused) = await PlanAsync(app, "newsletter-refused-crash");
        EraseOnceTheirRowIsRead(app, refused, after: crash.Arm);

        using (var scope = app.Services.CreateScope())
        {
            var (batch, _) = await scope.ServiceProvider.GetRequiredService<Core.Campaigns.SendCampaignBatch>().HandleAsync(CampaignRunner.BatchMessage(campaign, 1), CancellationToken.None);
            Assert.Null(batch);
        }

        Assert.True(crash.Crashed);
        Assert.Contains(await app.RowsAsync(AlumniTables.OutreachDecisions), r => r.PartitionKey == refused.Id.Value);

        // The dead attempt's lease runs out; the retry finds the batch still being claimed.
        var store = app.Services.GetRequiredService<ICampaignStore>();
        var held = (await store.GetBatchAsync(campaign.Id, 1, CancellationToken.None))!;
        Assert.Equal(BatchStatus.Claiming, held.Status);
        held.LeaseUntil = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        Assert.True(await store.TryUpdateBatchAsync(held, CancellationToken.None));

        Assert.Equal(BatchOutcome.Sent, await app.SendBatchAsync(campaign, 1));

        Assert.Equal(3, (await app.OutboxAsync()).Count);
        await AssertNoRowNamesAsync(app, refused);
    }

    /// <summary>The decision log, whose next refusal lands and then fails as a crash right after the write would.</summary>
    private sealed class CrashAfterARefusal
    {
        private int armed;

        public bool Crashed { get; private set; }

        public void Arm() => Interlocked.Exchange(ref armed, 1);

        public IOutreachLog Over(IOutreachLog inner) => new Log(inner, this);

        private sealed class Log(IOutreachLog inner, CrashAfterARefusal crash) : IOutreachLog
        {
            public async Task RecordAsync(OutreachDecision decision, CancellationToken cancellationToken)
            {
                await inner.RecordAsync(decision, cancellationToken);
                if (!decision.Allowed && Interlocked.Exchange(ref crash.armed, 0) == 1)
                {
                    crash.Crashed = true;
                    throw new IOException("The instance died right after the refusal was written.");
                }
            }

            public Task<IReadOnlyList<OutreachDecision>> SinceAsync(AlumnusId alumnusId, DateTimeOffset since, CancellationToken cancellationToken) =>
                inner.SinceAsync(alumnusId, since, cancellationToken);

            public Task RemoveAsync(AlumnusId alumnusId, CancellationToken cancellationToken) => inner.RemoveAsync(alumnusId, cancellationToken);

            public Task RemoveAsync(IEnumerable<OutreachDecision> decisions, CancellationToken cancellationToken) => inner.RemoveAsync(decisions, cancellationToken);
        }
    }
}
