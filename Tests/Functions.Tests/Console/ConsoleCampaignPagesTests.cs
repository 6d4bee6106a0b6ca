using System.Net;
using Azure.Storage.Queues;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Newsletters;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The campaign pages through real HTTP: progress as the engine counts it, the mail preview in a sandbox, dead letters
/// re-driven and failed work retried through the JSON API's use cases (audited alike); bad input changes nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleCampaignPagesTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Campaigns = "/api/console/campaigns";
    private const string Problems = Campaigns + "/dead-letters";
    private QueueClient queue = null!;
    private QueueClient deadLetters = null!;

    protected override async Task BeforeStartAsync()
    {
        queue = await WelcomeQueue.EmptyAsync(Azurite);
        deadLetters = WelcomeQueue.DeadLetters(Azurite);
    }

    private async Task<string[]> AuditActionsAsync() => [.. (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")).Order()];

    private Task<IReadOnlyList<string>> StateAsync() => App.SnapshotWithoutKeyRingAsync();

    [Fact]
    public async Task ListAndProgress_ShowWhatTheEngineCounted_WithTheSkippedByReason()
    {
        await App.SeedMembersAsync(7, [ConsentPurpose.Newsletter]);
        await App.SeedMembersAsync(3, [ConsentPurpose.Events], email: i => $"events{i}@example.net");
        var campaign = await App.StartAndPlanAsync("newsletter-console-1");
        await App.SendAllBatchesAsync(campaign);

        var list = await Admin.GetPageAsync(Campaigns);
        var detail = await Admin.GetPageAsync($"{Campaigns}/newsletter-console-1");

        Assert.Contains($"<a href=\"{Campaigns}/newsletter-console-1\">newsletter-console-1</a>", list, StringComparison.Ordinal);
        Assert.Contains("<td>ニュースレター</td><td>完了</td>", list, StringComparison.Ordinal);
        Assert.Contains("<tr><td>対象 (セグメント内の会員)</td><td>10</td></tr>", detail, StringComparison.Ordinal);
        Assert.Contains("<tr><td>送信済み</td><td>7</td></tr>", detail, StringComparison.Ordinal);
        Assert.Contains("<tr><td>除外 (配信ルールによる)</td><td>3</td></tr>", detail, StringComparison.Ordinal);
        Assert.Matches("同意なし: [^<]+ <code class=\"secondary\">no-consent:Newsletter</code></td><td>3</td>", detail);
        Assert.DoesNotContain("events0@example.net", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_IsTheMailInASandboxedFrame_WithStoredTextEscapedTwice()
    {
        await App.AdminAsync(HttpMethod.Post, "api/manage/news", NewsletterAdminTests.Item.Replace("New Year meetup", "<b>Meetup</b> & drinks", StringComparison.Ordinal));
        await App.StartAndPlanAsync("newsletter-console-2");

        var english = await Admin.GetPageAsync($"{Campaigns}/newsletter-console-2/preview?locale=en-US");
        var japanese = await Admin.GetPageAsync($"{Campaigns}/newsletter-console-2/preview?locale=ja-JP");

        Assert.Matches("<iframe title=\"[^\"]+\" sandbox=\"\" referrerpolicy=\"no-referrer\" class=\"mail-preview\" srcdoc=\"", english);
        Assert.Contains("Dear Hanako Sample,", english, StringComparison.Ordinal);
        Assert.Contains("&amp;lt;b&amp;gt;Meetup&amp;lt;/b&amp;gt; &amp;amp; drinks", english, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Meetup</b>", english, StringComparison.Ordinal);
        Assert.Contains("見本 花子 様", japanese, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/newsletter-console-3/preview?locale=fr-FR", HttpStatusCode.BadRequest)]
    [InlineData("/no-such-campaign", HttpStatusCode.NotFound)]
    [InlineData("/no-such-campaign/preview", HttpStatusCode.NotFound)]
    public async Task BadPreviewOrUnknownCampaign_IsRefused(string path, HttpStatusCode status)
    {
        await App.StartAndPlanAsync("newsletter-console-3");

        var response = await Admin.GetAsync(Campaigns + path);

        Assert.Equal(status, response.StatusCode);
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Contains("<code>locale</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DeadLetters_AreListed_AndReDriven_AuditedAsFromTheApi()
    {
        await deadLetters.DeadLetterAsync("""{"kind":"welcome-invitation","subjectId":"a1"}""");
        await deadLetters.DeadLetterAsync("""{"kind":"welcome-invitation","subjectId":"a2"}""");

        var page = await Admin.GetPageAsync(Problems);
        var redriven = await Admin.PostFormFromAsync(Problems, $"{Problems}/{WelcomeQueue.Name}/redrive", ("limit", "1"));

        Assert.Contains($"<h3>{WelcomeQueue.Name}: 2 件</h3>", page, StringComparison.Ordinal);
        Assert.Contains("subjectId&quot;:&quot;a1&quot;", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, redriven.StatusCode);
        Assert.Equal($"{Problems}?redriven=1&remaining=1&queue={WelcomeQueue.Name}", redriven.Headers.Location!.OriginalString);
        Assert.Equal(1, await queue.ApproximateCountAsync());
        Assert.Equal(1, await deadLetters.ApproximateCountAsync());
        Assert.Contains($"{WelcomeQueue.Name} の 1 件をキューに戻しました (残り 1 件)。", await Admin.GetPageAsync(redriven.Headers.Location.OriginalString), StringComparison.Ordinal);
        var redrive = Assert.Single(await App.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == AdminAuditActions.DeadLettersRedriven);
        Assert.Equal((AdminApi.DevelopmentSubject, WelcomeQueue.Name, "limit=1"), (redrive.GetString("Actor"), redrive.GetString("Subject"), redrive.GetString("Detail")));
        Assert.Contains(AdminAuditActions.DeadLettersRead, await AuditActionsAsync());
    }

    [Theory]
    [InlineData("welcome-invitations", "0", HttpStatusCode.BadRequest)]
    [InlineData("welcome-invitations", "many", HttpStatusCode.BadRequest)]
    [InlineData("someone-elses-queue", "1", HttpStatusCode.NotFound)]
    public async Task RedriveWithABadLimitOrAnotherQueue_IsRefused_AndMovesNothing(string target, string limit, HttpStatusCode status)
    {
        await deadLetters.DeadLetterAsync("""{"n":1}""");
        await Admin.GetPageAsync(Problems);
        var before = await StateAsync();

        var response = await Admin.PostFormFromAsync(Campaigns, $"{Problems}/{target}/redrive", ("limit", limit));

        Assert.Equal(status, response.StatusCode);
        if (status == HttpStatusCode.BadRequest)
        {
            Assert.Contains("<code>limit</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await StateAsync());
        Assert.Equal(1, await deadLetters.ApproximateCountAsync());
        Assert.Equal(0, await queue.ApproximateCountAsync());
    }

    [Fact]
    public async Task FailedWork_IsListed_AndRetried_AndABadKindChangesNothing()
    {
        await App.FailedWorkItemAsync("f".PadRight(32, '0'));

        var page = await Admin.GetPageAsync(Problems);
        var before = await StateAsync();
        var bad = await Admin.PostFormFromAsync(Campaigns, $"{Campaigns}/failed-work/retry", ("kind", "<script>"));
        var unchanged = await StateAsync();
        var retried = await Admin.PostFormFromAsync(Campaigns, $"{Campaigns}/failed-work/retry", ("kind", WorkKinds.WelcomeInvitation));

        Assert.Contains("失敗した処理: 1 件", page, StringComparison.Ordinal);
        Assert.Contains("<td>provider-refused:401</td>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>kind</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.Equal((HttpStatusCode.Redirect, $"{Problems}?retried=1&remaining=0"), (retried.StatusCode, retried.Headers.Location!.OriginalString));
        Assert.Equal("Pending", Assert.Single(await App.RowsAsync(AlumniTables.WorkItems)).GetString("Status"));
        Assert.Contains(AdminAuditActions.FailedWorkRetried, await AuditActionsAsync());
    }

    [Fact]
    public async Task RedriveWithoutItsToken_Returns400AndMovesNothing()
    {
        await deadLetters.DeadLetterAsync("""{"n":1}""");
        await Admin.GetPageAsync(Problems);

        var response = await Admin.PostRawAsync($"{Problems}/{WelcomeQueue.Name}/redrive", [("limit", "1")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, await deadLetters.ApproximateCountAsync());
        Assert.DoesNotContain(AdminAuditActions.DeadLettersRedriven, await AuditActionsAsync());
    }

    [Fact]
    public async Task RetryFromAnotherSite_Returns403AndChangesNothing()
    {
        await App.FailedWorkItemAsync("e".PadRight(32, '0'));
        var token = ConsoleClient.TokenOf(await Admin.GetPageAsync(Campaigns));
        var before = await StateAsync();

        var response = await Admin.PostRawAsync($"{Campaigns}/failed-work/retry", [("kind", ""), ("__csrf", token)], "cross-site");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await StateAsync());
    }
}
