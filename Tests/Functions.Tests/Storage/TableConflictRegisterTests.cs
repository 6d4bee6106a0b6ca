using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Storage;

/// <summary>
/// The register on Azurite when the key rule changed after an entry was written: 地方独立行政法人 used to lose only its
/// 独立行政法人 part, so the hospital trust's name row is keyed "地方大阪府立病院機構" where the rule now says
/// "大阪府立病院機構". Removing and replacing the entry work regardless, reading the register re-keys it, and a process
/// re-keys once before its first lookup, after which finding is a point read.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableConflictRegisterTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Trust = "地方独立行政法人大阪府立病院機構";
    private const string OldKey = "地方大阪府立病院機構";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private TestApp app = null!;

    private IConflictRegister Register => app.Services.GetRequiredService<IConflictRegister>();

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string NameRow(string key) => "name-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private const string Alias = "Osaka Prefectural Hospital Organization";

    /// <summary>The entry with its name row as the older rule wrote it: the current row swapped for the old key's.</summary>
    private async Task<RegisterEntry> StaleEntryAsync()
    {
        var entry = new RegisterEntry(RegisterEntry.NewId(), Trust, ConflictCategory.ClientUnderEngagement, [Alias], null, "officer", Now);
        var written = Assert.IsType<RegisterWrite.Written>(await Register.AddAsync(entry, CancellationToken.None)).Entry;
        await SwapRowAsync(entry.Id, OrganisationName.Key(Trust), OldKey);
        return written;
    }

    /// <summary>Replaces the entry's row for the current key by one for the key an older rule gave the same name.</summary>
    private async Task SwapRowAsync(string entryId, string currentKey, string oldKey)
    {
        var table = await app.Services.GetRequiredService<AlumniTables>().GetAsync(AlumniTables.ConflictRegister, CancellationToken.None);
        await table.DeleteEntityAsync("register", NameRow(currentKey));
        await table.AddEntityAsync(new TableEntity("register", NameRow(oldKey)) { ["EntryId"] = entryId, ["Key"] = oldKey });
    }

    private async Task<string[]> NameRowsAsync() =>
        (await app.RowsAsync(AlumniTables.ConflictRegister)).Where(r => r.RowKey.StartsWith("name-", StringComparison.Ordinal)).Select(r => r.RowKey).Order().ToArray();

    private static string[] Rows(params string[] names) => names.Select(n => NameRow(OrganisationName.Key(n))).Order().ToArray();

    [Fact]
    public async Task Find_ByTheCurrentKey_FindsAnEntryWrittenUnderAnOlderKey()
    {
        var entry = await StaleEntryAsync();

        var found = await Register.FindAsync(OrganisationName.Key(Trust), CancellationToken.None);

        Assert.Equal(entry.Id, found?.Id);
        Assert.Null(await Register.FindAsync(OldKey, CancellationToken.None));
        Assert.Equal(Rows(Trust, Alias), await NameRowsAsync());
    }

    [Fact]
    public async Task Find_AfterTheFirstLookupRekeyed_ReadsOnlyTheKeysRow_SoAMissScansNothing()
    {
        var entry = await StaleEntryAsync();
        Assert.Equal(entry.Id, (await Register.FindAsync(OrganisationName.Key(Alias), CancellationToken.None))?.Id);
        Assert.Equal(Rows(Trust, Alias), await NameRowsAsync());

        // A row left stale after this process re-keyed (none can be, short of another rule in the same process) is
        // not looked for by keying the register again: only its key's row is read.
        await SwapRowAsync(entry.Id, OrganisationName.Key(Trust), OldKey);
        var missed = await Register.FindAsync(OrganisationName.Key(Trust), CancellationToken.None);
        await Register.ListAsync(CancellationToken.None);
        var found = await Register.FindAsync(OrganisationName.Key(Trust), CancellationToken.None);

        Assert.Null(missed);
        Assert.Equal(entry.Id, found?.Id);
    }

    [Fact]
    public async Task Rekeying_AnEntryOneOfWhoseNewKeysAnotherEntryHolds_StillRekeysItsOtherNames()
    {
        var entry = await StaleEntryAsync();
        const string OldAliasKey = "osakaprefecturalhospitalorganisation";
        await SwapRowAsync(entry.Id, OrganisationName.Key(Alias), OldAliasKey);
        var other = new RegisterEntry(RegisterEntry.NewId(), "大阪府立病院機構", ConflictCategory.Competitor, [], null, "officer", Now);
        Assert.IsType<RegisterWrite.Written>(await Register.AddAsync(other, CancellationToken.None));

        var byAlias = await Register.FindAsync(OrganisationName.Key(Alias), CancellationToken.None);
        var byName = await Register.FindAsync(OrganisationName.Key(Trust), CancellationToken.None);

        Assert.Equal(entry.Id, byAlias?.Id);
        Assert.Equal(other.Id, byName?.Id);
        Assert.Equal(Rows(Trust, Alias), await NameRowsAsync());
        Assert.Null(await Register.FindAsync(OldAliasKey, CancellationToken.None));
    }

    [Fact]
    public async Task Remove_DeletesTheEntryAndItsNameRowsWrittenUnderAnOlderKey()
    {
        var entry = await StaleEntryAsync();

        Assert.True(await Register.RemoveAsync(entry, CancellationToken.None));

        Assert.Empty(await app.RowsAsync(AlumniTables.ConflictRegister));
    }

    [Fact]
    public async Task Replace_RewritesTheNameRowsToTheCurrentKeys()
    {
        var entry = await StaleEntryAsync();

        var written = await Register.ReplaceAsync(entry with { CoolingOffDays = 30 }, CancellationToken.None);

        Assert.IsType<RegisterWrite.Written>(written);
        Assert.Equal(Rows(Trust, Alias), await NameRowsAsync());
    }

    [Fact]
    public async Task List_RekeysAStaleEntryOnce_AndReturnsItsNewVersion_SoAnEditStillWorks()
    {
        var entry = await StaleEntryAsync();

        var listed = Assert.Single(await Register.ListAsync(CancellationToken.None));
        var rows = await NameRowsAsync();
        var again = Assert.Single(await Register.ListAsync(CancellationToken.None));

        Assert.Equal(Rows(Trust, Alias), rows);
        Assert.NotEqual(entry.ETag, listed.ETag);
        Assert.Equal(listed.ETag, again.ETag);
        Assert.IsType<RegisterWrite.Written>(await Register.ReplaceAsync(listed with { CoolingOffDays = 30 }, CancellationToken.None));
    }

    [Fact]
    public async Task AnotherEntryWithTheName_IsADuplicateOnceTheRegisterWasRead()
    {
        await StaleEntryAsync();
        await Register.ListAsync(CancellationToken.None);
        var other = new RegisterEntry(RegisterEntry.NewId(), "大阪府立病院機構", ConflictCategory.Competitor, [], null, "officer", Now);

        var written = await Register.AddAsync(other, CancellationToken.None);

        Assert.IsType<RegisterWrite.Duplicate>(written);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.ConflictRegister), r => r.RowKey == "entry-" + other.Id);
    }
}
