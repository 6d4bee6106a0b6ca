using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The employee claim on Azurite: one insert for a new employee, and the tombstones it leaves. A person purged for
/// never joining is recognised when the HR system replays a departure it had sent before, and recorded afresh when
/// they leave again after a rehire; a crash anywhere in a purge leaves a claim that intake reads right. A campaign's
/// claim writes the contacts column alone, and only over rows unchanged since they were read.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableAlumniStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateOnly November = new(2026, 11, 30);
    private static readonly DateOnly March = new(2027, 3, 31);
    private static readonly string[] SystemProperties = ["odata.etag", "PartitionKey", "RowKey", "Timestamp"];
    private TestApp app = null!;

    private IAlumniStore Store => app.Services.GetRequiredService<IAlumniStore>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<EmployeeClaim> ClaimAsync(DateOnly lastWorkingDay, string employeeId = "E12345") =>
        Store.ClaimEmployeeAsync(employeeId, lastWorkingDay, null, null, AlumnusId.New(), CancellationToken.None);

    /// <summary>The claim without what was read of its row (ETag, handled webhook ids), for comparing who holds it.</summary>
    private static EmployeeClaim AsRead(EmployeeClaim claim) => claim is EmployeeClaim.Held held ? held with { Version = null, Webhooks = null } : claim;

    /// <summary>Claims and records a never-joined alumnus, as intake does.</summary>
    private async Task<Alumnus> RecordAsync(DateOnly lastWorkingDay, string employeeId = "E12345") =>
        await AddAsync(Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(lastWorkingDay, employeeId)).Id, employeeId, lastWorkingDay);

    /// <summary>An alumnus recorded under an id of the given bucket, so several can share one transaction.</summary>
    private Task<Alumnus> RecordInBucketAsync(string bucket)
    {
        var id = AlumnusId.Parse(bucket + Guid.NewGuid().ToString("N")[2..]);
        return AddAsync(id, "E" + id.Value[2..8], November);
    }

    private async Task<Alumnus> AddAsync(AlumnusId id, string employeeId, DateOnly lastWorkingDay)
    {
        var notice = new DepartureNotice(employeeId, "花子", "山田", EmailAddress.Parse("hanako@example.net"), null, null, null,
            lastWorkingDay, DepartureReason.Voluntary, null, Locale.Japanese);
        await Store.AddAsync(Alumnus.FromDeparture(id, notice, TimeProvider.System.GetUtcNow(), TimeProvider.System.GetUtcNow()), CancellationToken.None);
        return (await Store.GetAsync(id, CancellationToken.None))!;
    }

    private async Task<TableEntity> ClaimRowAsync(string employeeId = "E12345") =>
        Assert.Single(await app.RowsAsync(AlumniTables.AlumniIndex),
            r => r.PartitionKey == "employee:" + app.Services.GetRequiredService<Pseudonyms>().Of("employee", employeeId));

    [Fact]
    public async Task NewEmployee_IsHeldFreshByTheCandidate_AndAgainByTheSameId()
    {
        var first = Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(November));
        var again = Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(November));

        Assert.True(first.Fresh);
        Assert.Equal(new EmployeeClaim.Held(first.Id, Fresh: false), AsRead(again));
    }

    [Fact]
    public async Task ReplayOfTheSameDeparture_AfterAPurge_IsRecognised()
    {
        var alumnus = await RecordAsync(November);

        Assert.True(await Store.DeleteAsync(alumnus, CancellationToken.None));

        Assert.IsType<EmployeeClaim.PurgedReplay>(await ClaimAsync(November));
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task LaterDepartureAfterARehire_AfterAPurge_IsClaimedAfresh_AndTheOldOneStaysKnown()
    {
        var purged = await RecordAsync(November);
        await Store.DeleteAsync(purged, CancellationToken.None);

        var rehired = Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(March));
        var oldReplay = Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(November));

        Assert.True(rehired.Fresh);
        Assert.NotEqual(purged.Id, rehired.Id);
        Assert.Equal(new EmployeeClaim.Held(rehired.Id, Fresh: false), AsRead(oldReplay));
    }

    [Fact]
    public async Task EarlierDepartureSeenWhileTheRecordLived_IsRecognisedAfterThePurgeToo()
    {
        var alumnus = await RecordAsync(March);
        await ClaimAsync(November);

        await Store.DeleteAsync(alumnus, CancellationToken.None);

        Assert.IsType<EmployeeClaim.PurgedReplay>(await ClaimAsync(November));
        Assert.IsType<EmployeeClaim.PurgedReplay>(await ClaimAsync(March));
    }

    [Fact]
    public async Task PurgeTombstone_HoldsNoPersonalDataAndNoDates()
    {
        var alumnus = await RecordAsync(November);
        await Store.DeleteAsync(alumnus, CancellationToken.None);

        var tombstone = await ClaimRowAsync();

        Assert.Matches("^employee:[0-9a-f]{64}$", tombstone.PartitionKey);
        Assert.Equal(["Departures"], tombstone.Keys.Except(SystemProperties));
        Assert.Matches("^[0-9a-f]{64}$", tombstone.GetString("Departures"));
    }

    [Fact]
    public async Task PurgeThatStoppedAfterDeletingTheRecord_StillRecognisesAReplay_AndTakesANewDeparture()
    {
        var alumnus = await RecordAsync(November);
        // What a purge that died between deleting the record and finishing the tombstone leaves behind.
        var claim = await ClaimRowAsync();
        claim["Purging"] = true;
        claim["Departures"] = app.Services.GetRequiredService<Pseudonyms>().Of("departure", "E12345|2026-11-30");
        var index = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.AlumniIndex);
        await index.UpdateEntityAsync(claim, claim.ETag, TableUpdateMode.Replace);
        await app.Tables.GetTableClient(app.TablePrefix + AlumniTables.Alumni).DeleteEntityAsync(alumnus.Id.Bucket, alumnus.Id.Value);

        Assert.IsType<EmployeeClaim.PurgedReplay>(await ClaimAsync(November));
        Assert.Null((await ClaimRowAsync()).GetString("AlumnusId"));
        Assert.True(Assert.IsType<EmployeeClaim.Held>(await ClaimAsync(March)).Fresh);
    }

    [Fact]
    public async Task PurgeThatLostToAChange_RemovesNothing_AndLeavesTheClaimLive()
    {
        var read = await RecordAsync(November);
        var joined = (await Store.GetAsync(read.Id, CancellationToken.None))!;
        joined.MarkInvited(TimeProvider.System.GetUtcNow());
        joined.Join(TimeProvider.System.GetUtcNow());
        Assert.True(await Store.TryUpdateAsync(joined, CancellationToken.None));

        Assert.False(await Store.DeleteAsync(read, CancellationToken.None));

        var claim = await ClaimRowAsync();
        Assert.Equal((read.Id.Value, (bool?)null), (claim.GetString("AlumnusId"), claim.GetBoolean("Purging")));
        Assert.Equal(new EmployeeClaim.Held(read.Id, Fresh: false), AsRead(await ClaimAsync(November)));
    }

    [Fact]
    public async Task WithdrawalDeleteThatLostToAChange_RemovesNothing_AndAFreshReadRemovesIt()
    {
        // The same conditional delete as the purge's: a record invited since it was read is kept, to be decided again.
        var read = await RecordAsync(November);
        var invited = (await Store.GetAsync(read.Id, CancellationToken.None))!;
        invited.MarkInvited(TimeProvider.System.GetUtcNow());
        Assert.True(await Store.TryUpdateAsync(invited, CancellationToken.None));

        Assert.False(await Store.DeleteWithdrawnAsync(read, CancellationToken.None));
        Assert.NotNull(await Store.GetAsync(read.Id, CancellationToken.None));

        Assert.True(await Store.DeleteWithdrawnAsync(invited, CancellationToken.None));
        Assert.Null(await Store.GetAsync(read.Id, CancellationToken.None));
    }

    [Fact]
    public async Task MarkLeftByAPurgeThatDiedBeforeDeleting_IsReadAsALiveClaim()
    {
        var alumnus = await RecordAsync(November);
        var claim = await ClaimRowAsync();
        claim["Purging"] = true;
        await app.Tables.GetTableClient(app.TablePrefix + AlumniTables.AlumniIndex).UpdateEntityAsync(claim, claim.ETag, TableUpdateMode.Replace);

        Assert.Equal(new EmployeeClaim.Held(alumnus.Id, Fresh: false), AsRead(await ClaimAsync(November)));
        Assert.True(await Store.DeleteAsync(alumnus, CancellationToken.None));
        Assert.IsType<EmployeeClaim.PurgedReplay>(await ClaimAsync(November));
    }

    [Fact]
    public async Task Erasure_LeavesOnlyTheErasedMark_AndRefusesEveryDepartureAfter()
    {
        var alumnus = await RecordAsync(November);

        await Store.EraseAsync(alumnus, CancellationToken.None);

        var tombstone = await ClaimRowAsync();
        Assert.Equal(["Erased"], tombstone.Keys.Except(SystemProperties));
        Assert.IsType<EmployeeClaim.Erased>(await ClaimAsync(November));
        Assert.IsType<EmployeeClaim.Erased>(await ClaimAsync(March));
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
    }

    [Fact]
    public async Task ConflictOfInterestFlag_RoundTrips_AndClearing_RemovesIt()
    {
        var alumnus = await RecordAsync(November);
        var flag = new ConflictFlag("entry-1", "Competitor", new DateTimeOffset(2027, 1, 5, 9, 0, 0, TimeSpan.Zero));

        alumnus.ConflictOfInterest = flag;
        Assert.True(await Store.TryUpdateAsync(alumnus, CancellationToken.None));
        var flagged = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;
        var read = flagged.ConflictOfInterest;
        flagged.ConflictOfInterest = null;
        Assert.True(await Store.TryUpdateAsync(flagged, CancellationToken.None));
        var cleared = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;

        Assert.Equal(flag, read);
        Assert.Null(cleared.ConflictOfInterest);
    }

    [Fact]
    public async Task CountErased_CountsErasureTombstonesOnly_NotLiveClaimsNorPurgeTombstones_NorAReturnClaimsTombstone()
    {
        // Rehired under E1-NEW, then erased: one person, two tombstones, counted once.
        var rehired = await RecordAsync(November, "E1");
        await Store.ClaimReturnAsync(app.Services.GetRequiredService<Pseudonyms>().Of("employee", "E1-NEW"), rehired, CancellationToken.None);
        await Store.EraseAsync(rehired, CancellationToken.None);
        await Store.EraseAsync(await RecordAsync(November, "E2"), CancellationToken.None);
        await RecordAsync(November, "E3");
        var purged = await RecordAsync(November, "E4");
        Assert.True(await Store.DeleteAsync(purged, CancellationToken.None));

        Assert.Equal(2, await Store.CountErasedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WritingContacts_WritesThatColumnAlone_AndAnEmptyListClearsIt()
    {
        var alumnus = await RecordAsync(November);
        var contact = new OutreachContact("newsletter-2026-12", 3, new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));

        alumnus.Contacts = [contact];
        alumnus.GivenName = "changed in memory, never saved";
        Assert.True(await Store.TryWriteContactsAsync([alumnus], CancellationToken.None));
        var claimed = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;
        alumnus.Contacts = [];
        var second = await Store.TryWriteContactsAsync([alumnus], CancellationToken.None); // with the ETag the first write returned
        var cleared = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;

        Assert.Equal([contact], claimed.Contacts);
        Assert.Equal("花子", claimed.GivenName);
        Assert.True(second);
        Assert.Empty(cleared.Contacts);
        Assert.Equal("花子", cleared.GivenName);
    }

    [Fact]
    public async Task WritingContacts_WhenOneRowChangedSinceRead_WritesNoneOfThem()
    {
        var first = await RecordInBucketAsync("ab");
        var second = await RecordInBucketAsync("ab");
        var stale = (await Store.GetAsync(second.Id, CancellationToken.None))!;
        var earlier = new OutreachContact("event-1", 1, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        second.Contacts = [earlier];
        Assert.True(await Store.TryWriteContactsAsync([second], CancellationToken.None));

        var contact = new OutreachContact("newsletter-2026-12", 1, new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
        (first.Contacts, stale.Contacts) = ([contact], [contact]);
        var written = await Store.TryWriteContactsAsync([first, stale], CancellationToken.None);

        Assert.False(written);
        Assert.Empty((await Store.GetAsync(first.Id, CancellationToken.None))!.Contacts);
        Assert.Equal([earlier], (await Store.GetAsync(second.Id, CancellationToken.None))!.Contacts);
    }

    [Fact]
    public async Task CampaignRecipients_ReadBackEveryFieldTheBatchUses_AndTheirClaimMergesWithTheETagRead()
    {
        var alumnus = await RecordInBucketAsync("cd");
        await RecordInBucketAsync("cd"); // a neighbour in the range, read too
        (alumnus.Department, alumnus.RehireEligible, alumnus.DoNotContact, alumnus.Status, alumnus.Locale) = ("営業部", false, true, AlumnusStatus.Joined, Locale.English);
        alumnus.ErasureStartedAt = new DateTimeOffset(2027, 1, 6, 9, 0, 0, TimeSpan.Zero);
        alumnus.Consented = new HashSet<ConsentPurpose> { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter };
        alumnus.Suppressed = SuppressionReason.Bounce;
        alumnus.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", new DateTimeOffset(2027, 1, 5, 9, 0, 0, TimeSpan.Zero));
        alumnus.Contacts = [new OutreachContact("event-1", 2, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))];
        Assert.True(await Store.TryUpdateAsync(alumnus, CancellationToken.None));
        var stored = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;

        var read = await Store.ListRecipientsAsync(AlumnusId.Parse("cd" + new string('0', 30)), AlumnusId.Parse("cd" + new string('f', 30)), CancellationToken.None).ToListAsync();
        var recipient = Assert.Single(read, r => r.Id == alumnus.Id);

        Assert.Equal(2, read.Count);
        foreach (var property in typeof(IRecipient).GetProperties())
        {
            Assert.Equal(property.GetValue(stored), property.GetValue(recipient));
        }

        // The claim writes the contacts column with the ETag the projection read, and leaves the rest of the row as it was.
        var contact = new OutreachContact("newsletter-2027-01", 1, new DateTimeOffset(2027, 1, 4, 1, 0, 0, TimeSpan.Zero));
        recipient.Contacts = [contact, .. recipient.Contacts];
        Assert.True(await Store.TryWriteContactsAsync([recipient], CancellationToken.None));
        var claimed = (await Store.GetAsync(alumnus.Id, CancellationToken.None))!;
        Assert.Equal(recipient.Contacts, claimed.Contacts);
        Assert.Equal((stored.EmployeeId, stored.WelcomeDueAt, stored.RecordedAt, stored.GivenName), (claimed.EmployeeId, claimed.WelcomeDueAt, claimed.RecordedAt, claimed.GivenName));
        Assert.Equal(claimed.ETag, recipient.ETag);
        recipient.ETag = stored.ETag; // the version before the claim
        Assert.False(await Store.TryWriteContactsAsync([recipient], CancellationToken.None));
    }

    [Fact]
    public async Task WelcomeRound_IsStoredAndReadBack()
    {
        var alumnus = await RecordAsync(November);
        Assert.Equal(1, alumnus.WelcomeRound);

        alumnus.WelcomeRound = 2;
        Assert.True(await Store.TryUpdateAsync(alumnus, CancellationToken.None));

        Assert.Equal(2, (await Store.GetAsync(alumnus.Id, CancellationToken.None))!.WelcomeRound);
    }
}
