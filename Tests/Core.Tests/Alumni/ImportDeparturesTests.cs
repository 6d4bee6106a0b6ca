using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class ImportDeparturesTests
{
    private const string Header = "employeeId,givenName,familyName,personalEmail,lastWorkingDay,reason\n";

    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IWorkItemStore> work = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
    private readonly LogLines<ImportDepartures> logger = new();

    public ImportDeparturesTests()
    {
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        alumni.Setup(a => a.TryUpdateAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private ImportDepartures Handler(int maxRows = 2_000, TimeSpan? signatureTolerance = null)
    {
        var record = new RecordDeparture(
            alumni.Object, work.Object, Mock.Of<ISuppressionList>(),
            new WelcomeSchedule(Options.Create(new WelcomeOptions()), new Company.CompanyCalendar(Builders.Company())),
            time, NullLogger<RecordDeparture>.Instance);
        return new ImportDepartures(record, Options.Create(new HrisImportOptions { MaxRows = maxRows }), Builders.Company(), new Company.CompanyMailDomains(["example.co.jp"]),
            Options.Create(new HrisClockOptions { SignatureTolerance = signatureTolerance ?? TimeSpan.FromMinutes(5) }), time, logger);
    }

    private static ReadOnlyMemory<byte> Rows(params string[] employeeIds) =>
        Encoding.UTF8.GetBytes(Header + string.Concat(employeeIds.Select(id => $"{id},Hanako,Yamada,{id}@example.net,2026-11-30,voluntary\n")));

    private void Claims(string employeeId, EmployeeClaim claim) =>
        alumni.Setup(a => a.ClaimEmployeeAsync(employeeId, It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>())).ReturnsAsync(claim);

    [Fact]
    public async Task ValidBatch_RecordsEveryRowWithoutAWebhookIdAndCountsWhatHappened()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync(It.IsIn("N1", "N2"), It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        var known = Builders.Alumnus(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), AlumnusStatus.Joined);
        Claims("K1", new EmployeeClaim.Held(known.Id, Fresh: false));
        alumni.Setup(a => a.GetAsync(known.Id, It.IsAny<CancellationToken>())).ReturnsAsync(known);
        Claims("X1", new EmployeeClaim.Erased());
        Claims("P1", new EmployeeClaim.PurgedReplay());

        var outcome = await Handler().HandleAsync(DepartureBatchFormat.Csv, Rows("N1", "K1", "X1", "N2", "P1"), CancellationToken.None);

        Assert.Equal(new DepartureImportCounts(Created: 2, Known: 1, Erased: 1, Purged: 1), Assert.IsType<DepartureImportOutcome.Imported>(outcome).Counts);
        alumni.Verify(a => a.ClaimEmployeeAsync(It.IsAny<string>(), It.IsAny<DateOnly>(), It.IsNotNull<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task BatchWithOneBadRow_RecordsNothing()
    {
        var body = Encoding.UTF8.GetBytes(Header + "E1,Hanako,Yamada,e1@example.net,2026-11-30,voluntary\nE2,Taro,Sato,taro@example.co.jp,2026-11-30,voluntary\n");

        var outcome = await Handler().HandleAsync(DepartureBatchFormat.Csv, body, CancellationToken.None);

        Assert.Equal("rows[2].personalEmail", Assert.Single(Assert.IsType<DepartureImportOutcome.Invalid>(outcome).Errors).Field);
        alumni.VerifyNoOtherCalls();
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task BatchOverTheConfiguredLimit_RecordsNothing()
    {
        var outcome = await Handler(maxRows: 1).HandleAsync(DepartureBatchFormat.Csv, Rows("E1", "E2"), CancellationToken.None);

        Assert.IsType<DepartureImportOutcome.Invalid>(outcome);
        alumni.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task JsonBatch_IsReadByTheSameRules()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync("E1", It.IsAny<DateOnly>(), null, It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        var body = Encoding.UTF8.GetBytes("""[{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]""");

        var outcome = await Handler().HandleAsync(DepartureBatchFormat.Json, body, CancellationToken.None);

        Assert.Equal(new DepartureImportCounts(1, 0, 0, 0), Assert.IsType<DepartureImportOutcome.Imported>(outcome).Counts);
    }

    [Fact]
    public async Task NightlyBatch_IsRecordedLikeTheImport_AndAnotherTypeRecordsNothing()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync("E1", It.IsAny<DateOnly>(), null, It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        const string Batch = """{"type": "employee.departed.batch", "timestamp": "2026-11-19T02:00:00Z", "data": [{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]}""";

        var wrongType = await Handler().HandleBatchEventAsync(Encoding.UTF8.GetBytes(Batch.Replace(".batch", "", StringComparison.Ordinal)), CancellationToken.None);
        Assert.Equal("type", Assert.Single(Assert.IsType<DepartureImportOutcome.Invalid>(wrongType).Errors).Field);
        alumni.Verify(a => a.ClaimEmployeeAsync(It.IsAny<string>(), It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);

        var outcome = await Handler().HandleBatchEventAsync(Encoding.UTF8.GetBytes(Batch), CancellationToken.None);

        Assert.Equal(new DepartureImportCounts(1, 0, 0, 0), Assert.IsType<DepartureImportOutcome.Imported>(outcome).Counts);
    }

    [Fact]
    public async Task NightlyBatch_StampedFurtherAheadThanTheSignatureTolerance_RecordsNothing_NamingTimestamp_UnlessTheToleranceAllowsIt()
    {
        NewEmployees(alumni);
        var batch = Encoding.UTF8.GetBytes($$"""{"type": "employee.departed.batch", "timestamp": "{{time.GetUtcNow().AddMinutes(6):O}}", "data": [{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]}""");

        var refused = await Handler().HandleBatchEventAsync(batch, CancellationToken.None);

        Assert.Equal("timestamp", Assert.Single(Assert.IsType<DepartureImportOutcome.Invalid>(refused).Errors).Field);
        alumni.Verify(a => a.ClaimEmployeeAsync(It.IsAny<string>(), It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()), Times.Never);
        alumni.Verify(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>()), Times.Never);

        var taken = await Handler(signatureTolerance: TimeSpan.FromMinutes(10)).HandleBatchEventAsync(batch, CancellationToken.None);

        Assert.Equal(new DepartureImportCounts(1, 0, 0, 0), Assert.IsType<DepartureImportOutcome.Imported>(taken).Counts);
    }

    [Fact]
    public async Task NightlyBatch_LogsItsCountsAndARefusal_NeverWhom()
    {
        alumni.Setup(a => a.ClaimEmployeeAsync("E1", It.IsAny<DateOnly>(), null, It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));
        const string Batch = """{"type": "employee.departed.batch", "timestamp": "2026-11-19T02:00:00Z", "data": [{"employeeId": "E1", "givenName": "Hanako", "familyName": "Yamada", "personalEmail": "hanako@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]}""";

        await Handler().HandleBatchEventAsync(Encoding.UTF8.GetBytes(Batch), CancellationToken.None);
        await Handler().HandleBatchEventAsync(Encoding.UTF8.GetBytes(Batch.Replace("2026-11-30", "30/11/2026", StringComparison.Ordinal)), CancellationToken.None);

        Assert.Equal(
            [(LogLevel.Information, "Nightly HRIS batch recorded: 1 created, 0 known, 0 erased, 0 purged"),
             (LogLevel.Warning, "Nightly HRIS batch refused: it broke the batch rules and nothing was recorded")],
            logger.Entries);
        Assert.DoesNotContain(logger.Lines, line => line.Contains("E1", StringComparison.Ordinal) || line.Contains("hanako", StringComparison.OrdinalIgnoreCase));
    }

    private static void NewEmployees(Mock<IAlumniStore> store) =>
        store.Setup(a => a.ClaimEmployeeAsync(It.IsAny<string>(), It.IsAny<DateOnly>(), It.IsAny<string?>(), It.IsAny<DateTimeOffset?>(), It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, DateOnly _, string? _, DateTimeOffset? _, AlumnusId candidate, CancellationToken _) => new EmployeeClaim.Held(candidate, Fresh: true));

    [Fact]
    public async Task AdminImport_IsAuditedBeforeTheFirstRow_SoAnImportThatBreaksOffIsOnTheLog()
    {
        NewEmployees(alumni);
        alumni.Setup(a => a.AddAsync(It.IsAny<Alumnus>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("storage went away"));
        var audit = new Mock<IAuditLog>();
        var written = new List<AuditEntry>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => written.Add(e)).Returns(Task.CompletedTask);

        await Assert.ThrowsAnyAsync<Exception>(() => new AdminDepartureImport(Handler(), audit.Object, time)
            .HandleAsync(DepartureBatchFormat.Csv, Rows("E1", "E2"), "admin@example.co.jp", CancellationToken.None));

        var entry = Assert.Single(written);
        Assert.Equal((AdminAuditActions.DeparturesImport, "", "format=csv; rows=2"), (entry.Action, entry.Subject, entry.Detail));
    }

    [Fact]
    public async Task AdminImport_WhoseAuditWriteFails_RecordsNothing()
    {
        var audit = new Mock<IAuditLog>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("audit table down"));

        await Assert.ThrowsAsync<IOException>(() => new AdminDepartureImport(Handler(), audit.Object, time)
            .HandleAsync(DepartureBatchFormat.Csv, Rows("E1"), "admin@example.co.jp", CancellationToken.None));

        alumni.VerifyNoOtherCalls();
        work.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task AdminImport_CompletedIsAuditedWithTheCounts_AndARefusedBatchNotAtAll()
    {
        NewEmployees(alumni);
        var audit = new Mock<IAuditLog>();
        var written = new List<AuditEntry>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).Callback((AuditEntry e, CancellationToken _) => written.Add(e)).Returns(Task.CompletedTask);
        var import = new AdminDepartureImport(Handler(maxRows: 2), audit.Object, time);

        Assert.IsType<DepartureImportOutcome.Invalid>(await import.HandleAsync(DepartureBatchFormat.Csv, Rows("E1", "E2", "E3"), "admin@example.co.jp", CancellationToken.None));
        Assert.Empty(written);
        Assert.IsType<DepartureImportOutcome.Imported>(await import.HandleAsync(DepartureBatchFormat.Csv, Rows("E1", "E2"), "admin@example.co.jp", CancellationToken.None));

        Assert.Equal(
            [(AdminAuditActions.DeparturesImport, "format=csv; rows=2"), (AdminAuditActions.DeparturesImportCompleted, "created=2; known=0; erased=0; purged=0")],
            written.Select(e => (e.Action, e.Detail)));
    }
}
