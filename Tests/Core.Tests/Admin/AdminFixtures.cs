using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Consent;
using Moq;

namespace AlumniNetwork.Core.Tests.Admin;

/// <summary>Alumni with chosen names, addresses and states, and the port set-ups the admin use cases read through.</summary>
internal static class AdminFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 12, 10, 3, 0, 0, TimeSpan.Zero);

    public static Alumnus Alumnus(string familyName, string givenName, string email, string? department = "Retail Banking",
        AlumnusStatus status = AlumnusStatus.Departed, string employeeId = "E1", AlumnusId? id = null) => new()
    {
        Id = id ?? AlumnusId.New(),
        EmployeeId = employeeId,
        FamilyName = familyName,
        GivenName = givenName,
        PersonalEmail = EmailAddress.Parse(email),
        Department = department,
        JobTitle = "Analyst",
        HireDate = new DateOnly(2018, 4, 1),
        LastWorkingDay = new DateOnly(2026, 11, 30),
        Reason = DepartureReason.Voluntary,
        RehireEligible = true,
        Locale = Locale.Japanese,
        Status = status,
        WelcomeDueAt = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero),
        RecordedAt = new DateTimeOffset(2026, 11, 20, 1, 2, 3, TimeSpan.Zero),
        ETag = "etag-1",
    };

    public static ConsentRecord Consent(Alumnus alumnus, ConsentPurpose purpose, bool granted = true, int daysAgo = 5) =>
        new(alumnus.Id, purpose, granted, Now.AddDays(-daysAgo), ConsentMethod.Link, "test-1");

    public static void Lists(this Mock<IAlumniStore> store, params Alumnus[] alumni) =>
        store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).Returns(() => ToAsync(alumni));

    public static void Histories(this Mock<IConsentLedger> ledger, params ConsentRecord[] records)
    {
        ledger.Setup(l => l.HistoryAsync(It.IsAny<AlumnusId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AlumnusId id, CancellationToken _) => records.Where(r => r.AlumnusId == id).OrderBy(r => r.At).ToArray());
    }

    public static List<AuditEntry> Captures(this Mock<IAuditLog> audit)
    {
        var entries = new List<AuditEntry>();
        audit.Setup(a => a.WriteAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) => entries.Add(e))
            .Returns(Task.CompletedTask);
        return entries;
    }

    private static async IAsyncEnumerable<Alumnus> ToAsync(IEnumerable<Alumnus> alumni)
    {
        foreach (var alumnus in alumni)
        {
            await Task.Yield();
            yield return alumnus;
        }
    }
}
