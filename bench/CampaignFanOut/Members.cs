using System.Globalization;
using Azure.Data.Tables;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Storage;

namespace AlumniNetwork.Bench.CampaignFanOut;

/// <summary>
/// N joined members who consented to the newsletter, written straight into a members table in 100-entity transactions
/// (one partition per id bucket), in the shape the app's alumnus store writes, with the consent projection that
/// joining leaves on the row; a quarter read English. Their consent ledger is not needed: the engine reads the projection.
/// </summary>
internal static class Members
{
    private static readonly string Consented = string.Join(',', new[] { ConsentPurpose.NetworkMembership, ConsentPurpose.Newsletter }.Order());

    /// <summary>Writes the same N members into each of the tables named (the app's, and the engine floor's copy).</summary>
    public static async Task SeedAsync(TableServiceClient service, int count, params string[] tables)
    {
        var joinedAt = new DateTimeOffset(2025, 7, 15, 0, 0, 0, TimeSpan.Zero);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var id = Guid.NewGuid().ToString("N");
            return new TableEntity(id[..2], id)
            {
                ["EmployeeId"] = $"B{i:D7}",
                ["GivenName"] = i % 4 == 0 ? "Hanako" : "花子",
                ["FamilyName"] = $"Member{i}",
                ["PersonalEmail"] = $"member{i}@example.net",
                ["Department"] = i % 2 == 0 ? "Retail Banking" : "Markets",
                ["LastWorkingDay"] = new DateOnly(2025, 6, 30).ToString("O", CultureInfo.InvariantCulture),
                ["Reason"] = "Voluntary",
                ["DoNotContact"] = false,
                ["Locale"] = i % 4 == 0 ? "en-US" : "ja-JP",
                ["Status"] = "Joined",
                ["WelcomeDueAt"] = joinedAt.AddDays(-10),
                ["RecordedAt"] = joinedAt.AddDays(-20),
                ["InvitedAt"] = joinedAt.AddDays(-10),
                ["JoinedAt"] = joinedAt,
                ["Consented"] = Consented,
            };
        }).ToArray();
        foreach (var name in tables)
        {
            var table = service.GetTableClient(name);
            await table.CreateIfNotExistsAsync();
            await Parallel.ForEachAsync(rows.GroupBy(r => r.PartitionKey).SelectMany(bucket => bucket.Chunk(100)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (chunk, ct) => await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)), ct));
        }
    }
}
