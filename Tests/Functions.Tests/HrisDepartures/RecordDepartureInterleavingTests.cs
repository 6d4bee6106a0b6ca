using System.Globalization;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.HrisDepartures;

/// <summary>
/// Intake on Azurite with another request's writes put between two of its steps: a concurrent delivery of the same new
/// employee, and a retention purge. Whatever interleaves, the stored record and its welcome follow the latest departure,
/// and a purged person is not re-created.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordDepartureInterleavingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private IAlumniStore Store => app.Services.GetRequiredService<IAlumniStore>();

    private static DepartureNotice Notice(string lastWorkingDay) => new("E12345", "花子", "山田", EmailAddress.Parse("hanako@example.net"), "Retail Banking", "Analyst",
        new DateOnly(2018, 4, 1), DateOnly.Parse(lastWorkingDay, CultureInfo.InvariantCulture), DepartureReason.Voluntary, true, Locale.Japanese);

    private static DateTimeOffset Instant(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private async Task<RecordDepartureResult> RecordAsync(InterleavedAlumniStore store, DepartureNotice notice)
    {
        using var scope = app.Services.CreateScope();
        return await ActivatorUtilities.CreateInstance<RecordDeparture>(scope.ServiceProvider, store).HandleAsync(notice, CancellationToken.None);
    }

    [Fact]
    public async Task OtherDeliveryWritesTheRecordBetweenThisOnesReadAndInsert_TheLaterLastWorkingDayIsKeptAndScheduled()
    {
        // The first delivery (30 November) has claimed the new employee and not yet written the record.
        var first = Notice("2026-11-30");
        var claim = Assert.IsType<EmployeeClaim.Held>(await Store.ClaimEmployeeAsync(first.EmployeeId, first.LastWorkingDay, null, null, AlumnusId.New(), CancellationToken.None));
        var interleaved = new InterleavedAlumniStore(Store)
        {
            // It writes the record and its welcome after the corrected delivery found no record, before that one's insert.
            BeforeAdd = async () =>
            {
                var record = Alumnus.FromDeparture(claim.Id, first, app.Services.GetRequiredService<WelcomeSchedule>().DueAt(first.LastWorkingDay), TimeProvider.System.GetUtcNow());
                Assert.True(await Store.AddAsync(record, CancellationToken.None));
                await app.Services.GetRequiredService<IWorkItemStore>().ScheduleAsync(
                    new WorkItem { Kind = WorkKinds.WelcomeInvitation, SubjectId = claim.Id.Value, DueAt = record.WelcomeDueAt }, CancellationToken.None);
            },
        };

        var result = await RecordAsync(interleaved, Notice("2026-12-31"));

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Known, claim.Id), result);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Alumni));
        // 31 December + 2 days at 09:00 in Tokyo.
        var due = Instant("2027-01-02T00:00:00Z");
        Assert.Equal(("2026-12-31", due), (row.GetString("LastWorkingDay"), row.GetDateTimeOffset("WelcomeDueAt")));
        Assert.Contains(due, (await app.RowsAsync(AlumniTables.WorkItems)).Select(w => w.GetDateTimeOffset("DueAt")));
    }

    [Fact]
    public async Task PurgeFinishesBetweenTheClaimAndTheRecordRead_TheReplayedDepartureRecreatesNobody()
    {
        var id = await app.DepartAsync(lastWorkingDay: "2026-11-30");
        var interleaved = new InterleavedAlumniStore(Store)
        {
            // The retention purge of the never-joined person runs to its end after intake read the live claim.
            AfterClaim = async () => Assert.True(await Store.DeleteAsync((await Store.GetAsync(id, CancellationToken.None))!, CancellationToken.None)),
        };

        var result = await RecordAsync(interleaved, Notice("2026-11-30"));

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.PurgedReplay, null), result);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Null(await Store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task WithdrawalBetweenTheFreshClaimAndTheRecordsInsert_TheRecordIsRemovedAndNoWelcomeScheduled()
    {
        var interleaved = new InterleavedAlumniStore(Store)
        {
            // HR's withdrawal arrives after the new employee's claim, finds no record yet and lets the claim go.
            AfterClaim = async () =>
            {
                using var scope = app.Services.CreateScope();
                var withdrawal = new WithdrawalNotice("E12345", Instant("2026-11-30T12:00:00Z")) { WebhookId = "msg_withdrawn" };
                var withdrawn = await ActivatorUtilities.CreateInstance<WithdrawDeparture>(scope.ServiceProvider).HandleAsync(withdrawal, CancellationToken.None);
                Assert.Equal(WithdrawalDisposition.Withdrawn, withdrawn.Disposition);
            },
        };

        var result = await RecordAsync(interleaved, Notice("2026-11-30") with { EventAt = Instant("2026-11-30T09:00:00Z") });

        Assert.Equal(new RecordDepartureResult(DepartureDisposition.Withdrawn, null), result);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.WorkItems), w => w.GetString("Kind") == WorkKinds.WelcomeInvitation);
    }
}
