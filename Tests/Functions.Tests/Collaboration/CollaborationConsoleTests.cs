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
    public async Task CardOfSomeoneWhoseErasureBegan_IsNeitherListedNorOpened_NorItsReadingAudited()
    {
        var alumnus = await App.CollaboratorAsync();
        await App.StopErasureAfterItsFirstWriteAsync(alumnus);

        var list = await Admin.GetPageAsync(Area);
        var card = await Admin.GetAsync($"{Area}/{alumnus}");

        Assert.DoesNotContain($"{Area}/{alumnus}", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, card.StatusCode);
        Assert.DoesNotContain(CollaborationAuditActions.CardRead, await AuditActionsAsync());
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

    /// <summary>The alumnus is shown the reason: a text-direction or line-separator character is refused by name and rule.</summary>
    [Fact]
    public async Task RejectingWithAReasonHoldingARightToLeftOverride_Is400NamingTheRule_AndChangesNothing()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        await Admin.GetPageAsync($"{Area}/{alumnus}");
        var before = await App.SnapshotAsync();

        var response = await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", "電話番号は\r\n\u202Eんせまきで載掲"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>reason</code> {Core.Validation.FreeText.MisleadingRule}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PendingReview", await StatusAsync(alumnus));
        Assert.Equal(before.Where(r => !r.StartsWith("DataProtectionKeys", StringComparison.Ordinal) && !r.StartsWith("Audit", StringComparison.Ordinal)),
            (await App.SnapshotAsync()).Where(r => !r.StartsWith("DataProtectionKeys", StringComparison.Ordinal) && !r.StartsWith("Audit", StringComparison.Ordinal)));
    }

    /// <summary>The textarea (maxlength 500) counts a line break as one character, the browser sends CRLF: 500 as counted is accepted.</summary>
    [Fact]
    public async Task RejectingWithA500CharacterReasonSentWithCrlfLineBreaks_IsSaved_WithLfLineBreaks()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        var reason = string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 5)) + "x";

        var response = await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", reason));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var card = await App.Services.GetRequiredService<ICollaborationStore>().GetCardAsync(alumnus, CancellationToken.None);
        Assert.Equal((CardStatus.Rejected, reason.Replace("\r\n", "\n", StringComparison.Ordinal)), (card?.Status, card?.RejectionReason));
    }

    /// <summary>A refused review comes back as the form with the reason as typed and the field named, never an empty page.</summary>
    [Fact]
    public async Task RejectingWithAReasonTooLong_Is400WithTheFormAndTheReasonAsTyped_AndChangesNothing()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        var page = await Admin.GetPageAsync($"{Area}/{alumnus}");
        var reason = string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 5)) + "xx <b>";
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.PostFormOfAsync(page, $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", reason));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>reason</code>", answer, StringComparison.Ordinal);
        Assert.Contains($">{WebUtility.HtmlEncode(reason)}</textarea>", answer, StringComparison.Ordinal);
        Assert.Contains($"action=\"{Area}/{alumnus}/review\"", answer, StringComparison.Ordinal);
        Assert.Equal(ConsoleClient.VersionOf(page), ConsoleClient.VersionOf(answer));
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Fact]
    public async Task RejectedWithAReason_TheAlumnusSeesIt_AndACardListedSinceThePageOpenedCannotBeRejected()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        await Admin.PostFormFromAsync($"{Area}/{alumnus}", $"{Area}/{alumnus}/review", ("decision", "reject"), ("reason", "電話番号は掲載できません"));
        var other = await App.CollaboratorAsync(listed: false);
        var openPage = await Admin.GetPageAsync($"{Area}/{other}");
        await App.ReviewCardAsync(other, "approve");

        var late = await Admin.PostFormOfAsync(openPage, $"{Area}/{other}/review", ("decision", "reject"), ("reason", "late"));

        Assert.Equal("Rejected", await StatusAsync(alumnus));
        Assert.Contains("電話番号は掲載できません", await App.Client.GetStringAsync(App.PathFor(Core.Links.LinkPurpose.CollaborationCard, alumnus)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("Listed", await StatusAsync(other));
    }

    [Fact]
    public async Task ApprovingFromAPageOpenedBeforeTheAlumnusChangedTheCard_Is409Stale_AndTheNewContentStaysInReview()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        var openPage = await Admin.GetPageAsync($"{Area}/{alumnus}");
        (await App.PostFormAsync(Core.Links.LinkPurpose.CollaborationCard, alumnus, ("Company", "山田商事株式会社"), ("Offer", "電話 090-0000-0000 までどうぞ"),
            ("Industry", "Finance"), ("VisibleToMembers", "yes"))).EnsureSuccessStatusCode();
        var before = await App.SnapshotWithoutKeyRingAsync();

        var approved = await Admin.PostFormOfAsync(openPage, $"{Area}/{alumnus}/review", ("decision", "approve"), ("reason", ""));

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        Assert.Contains("何も保存していません", await approved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PendingReview", await StatusAsync(alumnus));
        Assert.DoesNotContain(CollaborationAuditActions.CardApproved, await AuditActionsAsync());
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [Fact]
    public async Task AReviewWithoutTheVersionOfThePage_Is400NamingIt_AndChangesNothing()
    {
        var alumnus = await App.CollaboratorAsync(listed: false);
        var page = await Admin.GetPageAsync($"{Area}/{alumnus}");

        var response = await Admin.PostRawAsync($"{Area}/{alumnus}/review",
            [("decision", "approve"), (Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("PendingReview", await StatusAsync(alumnus));
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
