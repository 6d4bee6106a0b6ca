using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Bench.IntakeLoad;

/// <summary>
/// The floor for intake: exactly the storage calls the product makes for a new departure, with entities of the same
/// shape, straight on Azure.Data.Tables with no HTTP, no signature check and no validation. The product's calls, and
/// why each is needed, are listed in docs/performance.md.
/// </summary>
internal sealed class RawIntake(TableClient index, TableClient alumni, TableClient work, byte[] pseudonymKey)
{
    public static async Task<RawIntake> CreateAsync(TableServiceClient service, string prefix, byte[] pseudonymKey)
    {
        var tables = new List<TableClient>();
        foreach (var name in new[] { "AlumniIndex", "Alumni", "WorkItems" })
        {
            var table = service.GetTableClient(prefix + name);
            await table.CreateIfNotExistsAsync();
            tables.Add(table);
        }

        return new RawIntake(tables[0], tables[1], tables[2], pseudonymKey);
    }

    public async Task RecordAsync(string employeeId, string email, DateOnly lastWorkingDay, CancellationToken cancellationToken)
    {
        var id = AlumnusId.New();
        var day = lastWorkingDay.ToString("O", CultureInfo.InvariantCulture);
        var now = TimeProvider.System.GetUtcNow();
        var due = new DateTimeOffset(lastWorkingDay.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // 1. Claim the employee: a keyed pseudonym, remembering this departure and the message's webhook id (insert; a
        //    conflict means a repeat).
        await index.AddEntityAsync(new TableEntity("employee:" + Pseudonym("employee", employeeId), "id")
        {
            ["AlumnusId"] = id.Value,
            ["Departures"] = Pseudonym("departure", $"{employeeId}|{day}"),
            ["Webhooks"] = Pseudonym("webhook", "msg_" + id.Value),
        }, cancellationToken);

        // 2. The alumnus record.
        await alumni.AddEntityAsync(new TableEntity(id.Bucket, id.Value)
        {
            ["EmployeeId"] = employeeId, ["GivenName"] = "花子", ["FamilyName"] = "山田", ["PersonalEmail"] = email,
            ["Department"] = null, ["JobTitle"] = null, ["HireDate"] = null, ["LastWorkingDay"] = day, ["Reason"] = "Voluntary",
            ["RehireEligible"] = null, ["DoNotContact"] = false, ["Locale"] = "ja-JP", ["Status"] = "Departed",
            ["WelcomeDueAt"] = due, ["RecordedAt"] = now, ["InvitedAt"] = null, ["JoinedAt"] = null,
        }, cancellationToken);

        // 3. The claim read again: a withdrawal that came while the record was written takes it back (ADR 0041).
        await index.GetEntityIfExistsAsync<TableEntity>("employee:" + Pseudonym("employee", employeeId), "id", cancellationToken: cancellationToken);

        // 4. The welcome invitation's work item.
        await work.AddEntityAsync(new TableEntity(due.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), $"{due.UtcTicks:D19}-welcome-invitation-{id}")
        {
            ["Kind"] = "welcome-invitation", ["SubjectId"] = id.Value, ["DueAt"] = due, ["Status"] = "Pending", ["LeasedUntil"] = null, ["DispatchCount"] = 0,
        }, cancellationToken);
    }

    private string Pseudonym(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(pseudonymKey, Encoding.UTF8.GetBytes($"{kind}:{value}")));
}
