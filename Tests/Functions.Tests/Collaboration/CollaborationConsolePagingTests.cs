using System.Net;
using System.Text.RegularExpressions;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Collaboration;

/// <summary>The review queue pages through every card awaiting review, two a page here, by the cursor each page links to.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class CollaborationConsolePagingTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Area = "/api/console/collaboration";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Collaboration:AdminPageSize"] = "2" };

    private static string[] Cards(string page) => [.. CardLink().Matches(page).Select(m => m.Groups[1].Value)];

    private static string? Next(string page) => NextLink().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [Fact]
    public async Task ReviewQueueLongerThanAPage_ShowsEveryCardOnce_AcrossPagesLinkedByTheirCursor()
    {
        AlumnusId[] waiting = [await App.CollaboratorAsync(listed: false), await App.CollaboratorAsync(listed: false), await App.CollaboratorAsync(listed: false)];
        await App.CollaboratorAsync(); // listed: not in the queue

        var first = await Admin.GetPageAsync($"{Area}?status=PendingReview");
        var second = await Admin.GetPageAsync(Next(first)!);

        Assert.Equal(2, Cards(first).Length);
        Assert.Single(Cards(second));
        Assert.Equal(waiting.Select(w => w.Value).Order(StringComparer.Ordinal), Cards(first).Concat(Cards(second)).Order(StringComparer.Ordinal));
        Assert.Contains("status=PendingReview", Next(first), StringComparison.Ordinal);
        Assert.Null(Next(second));
        Assert.Contains($"""<a href="{Area}?status=PendingReview">""", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("123-not-an-id")]
    public async Task ACursorThatIsNoCursor_Is400NamingIt_AndReadsAndAuditsNothing(string after)
    {
        await App.CollaboratorAsync(listed: false);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.GetAsync($"{Area}?status=PendingReview&after={Uri.EscapeDataString(after)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>after</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    [GeneratedRegex("""href="/api/console/collaboration/([0-9a-f]{32})">""")]
    private static partial Regex CardLink();

    [GeneratedRegex("""<a href="([^"]*)" rel="next">""")]
    private static partial Regex NextLink();
}
