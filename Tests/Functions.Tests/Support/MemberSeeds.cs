using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>
/// Many members at once, written through the app's own storage adapters: the alumnus row (with its consent
/// projection, as joining leaves it) and the consent ledger entries behind it. Faster than the join form for the
/// thousands a campaign test needs, and the same rows.
/// </summary>
internal static class MemberSeeds
{
    public static async Task<IReadOnlyList<Alumnus>> SeedMembersAsync(
        this TestApp app, int count, ConsentPurpose[] purposes, Func<int, Locale>? locale = null, DateOnly? lastWorkingDay = null, Func<int, string>? email = null)
    {
        var alumni = app.Services.GetRequiredService<IAlumniStore>();
        var ledger = app.Services.GetRequiredService<TableConsentLedger>();
        var left = lastWorkingDay ?? new DateOnly(2026, 6, 30);
        var joinedAt = new DateTimeOffset(2026, 7, 15, 0, 0, 0, TimeSpan.Zero);
        var granted = purposes.Append(ConsentPurpose.NetworkMembership).ToHashSet();
        var members = Enumerable.Range(0, count).Select(i => new Alumnus
        {
            Id = AlumnusId.New(),
            EmployeeId = $"S{i:D6}-{Guid.NewGuid():N}"[..20],
            GivenName = (locale?.Invoke(i) ?? Locale.Japanese) == Locale.Japanese ? "花子" : "Hanako",
            FamilyName = $"Member{i}",
            PersonalEmail = EmailAddress.Parse(email?.Invoke(i) ?? $"member{i}@example.net"),
            Department = i % 2 == 0 ? "Retail Banking" : "Markets",
            LastWorkingDay = left,
            Reason = DepartureReason.Voluntary,
            Locale = locale?.Invoke(i) ?? Locale.Japanese,
            Status = AlumnusStatus.Joined,
            WelcomeDueAt = joinedAt.AddDays(-10),
            RecordedAt = joinedAt.AddDays(-20),
            InvitedAt = joinedAt.AddDays(-10),
            JoinedAt = joinedAt,
            Consented = granted,
        }).ToArray();

        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (member, ct) =>
        {
            await alumni.AddAsync(member, ct);
            foreach (var purpose in granted)
            {
                await ledger.AppendAsync(new ConsentRecord(member.Id, purpose, true, joinedAt, ConsentMethod.Link, ConsentWording.Join), ct);
            }
        });
        return members;
    }
}
