using System.Net.Http.Json;
using System.Net;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Openings;

/// <summary>
/// The open positions page and the recruiter's notice, through the real page, dispatcher and queue function on Azurite:
/// one notice per change, with only what the alumnus shares with employees; a second expression changes nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OpeningsPageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static bool IsAbsent(System.Text.Json.JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null;

    /// <summary>The notices' work falls due a moment after the change it follows (intent first): waited for, then delivered.</summary>
    private async Task<int> DeliverNoticesAsync()
    {
        await app.WaitForIntentWorkAsync(Core.Scheduling.WorkKinds.OpeningInterest);
        return await app.DeliverAsync("openingInterests", "SendInterestNotice");
    }

    [Fact]
    public async Task Page_ListsOpenNormalOpenings_NeverClosedOrSensitiveOnes()
    {
        var member = await app.CandidateAsync("hanako");
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "公開中の募集"));
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "受付停止の募集", status: "Closed"));
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "機密の募集", confidentiality: "Sensitive"));

        var response = await app.Client.GetAsync(app.OpeningsPath(member));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h2 id=\"title-", page, StringComparison.Ordinal);
        Assert.Contains("公開中の募集", page, StringComparison.Ordinal);
        Assert.DoesNotContain("受付停止の募集", page, StringComparison.Ordinal);
        Assert.DoesNotContain("機密の募集", page, StringComparison.Ordinal);
        Assert.Contains("週3日から。&lt;script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newsletter_ListsOpenNormalOpenings_WithEachReadersOwnLinkToThePage()
    {
        var hanako = await app.CandidateAsync("hanako", purposes: ["Newsletter"]);
        var john = await app.CandidateAsync("john", locale: "en-US", purposes: ["Newsletter"]);
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "公開中の募集 <b>"));
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "機密の募集", confidentiality: "Sensitive"));
        await app.CreateOpeningAsync(OpeningSeeds.Body(title: "受付停止の募集", status: "Closed"));

        await app.SendAllBatchesAsync(await app.StartAndPlanAsync("newsletter-with-openings"));

        var mails = await app.OutboxAsync();
        var japanese = Assert.Single(mails, m => m.To[0] == "hanako@example.net");
        var english = Assert.Single(mails, m => m.To[0] == "john@example.net");
        Assert.Contains("募集中のポジション", japanese.Html, StringComparison.Ordinal);
        Assert.Contains("公開中の募集 &lt;b&gt;", japanese.Html, StringComparison.Ordinal);
        Assert.Contains("Open positions", english.Html, StringComparison.Ordinal);
        Assert.All(mails, m => Assert.DoesNotContain("機密の募集", m.Html + m.Text, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.DoesNotContain("受付停止の募集", m.Html + m.Text, StringComparison.Ordinal));
        var token = OpeningSeeds.TokenIn(english, "api/alumni/openings");
        Assert.NotEqual(token, OpeningSeeds.TokenIn(japanese, "api/alumni/openings"));
        var page = await app.Client.GetStringAsync($"api/alumni/openings?token={Uri.EscapeDataString(token)}");
        Assert.Contains("Risk project &lt;b&gt;", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Open positions</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interest_TellsTheRecruiterMailboxOnce_WithOnlyWhatTheAlumnusSharesWithEmployees()
    {
        var member = await app.CandidateAsync("hanako", skills: "Python <i>", location: "Osaka", purposes: ["JobOffers", "EmployeeVisibility"], shared: ["Skills"]);
        var id = await app.CreateOpeningAsync();

        var first = await app.InterestAsync(member, id, note: "週3日なら <可能> です");
        var second = await app.InterestAsync(member, id, note: "別のひとこと");
        var delivered = await DeliverNoticesAsync();
        var again = await DeliverNoticesAsync();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Contains("関心をお伝えしました", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("すでに承っています。変更はありません。", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((1, 0), (delivered, again));
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.Equal("careers@example.com", mail.To[0]);
        Assert.StartsWith("[社内 / Internal]", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("週3日なら &lt;可能&gt; です", mail.Html!, StringComparison.Ordinal);
        Assert.DoesNotContain("別のひとこと", mail.Text!, StringComparison.Ordinal);
        Assert.Contains("hanako@example.net", mail.Text!, StringComparison.Ordinal);
        Assert.Contains("Python &lt;i&gt;", mail.Html!, StringComparison.Ordinal);
        Assert.DoesNotContain("Osaka", mail.Text!, StringComparison.Ordinal);
        Assert.DoesNotContain("hanako Trading", mail.Text!, StringComparison.Ordinal);
        Assert.DoesNotContain("List-Unsubscribe", mail.Headers.Keys);
        var interest = Assert.Single((await app.AdminJsonAsync($"api/manage/openings/{id}/interests")).EnumerateArray());
        Assert.Equal(("Interested", "週3日なら <可能> です"), (interest.GetProperty("status").GetString(), interest.GetProperty("note").GetString()));
    }

    [Fact]
    public async Task SharedFields_GoOnlyWhileTheAlumnusConsentsToBeingSeenByEmployees()
    {
        var member = await app.CandidateAsync("hanako", skills: "Python", shared: ["Skills"]);
        var id = await app.CreateOpeningAsync();

        await app.InterestAsync(member, id);
        await DeliverNoticesAsync();

        var mail = Assert.Single(await app.OutboxAsync());
        Assert.DoesNotContain("Python", mail.Text!, StringComparison.Ordinal);
        Assert.Contains("hanako@example.net", mail.Text!, StringComparison.Ordinal);
    }

    /// <summary>Interest expressed at 20:00 UTC on 30 November is 1 December in Tokyo, the company's time zone.</summary>
    [Theory]
    [InlineData("ja-JP", "2026年12月1日", "2026年11月30日")]
    [InlineData("en-US", "1 December 2026", "30 November 2026")]
    public async Task InterestExpressed_ShowsItsDayInCompanyTime(string locale, string day, string utcDay)
    {
        var member = await app.CandidateAsync("hanako", locale: locale);
        var id = await app.CreateOpeningAsync();
        var interest = Core.Openings.OpeningInterest.New(id, member);
        interest.Express("", new DateTimeOffset(2026, 11, 30, 20, 0, 0, TimeSpan.Zero));
        interest.MarkNoticed(interest.Version);
        Assert.True(await app.Services.GetRequiredService<Core.Openings.IOpeningStore>().TrySaveInterestAsync(interest, CancellationToken.None));

        var page = await app.Client.GetStringAsync(app.OpeningsPath(member));

        Assert.Contains(day, page, StringComparison.Ordinal);
        Assert.DoesNotContain(utcDay, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdrawing_TellsTheRecruiterToo_AndWithdrawingTwiceChangesNothing()
    {
        var member = await app.CandidateAsync("hanako", locale: "en-US");
        var id = await app.CreateOpeningAsync();
        await app.InterestAsync(member, id, note: "Happy to help");
        await DeliverNoticesAsync();

        var withdrawn = await app.InterestAsync(member, id, choice: "withdraw");
        var twice = await app.InterestAsync(member, id, choice: "withdraw");
        await DeliverNoticesAsync();

        Assert.Contains("Your interest is withdrawn", await withdrawn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("nothing changed", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mails = await app.OutboxAsync();
        Assert.Equal(2, mails.Count);
        var notice = Assert.Single(mails, m => m.Subject.Contains("Interest withdrawn", StringComparison.Ordinal));
        Assert.DoesNotContain("hanako@example.net", notice.Html + notice.Text, StringComparison.Ordinal);
        var interest = Assert.Single((await app.AdminJsonAsync($"api/manage/openings/{id}/interests")).EnumerateArray());
        Assert.Equal("Withdrawn", interest.GetProperty("status").GetString());
        Assert.True(IsAbsent(interest, "personalEmail") && IsAbsent(interest, "note"), "A withdrawn interest shows neither address nor note");
    }

    /// <summary>
    /// An opening stored with a mailbox outside the company's domains (before the rule, or before the domains changed):
    /// the notice is held back, not dropped, and goes once the opening names a team mailbox, once, and only there.
    /// </summary>
    [Fact]
    public async Task InterestHeldBackForAMailboxOutsideTheCompanyDomains_GoesOnceTheMailboxIsFixed_ToTheNewMailboxOnly()
    {
        var member = await app.CandidateAsync("hanako");
        var id = await app.CreateOpeningAsync();
        var store = app.Services.GetRequiredService<Core.Openings.IOpeningStore>();
        var opening = (await store.GetAsync(id, CancellationToken.None))!;
        opening.Details = opening.Details with { RecruiterMailbox = EmailAddress.Parse("recruiter@gmail.com") };
        Assert.True(await store.TryUpdateAsync(opening, CancellationToken.None));

        await app.InterestAsync(member, id, note: "ぜひ");
        var held = await DeliverNoticesAsync();
        var heldOutbox = await app.OutboxAsync();
        var heldRow = Assert.Single(await app.RowsAsync(AlumniTables.Openings), r => r.RowKey.StartsWith("interest-", StringComparison.Ordinal));

        var fixedMailbox = await app.AdminAsync(HttpMethod.Put, $"api/manage/openings/{id}", OpeningSeeds.Body());
        var released = await DeliverNoticesAsync();
        var again = await DeliverNoticesAsync();

        Assert.Equal(HttpStatusCode.OK, fixedMailbox.StatusCode);
        Assert.Equal((1, 1, 0), (held, released, again));
        Assert.Empty(heldOutbox);
        Assert.Equal((1, 0), (heldRow.GetInt32("Version"), heldRow.GetInt32("NoticedVersion")));
        var mail = Assert.Single(await app.OutboxAsync());
        Assert.Equal("careers@example.com", mail.To[0]);
        Assert.Contains("hanako@example.net", mail.Text!, StringComparison.Ordinal);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Openings), r => r.RowKey.StartsWith("interest-", StringComparison.Ordinal));
        Assert.Equal((1, 1), (row.GetInt32("Version"), row.GetInt32("NoticedVersion")));
    }

    [Fact]
    public async Task WithdrawnBeforeAnyNoticeWent_TellsTheRecruiterNothing_WhileANoticeOfTheInterestMayStillBeInFlight()
    {
        var member = await app.CandidateAsync("hanako", locale: "en-US");
        var id = await app.CreateOpeningAsync();

        await app.InterestAsync(member, id, note: "Oops");
        await app.InterestAsync(member, id, choice: "withdraw");
        var delivered = await DeliverNoticesAsync();

        Assert.True(delivered > 0, "The notice work ran");
        Assert.Empty(await app.OutboxAsync());
        // Marked told only after any notice of the interest must be over (SendInterestNoticeTests has the rest).
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Openings), r => r.RowKey.StartsWith("interest-", StringComparison.Ordinal));
        Assert.Equal((2, 0), (row.GetInt32("Version"), row.GetInt32("NoticedVersion")));
    }

    [Fact]
    public async Task RefusedNote_ComesBackOnlyInTheFormThatSentIt()
    {
        var member = await app.CandidateAsync("hanako");
        var first = await app.CreateOpeningAsync();
        var second = await app.CreateOpeningAsync();
        var note = new string('y', 1001);

        var response = await app.InterestAsync(member, first, note: note);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, note));
        Assert.Matches($"id=\"note-{first}\"[^>]*>{note}</textarea>", page);
        Assert.Matches($"id=\"note-{second}\"[^>]*></textarea>", page);
    }

    [Fact]
    public async Task SensitiveOpening_IsShownThroughItsOwnLink_ButNeverToAFlaggedAlumnus()
    {
        var member = await app.CandidateAsync("hanako");
        var flagged = await app.CandidateAsync("flagged");
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var row = (await store.GetAsync(flagged, CancellationToken.None))!;
        row.ConflictOfInterest = new ConflictFlag("entry-1", "Competitor", TimeProvider.System.GetUtcNow());
        await store.TryUpdateAsync(row, CancellationToken.None);
        var id = await app.CreateOpeningAsync(OpeningSeeds.Body(title: "機密の募集", confidentiality: "Sensitive"));

        var own = await app.Client.GetStringAsync(app.OpeningsPath(member, id));
        var flaggedPage = await app.Client.GetStringAsync(app.OpeningsPath(flagged, id));
        var before = await app.SnapshotAsync();
        var flaggedPost = await app.InterestAsync(flagged, id, token: app.OpeningsToken(flagged, id));
        var unboundPost = await app.InterestAsync(member, id);

        Assert.Contains("機密の募集", own, StringComparison.Ordinal);
        Assert.DoesNotContain("機密の募集", flaggedPage, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (flaggedPost.StatusCode, unboundPost.StatusCode));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task NoteAtTheBrowsersLimitWithCrlfLineBreaks_IsAccepted_AndStoredWithLf()
    {
        var member = await app.CandidateAsync("hanako");
        var id = await app.CreateOpeningAsync();
        // 991 characters and 9 line breaks: 1000 as the browser's maxlength counts them, 1009 as CRLF on the wire.
        var note = string.Join("\r\n", Enumerable.Repeat(new string('x', 99), 9).Append(new string('x', 100)));

        var response = await app.InterestAsync(member, id, note: note);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var interest = Assert.Single((await app.AdminJsonAsync($"api/manage/openings/{id}/interests")).EnumerateArray());
        Assert.Equal(note.Replace("\r\n", "\n", StringComparison.Ordinal), interest.GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("choice", "maybe", HttpStatusCode.BadRequest)]
    [InlineData("note", "x", HttpStatusCode.BadRequest)]
    [InlineData("note", "bell\u0007", HttpStatusCode.BadRequest)]
    [InlineData("note", "ぜひ\u202Eお願いします", HttpStatusCode.BadRequest)]
    [InlineData("note", "ぜひ\u2028お願いします", HttpStatusCode.BadRequest)]
    [InlineData("opening", "00000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("opening", "not-an-id", HttpStatusCode.NotFound)]
    public async Task BadAnswer_IsRefusedWithThePage_AndChangesNothing(string field, string value, HttpStatusCode expected)
    {
        var member = await app.CandidateAsync("hanako");
        var id = await app.CreateOpeningAsync();
        var fields = new Dictionary<string, string> { ["token"] = app.OpeningsToken(member), ["opening"] = id, ["choice"] = "interest", ["note"] = "" };
        fields[field] = field == "note" && value == "x" ? new string('x', 1001) : value;
        var before = await app.SnapshotAsync();

        var response = await app.Client.PostAsync("api/alumni/openings", new FormUrlEncodedContent(fields));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("何も送信していません", page, StringComparison.Ordinal);
        Assert.True(field != "note" || page.Contains("文字の向きを変える文字や行区切り文字", StringComparison.Ordinal), "The refusal names the rule");
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task NotYetAMember_Gets403_AndNothingIsSaved()
    {
        var departed = await app.PersonAsync();
        var id = await app.CreateOpeningAsync();
        var before = await app.SnapshotAsync();

        var page = await app.Client.GetAsync(app.OpeningsPath(departed));
        var post = await app.InterestAsync(departed, id);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (page.StatusCode, post.StatusCode));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task LinkOfAnotherPurpose_IsInvalid() =>
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync($"api/alumni/openings?token={Uri.EscapeDataString(app.Token(Core.Links.LinkPurpose.Profile, AlumnusId.New()))}")).StatusCode);

    [Fact]
    public async Task ErasedAlumnus_InterestIsRemoved_AndTheExportListedItBefore()
    {
        var member = await app.CandidateAsync("hanako");
        var id = await app.CreateOpeningAsync();
        await app.InterestAsync(member, id, note: "ぜひ");

        var export = await app.PostFormAsync(Core.Links.LinkPurpose.Export, member);
        await app.PostFormAsync(Core.Links.LinkPurpose.Erase, member);

        var exported = (await export.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("openingInterests");
        Assert.Equal(("ぜひ", "Interested"), (Assert.Single(exported.EnumerateArray()).GetProperty("note").GetString(), exported[0].GetProperty("status").GetString()));
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Openings), r => r.RowKey.StartsWith("interest-", StringComparison.Ordinal));
    }

    /// <summary>
    /// A flagged match compliance approved is recorded on the opening (ADR 0028); their erasure takes their id off it and
    /// leaves the others, and a second run (the retry through the same link, which finds the record gone) writes nothing.
    /// </summary>
    [Fact]
    public async Task ErasedApprovedFlaggedMatch_IdLeavesTheOpening_OthersStay_AndARerunWritesNothing()
    {
        var hanako = await app.CandidateAsync("hanako");
        var taro = await app.CandidateAsync("taro");
        await app.FlagAsync(hanako);
        await app.FlagAsync(taro);
        var id = await app.CreateOpeningAsync();
        var store = app.Services.GetRequiredService<Core.Openings.IOpeningStore>();
        var opening = (await store.GetAsync(id, CancellationToken.None))!;
        opening.ApprovedFlagged = [hanako, taro];
        Assert.True(await store.TryUpdateAsync(opening, CancellationToken.None));
        var token = app.Token(Core.Links.LinkPurpose.Erase, hanako);
        Task<HttpResponseMessage> EraseAsync() =>
            app.Client.PostAsync(Core.Links.AlumniLinks.PathOf(Core.Links.LinkPurpose.Erase), new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));

        (await EraseAsync()).EnsureSuccessStatusCode();
        var erased = (await store.GetAsync(id, CancellationToken.None))!;
        (await EraseAsync()).EnsureSuccessStatusCode();
        var rerun = (await store.GetAsync(id, CancellationToken.None))!;

        Assert.Equal([taro], erased.ApprovedFlagged);
        Assert.Equal(erased.ETag, rerun.ETag);
        Assert.Null(await app.Services.GetRequiredService<IAlumniStore>().GetAsync(hanako, CancellationToken.None));
    }
}
