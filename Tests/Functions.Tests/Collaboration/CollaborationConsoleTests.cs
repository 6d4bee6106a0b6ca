using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Collaboration;

/// <summary>The console's collaboration pages: the review queue, one card (its reading audited), the review itself (audited, a reason to reject), and searches audited with their subjects.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CollaborationConsoleTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Area = "/api/console/collaboration";

    private async Task<string?> StatusAsync(AlumnusId id) => (await App.RowsAsync(AlumniTables.CollaborationCards)).Single(r => r.RowKey == id.Value).GetString("Status");

    private async Task<IReadOnlyList<string>> AuditActionsAsync() => (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).ToArray();

    [Fact]
    public async Task ReviewQueue_ListsTheCardAwaitingReview_AndApprovingItListsItAndIsAudited()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);

        var queue = await Admin.GetPageAsync($"{Area}?status=PendingReview");
        var approved = await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "approve"), ("reason", ""));

        Assert.Contains($"{Area}/{alumnus}", queue, StringComparison.Ordinal);
        Assert.Contains(CollaborationAuditActions.CardsRead, await AuditActionsAsync());
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("Listed", await StatusAsync(alumnus));
        Assert.Contains(CollaborationAuditActions.CardApproved, await AuditActionsAsync());
    }

    [Fact]
    public async Task OpeningACard_ShowsItsRequests_AndIsAuditedWithTheAlumnusAsSubject()
    {
        var alumnus = await App.CollaboratorAsync();

        var page = await Admin.GetPageAsync($"{Area}/{alumnus}");

        Assert.Contains("山田商事", page, StringComparison.Ordinal);
        Assert.Contains((await App.RowsAsync(AlumniTables.Audit)),
            r => r.GetString("Action") == CollaborationAuditActions.CardRead && r.GetString("Subject") == alumnus.Value);
    }

    [Fact]
    public async Task RejectingWithoutAReason_Is400_AndChangesNothing()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        await Admin.GetPageAsync($"{Area}/{alumnus}");
        var before = await App.SnapshotAsync();

        var response = await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", " "));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>reason</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PendingReview", await StatusAsync(alumnus));
        Assert.Equal(before.Where(r => !r.StartsWith("DataProtectionKeys", StringComparison.Ordinal) && !r.StartsWith("Audit", StringComparison.Ordinal)),
            (await App.SnapshotAsync()).Where(r => !r.StartsWith("DataProtectionKeys", StringComparison.Ordinal) && !r.StartsWith("Audit", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RejectedWithAReason_TheAlumnusSeesIt_AndAListedCardCannotBeRejectedAfterwards()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", "電話番号は掲載できません"));
        var listed = await App.CollaboratorAsync();

        var late = await Admin.PostFormFromAsync($"{Area}/{listed}", $"{Area}/{listed}/review", ("decision", "reject"), ("reason", "late"));

        Assert.Equal("Rejected", await StatusAsync(alumnus));
        Assert.Contains("電話番号は掲載できません", await App.Client.GetStringAsync(App.PathFor(Core.Links.LinkPurpose.CollaborationCard, alumnus)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("Listed", await StatusAsync(listed));
    }

    [Theory]
    [InlineData("status=Deleted")]
    [InlineData("industry=Banking")]
    [InlineData("skills=%07")]
    public async Task SearchWithABadFilter_Is400(string query)
    {
        var response = await Admin.GetAsync($"{Area}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
