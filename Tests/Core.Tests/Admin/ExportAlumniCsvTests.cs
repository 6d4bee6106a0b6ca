using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

public sealed class ExportAlumniCsvTests
{
    private readonly Mock<IAlumniStore> alumni = new();
    private readonly Mock<IConsentLedger> consents = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<AuditEntry> audited;

    public ExportAlumniCsvTests() => audited = audit.Captures();

    private ExportAlumniCsv Handler() => new(alumni.Object, consents.Object, audit.Object, new FakeTimeProvider(AdminFixtures.Now), NullLogger<ExportAlumniCsv>.Instance);

    private async Task<(byte[] Bytes, int Rows)> ExportAsync()
    {
        using var output = new MemoryStream();
        var rows = await Handler().WriteAsync(output, "admin-sub", CancellationToken.None);
        return (output.ToArray(), rows);
    }

    [Fact]
    public async Task Export_StartsWithBomAndHeaderThenOneRowPerAlumnus()
    {
        var hanako = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net", employeeId: "E100");
        hanako.InvitedAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
        hanako.DoNotContact = true;
        var taro = AdminFixtures.Alumnus("Suzuki", "Taro", "taro@example.com", department: null, employeeId: "E200");
        taro.RehireEligible = null;
        alumni.Lists(hanako, taro);
        consents.Histories(
            AdminFixtures.Consent(hanako, ConsentPurpose.NetworkMembership),
            AdminFixtures.Consent(hanako, ConsentPurpose.Newsletter),
            AdminFixtures.Consent(hanako, ConsentPurpose.Events, granted: false));

        var (bytes, rows) = await ExportAsync();

        Assert.Equal(2, rows);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(
            "id,employeeId,familyName,givenName,personalEmail,department,jobTitle,hireDate,lastWorkingDay,reason,rehireEligible,doNotContact,locale,status,recordedAt,invitedAt,joinedAt,consents",
            lines[0]);
        Assert.Equal(
            $"{hanako.Id},E100,山田,花子,hanako@example.net,Retail Banking,Analyst,2018-04-01,2026-11-30,Voluntary,true,true,ja-JP,Departed,2026-11-20T01:02:03Z,2026-12-02T00:00:00Z,,NetworkMembership;Newsletter",
            lines[1]);
        Assert.Equal(
            $"{taro.Id},E200,Suzuki,Taro,taro@example.com,,Analyst,2018-04-01,2026-11-30,Voluntary,,false,ja-JP,Departed,2026-11-20T01:02:03Z,,,",
            lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public async Task PersonWhoseErasureIsUnderWay_IsNotExported()
    {
        var hanako = AdminFixtures.Alumnus("山田", "花子", "hanako@example.net");
        var erasing = AdminFixtures.Alumnus("Suzuki", "Taro", "taro@example.com");
        erasing.ErasureStartedAt = AdminFixtures.Now.AddHours(-3);
        alumni.Lists(hanako, erasing);
        consents.Histories();

        var (bytes, rows) = await ExportAsync();

        Assert.Equal(1, rows);
        Assert.DoesNotContain("taro@example.com", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileNames_AreQuotedAndNeutralised()
    {
        var hostile = AdminFixtures.Alumnus("=HYPERLINK(\"http://evil\")", "Line\nBreak, \"quoted\"", "x@example.com");
        hostile.Department = "@SUM(1)";
        alumni.Lists(hostile);
        consents.Histories();

        var text = Encoding.UTF8.GetString((await ExportAsync()).Bytes[3..]);

        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",\"Line\nBreak, \"\"quoted\"\"\",x@example.com,'@SUM(1),", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsAuditedBeforeTheFirstByteAndAgainWithTheRowCount()
    {
        var written = new List<long>();
        using var output = new MemoryStream();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => { audited.Add(e); written.Add(output.Length); })
            .Returns(Task.CompletedTask);
        alumni.Lists(AdminFixtures.Alumnus("山田", "花子", "hanako@example.net"));
        consents.Histories();

        await Handler().WriteAsync(output, "admin-sub", CancellationToken.None);

        Assert.Equal(
            [
                new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumniExport, "", "format=csv"),
                new AuditEntry(AdminFixtures.Now, "admin-sub", AdminAuditActions.AlumniExportCompleted, "", "format=csv; rows=1"),
            ],
            audited);
        Assert.Equal(0, written[0]);
    }

    [Fact]
    public async Task EveryExportedAlumnus_IsRecordedAsASubjectBeforeTheirRowIsWritten()
    {
        using var output = new MemoryStream();
        var recorded = new List<(AlumnusId Id, long WrittenBefore)>();
        audit.Setup(a => a.RecordSubjectsAsync(It.IsAny<AuditEntry>(), It.IsAny<IReadOnlyCollection<AlumnusId>>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, IReadOnlyCollection<AlumnusId> ids, CancellationToken _) =>
            {
                Assert.Equal(AdminAuditActions.AlumniExport, e.Action);
                recorded.AddRange(ids.Select(id => (id, output.Length)));
            })
            .Returns(Task.CompletedTask);
        var many = Enumerable.Range(0, ExportAlumniCsv.SubjectBatchSize + 5)
            .Select(i => AdminFixtures.Alumnus("山田", $"花子{i}", $"hanako{i}@example.net", employeeId: $"E{i:0000}")).ToArray();
        alumni.Lists(many);
        consents.Histories();

        var rows = await Handler().WriteAsync(output, "admin-sub", CancellationToken.None);
        var csv = Encoding.UTF8.GetString(output.ToArray());

        Assert.Equal(many.Length, rows);
        Assert.Equal(many.Select(a => a.Id), recorded.Select(r => r.Id));
        // The second batch was recorded after the first batch's rows were written, and before its own.
        var secondBatchRecordedAt = recorded[ExportAlumniCsv.SubjectBatchSize].WrittenBefore;
        Assert.DoesNotContain(many[ExportAlumniCsv.SubjectBatchSize].Id.Value, Encoding.UTF8.GetString(output.ToArray()[..(int)secondBatchRecordedAt]), StringComparison.Ordinal);
        Assert.Contains(many[ExportAlumniCsv.SubjectBatchSize - 1].Id.Value, Encoding.UTF8.GetString(output.ToArray()[..(int)secondBatchRecordedAt]), StringComparison.Ordinal);
        Assert.Contains(many[^1].Id.Value, csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedAuditWrite_WritesNothing()
    {
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("audit down"));
        alumni.Lists(AdminFixtures.Alumnus("山田", "花子", "hanako@example.net"));
        using var output = new MemoryStream();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler().WriteAsync(output, "admin-sub", CancellationToken.None));

        Assert.Equal(0, output.Length);
        alumni.Verify(a => a.ListAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ManyAlumni_AreExportedInOrderAcrossConsentBatches()
    {
        var many = Enumerable.Range(0, 123).Select(i => AdminFixtures.Alumnus("Sato", $"N{i:D3}", $"n{i}@example.com")).ToArray();
        alumni.Lists(many);
        consents.Histories(many.Where((_, i) => i % 2 == 0).Select(a => AdminFixtures.Consent(a, ConsentPurpose.Surveys)).ToArray());

        var (bytes, rows) = await ExportAsync();

        Assert.Equal(123, rows);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n")[1..^1];
        Assert.Equal(many.Select(a => a.Id.Value), lines.Select(l => l.Split(',')[0]));
        Assert.All(lines.Select((line, i) => (line, i)), x => Assert.Equal(x.i % 2 == 0 ? "Surveys" : "", x.line.Split(',')[^1]));
    }

    [Fact]
    public void FileName_CarriesTheUtcDate() => Assert.Equal("alumni-20261210.csv", Handler().FileName());
}
