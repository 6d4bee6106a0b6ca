using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Conflicts;

/// <summary>
/// The approval queue and the flagged alumni page through every row, two a page here, by the cursor each page links to,
/// rows of the same moment included; each page's read is audited with only the alumni it showed; a cursor that is no
/// cursor is 400 and reads nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ConflictConsolePagingTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Compliance)
{
    private const string Area = "/api/console/conflicts";
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Conflicts:AdminPageSize"] = "2" };

    private static string? Next(string page) => NextLink().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>Every page of a list from its first, following each page's next link.</summary>
    private async Task<List<string>> PagesAsync(string list)
    {
        var pages = new List<string> { await Admin.GetPageAsync($"{Area}/{list}") };
        while (Next(pages[^1]) is { } next && pages.Count < 10)
        {
            pages.Add(await Admin.GetPageAsync(next));
        }

        return pages;
    }

    private async Task<AuditEntry[]> ReadsAsync(string action) =>
        [.. (await App.Services.GetRequiredService<IAuditLog>().QueryAsync(TimeProvider.System.GetUtcNow().AddHours(-1), TimeProvider.System.GetUtcNow().AddMinutes(1), 100,
            new AuditFilter(Action: action), null, CancellationToken.None)).Entries];

    [Fact]
    public async Task FlaggedAlumniLongerThanAPage_ShowEachOnce_AcrossPagesLinkedByTheirCursor_EachPageAuditedWithWhomItShowed()
    {
        var store = App.Services.GetRequiredService<IConflictAssessments>();
        // Real rows: the lists leave out anyone whose row is gone or whose erasure has begun (ADR 0008).
        AlumnusId[] flagged = [await App.PersonAsync(), await App.PersonAsync(), await App.PersonAsync(), await App.PersonAsync(), await App.PersonAsync()];
        for (var i = 0; i < flagged.Length; i++)
        {
            // Three flagged at the same moment: the page boundary falls among them.
            await store.SaveAsync(new ConflictAssessment(flagged[i], "entry-1", ConflictCategory.Competitor, "株式会社サンプル商事", "サンプル商事", "サンプル商事", At.AddDays(-Math.Min(i, 2))), CancellationToken.None);
        }

        var pages = await PagesAsync("flagged");

        var shown = pages.Select(p => FlaggedRow().Matches(p).Select(m => m.Groups[1].Value).ToArray()).ToArray();
        Assert.Equal([2, 2, 1], shown.Select(s => s.Length));
        Assert.Equal(flagged.Select(f => f.Value).Order(StringComparer.Ordinal), shown.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.Equal(flagged[0].Value, shown[0][0]);
        // The navigation links the list on every page; the pages after the first link it again as their first page.
        Assert.Equal([1, 2, 2], pages.Select(p => Regex.Count(p, $"""<a href="{Area}/flagged">""")));
        Assert.Null(Next(pages[2]));
        var log = App.Services.GetRequiredService<IAuditLog>();
        Assert.Equal(["flagged=1", "flagged=2", "flagged=2"], (await ReadsAsync(ConflictAuditActions.FlagsRead)).Select(e => e.Detail).Order(StringComparer.Ordinal));
        foreach (var alumnus in flagged)
        {
            Assert.Single(await log.AboutAsync(alumnus, CancellationToken.None), e => e.Action == ConflictAuditActions.FlagsRead);
        }
    }

    [Fact]
    public async Task PendingApprovalsLongerThanAPage_ShowEachOnce_AcrossPagesLinkedByTheirCursor_EachPageAuditedWithWhomItShowed()
    {
        var approvals = App.Services.GetRequiredService<IComplianceApprovals>();
        var (twice, other, third) = (await App.PersonAsync(), await App.PersonAsync(), await App.PersonAsync());
        (AlumnusId Alumnus, string Subject, DateTimeOffset At)[] asked =
            [(twice, "opening:a", At), (twice, "opening:b", At), (other, "collaboration:c", At), (third, "opening:a", At.AddDays(-1))];
        foreach (var (alumnus, subject, at) in asked)
        {
            await approvals.RequestAsync(new ApprovalRequest(alumnus, subject, "from 佐藤", "admin-1", at), CancellationToken.None);
        }

        var pages = await PagesAsync("approvals");

        var shown = pages.Select(p => ApprovalHeading().Matches(p).Select(m => $"{m.Groups[2].Value} {m.Groups[1].Value}").ToArray()).ToArray();
        Assert.Equal([2, 2], shown.Select(s => s.Length));
        Assert.Equal(asked.Select(a => $"{a.Alumnus.Value} {a.Subject}").Order(StringComparer.Ordinal), shown.SelectMany(s => s).Order(StringComparer.Ordinal));
        // Oldest asked first (a queue is worked first come, first served): the one asked a day earlier leads.
        Assert.Equal($"{third.Value} opening:a", shown[0][0]);
        Assert.Null(Next(pages[1]));
        Assert.Equal(["pending=2", "pending=2"], (await ReadsAsync(ConflictAuditActions.ApprovalsRead)).Select(e => e.Detail));
        var onFirst = await App.Services.GetRequiredService<IAuditLog>().AboutAsync(third, CancellationToken.None);
        Assert.Single(onFirst, e => e.Action == ConflictAuditActions.ApprovalsRead);
    }

    [Theory]
    [InlineData("flagged", "garbage")]
    [InlineData("flagged", "123-not-an-id")]
    [InlineData("approvals", "123-0123456789abcdef0123456789abcdef")]
    [InlineData("approvals", "123-0123456789abcdef0123456789abcdef-no spaces")]
    public async Task ACursorThatIsNoCursor_Is400NamingIt_AndReadsAndAuditsNothing(string list, string after)
    {
        var flagged = await App.PersonAsync();
        await App.Services.GetRequiredService<IConflictAssessments>().SaveAsync(
            new ConflictAssessment(flagged, "entry-1", ConflictCategory.Competitor, "株式会社サンプル商事", "サンプル商事", "サンプル商事", At), CancellationToken.None);
        await App.Services.GetRequiredService<IComplianceApprovals>().RequestAsync(new ApprovalRequest(flagged, "opening:a", "from 佐藤", "admin-1", At), CancellationToken.None);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.GetAsync($"{Area}/{list}?after={Uri.EscapeDataString(after)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>after</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(flagged.Value, page, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Fact]
    public async Task SomeoneWhoseErasureBegun_IsInNeitherList_NorDecided_AndTheDecisionIs404ChangingNothing()
    {
        // An erasure stopped after setting its flag (BusyUnderWay, a crash): until a retry or the purge ends it, they are erased to the console.
        var (held, erasing) = (await App.PersonAsync(), await App.PersonAsync());
        foreach (var alumnus in new[] { held, erasing })
        {
            await App.Services.GetRequiredService<IConflictAssessments>().SaveAsync(
                new ConflictAssessment(alumnus, "entry-1", ConflictCategory.Competitor, "株式会社サンプル商事", "サンプル商事", "サンプル商事", At), CancellationToken.None);
            await App.Services.GetRequiredService<IComplianceApprovals>().RequestAsync(new ApprovalRequest(alumnus, "opening:a", "from 佐藤", "admin-1", At), CancellationToken.None);
        }

        var store = App.Services.GetRequiredService<IAlumniStore>();
        var row = (await store.GetAsync(erasing, CancellationToken.None))!;
        row.ErasureStartedAt = TimeProvider.System.GetUtcNow();
        Assert.True(await store.TryUpdateAsync(row, CancellationToken.None));

        var (flaggedPage, approvalsPage) = (await Admin.GetPageAsync($"{Area}/flagged"), await Admin.GetPageAsync($"{Area}/approvals"));
        var before = await App.SnapshotWithoutKeyRingAsync();
        var decided = await Admin.PostFormOfAsync(approvalsPage, $"{Area}/approvals",
            ("alumnusId", erasing.Value), ("subject", "opening:a"), ("decision", "approve"), ("reason", "取引関係なし"));

        Assert.Equal([held.Value], FlaggedRow().Matches(flaggedPage).Select(m => m.Groups[1].Value));
        Assert.Equal([held.Value], ApprovalHeading().Matches(approvalsPage).Select(m => m.Groups[2].Value));
        Assert.DoesNotContain(erasing.Value, flaggedPage + approvalsPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, decided.StatusCode);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [GeneratedRegex("""<td><code>([0-9a-f]{32})</code></td>""")]
    private static partial Regex FlaggedRow();

    [GeneratedRegex("""<h2>([^<]+) — <code>([0-9a-f]{32})</code></h2>""")]
    private static partial Regex ApprovalHeading();

    [GeneratedRegex("""<a href="([^"]*)" rel="next">""")]
    private static partial Regex NextLink();
}
