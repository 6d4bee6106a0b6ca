using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Functions.Tests.Collaboration;

/// <summary>
/// Collaboration through the real functions on Azurite: a card written on its page, reviewed, listed in the directory; a
/// request through the admin API, delivered by the queue handler with its answer links; the answer page; the requester
/// told; and every refusal (unlisted, erased, paused, no consent, over the limit, an answer used twice) changing nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CollaborationFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<string?> RequestStatusAsync(AlumnusId id, string requestId) =>
        (await app.RowsAsync(AlumniTables.CollaborationRequests)).SingleOrDefault(r => r.PartitionKey == id.Value && r.RowKey == requestId)?.GetString("Status");

    [Fact]
    public async Task CardWrittenOnItsPage_AwaitsReview_ThenIsListedInTheMembersDirectory()
    {
        var author = await app.CollaboratorAsync(listed: false);
        var reader = await app.CollaboratorAsync("en-US", employer: "Other Bank");
        var directory = $"{app.PathFor(LinkPurpose.CollaborationDirectory, reader)}&industry=Finance&offer={Uri.EscapeDataString("決済")}";

        var before = await app.Client.GetStringAsync(directory);
        await app.ReviewCardAsync(author, "approve");
        var after = await app.Client.GetStringAsync(directory);
        var card = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.CollaborationCard, author));

        Assert.DoesNotContain("山田商事株式会社", before, StringComparison.Ordinal);
        Assert.Contains("山田商事株式会社", after, StringComparison.Ordinal);
        Assert.Contains("状態: 掲載中", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectorySearch_MatchesSkillsAndLocationIgnoringWidth_AndLeavesOutOtherIndustries()
    {
        var listed = await app.CollaboratorAsync();
        var reader = await app.CollaboratorAsync("en-US", employer: "Other Bank");

        var wide = await app.Client.GetStringAsync($"{app.PathFor(LinkPurpose.CollaborationDirectory, reader)}&skills={Uri.EscapeDataString("ＰＹＴＨＯＮ")}&location=tokyo");
        var other = await app.Client.GetStringAsync($"{app.PathFor(LinkPurpose.CollaborationDirectory, reader)}&industry=Healthcare");

        Assert.Contains("山田商事株式会社", wide, StringComparison.Ordinal);
        Assert.Contains("No collaboration card matches.", other, StringComparison.Ordinal);
        Assert.NotEqual(default, listed);
    }

    [Fact]
    public async Task DirectorySearchRefused_NamesEachFieldAndItsRule_InTheReadersLanguage()
    {
        var japanese = await app.CollaboratorAsync(employer: "Other Bank");
        var english = await app.CollaboratorAsync("en-US", employer: "Another Bank");
        var refused = $"&industry=Banking&skills={new string('x', DirectoryQuery.MaxTextLength + 1)}";

        var ja = await app.Client.GetAsync(app.PathFor(LinkPurpose.CollaborationDirectory, japanese) + refused);
        var en = await app.Client.GetAsync(app.PathFor(LinkPurpose.CollaborationDirectory, english) + refused);
        var (jaPage, enPage) = (await ja.Content.ReadAsStringAsync(), await en.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, ja.StatusCode);
        Assert.Contains("業界: 選択肢から選ぶか、「すべて」にしてください", jaPage, StringComparison.Ordinal);
        Assert.Contains($"スキル: {DirectoryQuery.MaxTextLength}文字以内で、制御文字を含めずに入力してください", jaPage, StringComparison.Ordinal);
        Assert.DoesNotContain("must be", jaPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, en.StatusCode);
        Assert.Contains("Industry: must be one of", enPage, StringComparison.Ordinal);
        Assert.Contains($"Skills: must be at most {DirectoryQuery.MaxTextLength} characters", enPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardOfSomeoneWhoseErasureBegan_IsNoLongerListedInTheMembersDirectory()
    {
        var listed = await app.CollaboratorAsync();
        var reader = await app.CollaboratorAsync("en-US", employer: "Other Bank");
        var directory = app.PathFor(LinkPurpose.CollaborationDirectory, reader);

        var before = await app.Client.GetStringAsync(directory);
        await app.StopErasureAfterItsFirstWriteAsync(listed);
        var after = await app.Client.GetStringAsync(directory);

        Assert.Contains("山田商事株式会社", before, StringComparison.Ordinal);
        Assert.DoesNotContain("山田商事株式会社", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedCard_ShowsTheReasonToItsAuthor_AndIsNotListed()
    {
        var author = await app.CollaboratorAsync("en-US", listed: false);
        await app.ReviewCardAsync(author, "reject", "Please leave out the phone number.");
        var reader = await app.CollaboratorAsync(employer: "Other Bank");

        var page = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.CollaborationCard, author));
        var directory = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.CollaborationDirectory, reader));

        Assert.Contains("Status: not listed", page, StringComparison.Ordinal);
        Assert.Contains("Please leave out the phone number.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("山田商事株式会社", directory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_IsDeliveredWithWhoAsksAndWhy_AcceptedOnce_AndTheRequesterGetsTheContactDetails()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);

        await app.RunCollaborationWorkAsync();
        var request = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.RequestCategory));
        var page = await app.Client.GetStringAsync(app.AnswerPath(alumnus, requestId));
        var accepted = await app.AnswerAsync(alumnus, requestId, "accept");
        var snapshot = await app.SnapshotAsync();
        var again = await app.AnswerAsync(alumnus, requestId, "accept");
        var unchanged = await app.SnapshotAsync();
        await app.RunCollaborationWorkAsync();
        var answer = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.AnswerCategory));

        Assert.Contains("佐藤 一郎", request.Subject, StringComparison.Ordinal);
        Assert.Contains("決済分野での共同提案", request.Text, StringComparison.Ordinal);
        Assert.Contains("/api/alumni/collaboration/answer?token=", request.Text, StringComparison.Ordinal);
        Assert.Contains("List-Unsubscribe", request.Headers.Keys);
        Assert.Contains("法人営業部", page, StringComparison.Ordinal);
        Assert.Contains("決済分野での共同提案", page, StringComparison.Ordinal);
        Assert.DoesNotContain("sato.ichiro@corp.example.com", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("sato.ichiro@corp.example.com", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("すでに同じご回答を承っています", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(snapshot, unchanged);
        Assert.Equal(["sato.ichiro@corp.example.com"], answer.To);
        Assert.Contains(request.To[0], answer.Text, StringComparison.Ordinal);
        Assert.Equal("Accepted", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task AcceptedRequest_StoredWithAPrivateRequesterAddress_SendsNoContactDetails_AndRecordsWhyForAdmins()
    {
        // A request stored before the company-domains rule (or before the domains changed) may name a private address.
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        await app.RunCollaborationWorkAsync();
        var store = app.Services.GetRequiredService<ICollaborationStore>();
        var stored = await store.GetRequestAsync(alumnus, requestId, CancellationToken.None);
        Assert.True(await store.TryUpdateRequestAsync(stored! with { RequesterEmail = EmailAddress.Parse("sato.private@gmail.com") }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, (await app.AnswerAsync(alumnus, requestId, "accept")).StatusCode);
        await app.RunCollaborationWorkAsync();
        await app.Services.GetRequiredService<Core.Scheduling.IWorkItemStore>().ScheduleAsync(CollaborationWork.Answer(stored, TimeProvider.System.GetUtcNow()), CancellationToken.None);
        await app.RunCollaborationWorkAsync();
        var request = await store.GetRequestAsync(alumnus, requestId, CancellationToken.None);

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.AnswerCategory));
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.To.Contains("sato.private@gmail.com"));
        Assert.Equal(RequestStatus.Accepted, request!.Status);
        Assert.Equal(Core.Collaboration.SendCollaborationMail.RequesterOutsideCompany, request.Outcome);
        Assert.False(request.RequesterTold);
    }

    [Fact]
    public async Task AcceptanceRecordedAsTheAlumnusErasureBegan_TellsTheRequesterNothing_AndTheWorkIsDone()
    {
        // The acceptance landed, then the erasure set its flag before the requester was told (ADR 0007).
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        await app.RunCollaborationWorkAsync();
        var address = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.RequestCategory)).To[0];
        Assert.Equal(HttpStatusCode.OK, (await app.AnswerAsync(alumnus, requestId, "accept")).StatusCode);
        await app.StopErasureAfterItsFirstWriteAsync(alumnus);

        var handled = await app.RunCollaborationWorkAsync();
        var again = await app.RunCollaborationWorkAsync();
        var outbox = await app.OutboxAsync();

        Assert.Equal((1, 0), (handled, again));
        Assert.DoesNotContain(outbox, m => m.Categories.Contains(CollaborationMail.AnswerCategory));
        Assert.DoesNotContain(outbox, m => m.To.Contains("sato.ichiro@corp.example.com"));
        Assert.DoesNotContain(outbox, m => !m.To.Contains(address) && (m.Text + m.Html).Contains(address, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Gone, (await app.AnswerAsync(alumnus, requestId, "accept")).StatusCode);
    }

    [Fact]
    public async Task DeclinedRequest_TellsTheRequesterWithoutContactDetails_AndAnAcceptAfterwardsChangesNothing()
    {
        var alumnus = await app.CollaboratorAsync("en-US");
        var requestId = await app.RequestIdAsync(alumnus);
        await app.RunCollaborationWorkAsync();
        var address = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.RequestCategory)).To[0];

        Assert.Equal(HttpStatusCode.OK, (await app.AnswerAsync(alumnus, requestId, "decline")).StatusCode);
        var before = await app.SnapshotAsync();
        var accept = await app.AnswerAsync(alumnus, requestId, "accept");
        var after = await app.SnapshotAsync();
        await app.RunCollaborationWorkAsync();
        var answer = (await app.OutboxAsync()).Single(m => m.Categories.Contains(CollaborationMail.AnswerCategory));

        Assert.Equal(HttpStatusCode.Conflict, accept.StatusCode);
        Assert.Equal(before, after);
        Assert.Contains("declined", answer.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(address, answer.Text + answer.Html, StringComparison.Ordinal);
        Assert.Equal("Declined", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task RequestsOverTheLimit_Are409_AndStoreNothing()
    {
        var alumnus = await app.CollaboratorAsync();
        await app.RequestIdAsync(alumnus);
        await app.RequestIdAsync(alumnus);
        var before = await app.SnapshotAsync();

        var third = await app.RequestCollaborationAsync(alumnus, kind: "Call");

        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        Assert.Contains("most allowed", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task SameRequestTwiceWithOneKey_IsOneRequestOneMailAndOnePlaceOfTheLimit_AndTheSameAnswer()
    {
        var alumnus = await app.CollaboratorAsync();
        var body = CollaborationSeeds.RequestBody(alumnus);

        var first = await app.AdminCreateAsync(CollaborationSeeds.RequestsPath, body, "console-retry_1");
        var before = await app.SnapshotAsync();
        var again = await app.AdminCreateAsync(CollaborationSeeds.RequestsPath, body, "console-retry_1");
        var unchanged = await app.SnapshotAsync();
        await app.RunCollaborationWorkAsync();
        var mails = (await app.OutboxAsync()).Count(m => m.Categories.Contains(CollaborationMail.RequestCategory));
        var second = await app.RequestCollaborationAsync(alumnus, kind: "Call");
        var third = await app.RequestCollaborationAsync(alumnus, kind: "Call");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(before, unchanged);
        Assert.Equal(1, mails);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict), (second.StatusCode, third.StatusCode));
    }

    [Fact]
    public async Task KeyReusedWithAnotherBody_Is409NamingTheHeader_AndChangesNothing()
    {
        var alumnus = await app.CollaboratorAsync();
        Assert.Equal(HttpStatusCode.Created, (await app.AdminCreateAsync(CollaborationSeeds.RequestsPath, CollaborationSeeds.RequestBody(alumnus), "k1")).StatusCode);
        var before = await app.SnapshotAsync();

        var reused = await app.AdminCreateAsync(CollaborationSeeds.RequestsPath, CollaborationSeeds.RequestBody(alumnus, reason: "別件のご相談です。"), "k1");

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal(IdempotencyKey.Header, (await reused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    public static TheoryData<string> BadKeys => new() { "", new string('k', 101), "two words", "a/b", "key!" };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task MalformedKey_Is400NamingTheHeader_AndStoresNothing(string key)
    {
        var alumnus = await app.CollaboratorAsync();
        var before = await app.SnapshotAsync();

        var response = await app.AdminCreateAsync(CollaborationSeeds.RequestsPath, CollaborationSeeds.RequestBody(alumnus), key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(IdempotencyKey.Header, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task ConcurrentRequestsForTheLastPlace_OnlyOneIsTaken()
    {
        var alumnus = await app.CollaboratorAsync();
        await app.RequestIdAsync(alumnus);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.RequestCollaborationAsync(alumnus)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(2, (await app.RowsAsync(AlumniTables.CollaborationRequests)).Count(r => r.PartitionKey == alumnus.Value && r.RowKey != "limit"));
    }

    public static TheoryData<string> Refusals => new() { "unlisted", "members-only", "paused", "no-consent" };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task RequestToAnAlumnusWhoCannotTakeIt_Is409_AndStoresNothing(string why)
    {
        var alumnus = why switch
        {
            "unlisted" => await app.CollaboratorAsync(listed: false),
            "members-only" => await app.CollaboratorAsync(employees: false),
            "paused" => await app.CollaboratorAsync(paused: true),
            _ => await app.CollaboratorAsync(consent: false),
        };
        var before = await app.SnapshotAsync();

        var response = await app.RequestCollaborationAsync(alumnus);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task RequestToAnErasedAlumnus_Is404_AndStoresNothing()
    {
        var alumnus = await app.CollaboratorAsync();
        (await app.PostFormAsync(LinkPurpose.Erase, alumnus)).EnsureSuccessStatusCode();
        var before = await app.SnapshotAsync();

        var response = await app.RequestCollaborationAsync(alumnus);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task PausedAfterTheRequest_TheRequestIsNotDelivered()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        (await app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, ("Company", "山田商事株式会社"), ("Offer", "決済システムの導入支援 / Payments integration"),
            ("Industry", "Finance"), ("Skills", "Python, 決済"), ("Location", "東京 Tokyo"), ("VisibleToMembers", "yes"), ("VisibleToEmployees", "yes"),
            ("RequestsPaused", "yes"))).EnsureSuccessStatusCode();

        await app.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("NotDelivered", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task ListedCardStoredWithCrlf_ResavedOnlyToPauseRequests_StaysListed()
    {
        var alumnus = await app.CollaboratorAsync();
        var store = app.Services.GetRequiredService<ICollaborationStore>();
        var listed = (await store.GetCardAsync(alumnus, CancellationToken.None))!;
        // As a card saved before the form normalised line breaks holds them.
        var values = listed.Values.ToDictionary(v => v.Key, v => v.Value);
        values[CardField.LookingFor] = "a\r\nb";
        Assert.NotNull(await store.TrySaveCardAsync(listed with { Values = values }, CancellationToken.None));

        (await app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, ("Company", "山田商事株式会社"), ("Offer", "決済システムの導入支援 / Payments integration"),
            ("Industry", "Finance"), ("Skills", "Python, 決済"), ("Location", "東京 Tokyo"), ("LookingFor", "a\r\nb"), ("VisibleToMembers", "yes"),
            ("VisibleToEmployees", "yes"), ("RequestsPaused", "yes"))).EnsureSuccessStatusCode();

        var card = (await store.GetCardAsync(alumnus, CancellationToken.None))!;
        Assert.True(card.RequestsPaused);
        Assert.Equal(CardStatus.Listed, card.Status);
    }

    /// <summary>What a first delivery leaves when it handed the mail over and was lost before writing the request's status.</summary>
    private async Task MailHandedOverAsync(AlumnusId alumnus, string requestId, bool accepted)
    {
        var ledger = app.Services.GetRequiredService<ISendLedger>();
        var now = TimeProvider.System.GetUtcNow();
        var claimed = await ledger.ClaimAsync($"collaboration-{requestId}", alumnus.Value, now,
            app.Services.GetRequiredService<IOptions<SendingOptions>>().Value.PolicyFor(promotional: true, webhookOn: false), CancellationToken.None);
        var attempt = await ledger.BeginAttemptAsync(claimed.Claim!, now, CancellationToken.None);
        if (accepted)
        {
            await ledger.RecordSentAsync(new SendRecord($"collaboration-{requestId}", alumnus.Value, "provider-1", now) { Attempts = attempt!.SendId.Attempt }, CancellationToken.None);
        }
    }

    private Task<HttpResponseMessage> PauseRequestsAsync(AlumnusId alumnus) =>
        app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, ("Company", "山田商事株式会社"), ("Offer", "決済システムの導入支援 / Payments integration"),
            ("Industry", "Finance"), ("Skills", "Python, 決済"), ("Location", "東京 Tokyo"), ("VisibleToMembers", "yes"), ("VisibleToEmployees", "yes"),
            ("RequestsPaused", "yes"));

    [Fact]
    public async Task PausedAfterTheMailWasAccepted_ButBeforeItsStatusWasWritten_TheRequestIsSent_AndCanBeAnswered()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        await MailHandedOverAsync(alumnus, requestId, accepted: true);
        (await PauseRequestsAsync(alumnus)).EnsureSuccessStatusCode();

        await app.RunCollaborationWorkAsync();
        var accept = await app.AnswerAsync(alumnus, requestId, "accept");

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        Assert.Equal("Accepted", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task PausedWhileTheMailsOutcomeIsUnknown_TheRequestWaitsForIt_InsteadOfEndingNotDelivered()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        await MailHandedOverAsync(alumnus, requestId, accepted: false);
        (await PauseRequestsAsync(alumnus)).EnsureSuccessStatusCode();

        await app.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("Pending", await RequestStatusAsync(alumnus, requestId));
        Assert.Contains(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == "collaboration-request");
    }

    [Fact]
    public async Task RedeliveredWork_SendsTheRequestOnce()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Single(r => r.GetString("Kind") == "collaboration-request");
        var message = JsonSerializer.Serialize(new { Kind = "collaboration-request", SubjectId = work.GetString("SubjectId"), work.PartitionKey, work.RowKey,
            DueAt = work.GetDateTimeOffset("DueAt") });

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var envelope = "{\"Data\":{\"message\":" + message + "},\"Metadata\":{\"DeliveryCount\":1}}";
            Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync("SendCollaborationMail", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        }

        Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("Sent", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task DeliveryThatRunsBeforeItsRequestIsAdded_LooksAgainLater_AndSendsItOnceItIsThere()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);
        // As a create call whose insert is slow leaves it: the delivery written, the request not yet.
        var requests = app.Tables.GetTableClient(app.TablePrefix + AlumniTables.CollaborationRequests);
        var row = (await app.RowsAsync(AlumniTables.CollaborationRequests)).Single(r => r.PartitionKey == alumnus.Value && r.RowKey == requestId);
        await requests.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        var work = (await app.RowsAsync(AlumniTables.WorkItems)).Single(r => r.GetString("Kind") == "collaboration-request");

        await app.RunCollaborationWorkAsync();

        var waiting = (await app.RowsAsync(AlumniTables.WorkItems)).Single(r => r.GetString("Kind") == "collaboration-request");
        Assert.True(waiting.GetDateTimeOffset("LeasedUntil") > TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));

        await requests.AddEntityAsync(row);
        var message = JsonSerializer.Serialize(new { Kind = "collaboration-request", SubjectId = waiting.GetString("SubjectId"), waiting.PartitionKey, waiting.RowKey,
            DueAt = work.GetDateTimeOffset("DueAt") });
        var envelope = "{\"Data\":{\"message\":" + message + "},\"Metadata\":{\"DeliveryCount\":1}}";
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PostAsync("SendCollaborationMail", new StringContent(envelope, System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        Assert.Single(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("Sent", await RequestStatusAsync(alumnus, requestId));
    }

    [Fact]
    public async Task ExportHoldsTheCardAndTheRequests_AndErasureRemovesThem()
    {
        var alumnus = await app.CollaboratorAsync();
        await app.RequestIdAsync(alumnus);
        await app.RunCollaborationWorkAsync();

        var data = await (await app.PostFormAsync(LinkPurpose.Export, alumnus)).Content.ReadFromJsonAsync<JsonElement>();
        (await app.PostFormAsync(LinkPurpose.Erase, alumnus)).EnsureSuccessStatusCode();

        var collaboration = data.GetProperty("collaboration");
        Assert.Equal("山田商事株式会社", collaboration.GetProperty("card").GetProperty("fields").GetProperty("Company").GetString());
        var request = Assert.Single(collaboration.GetProperty("requests").EnumerateArray());
        Assert.Equal(("佐藤 一郎", "Sent"), (request.GetProperty("requester").GetString(), request.GetProperty("status").GetString()));
        Assert.DoesNotContain((await app.RowsAsync(AlumniTables.CollaborationCards)), r => r.RowKey == alumnus.Value);
        Assert.DoesNotContain((await app.RowsAsync(AlumniTables.CollaborationRequests)), r => r.PartitionKey == alumnus.Value);
    }

    [Theory]
    [InlineData("Industry", "Unknown")]
    [InlineData("VisibleToMembers", "true")]
    [InlineData("Offer", "")]
    public async Task CardWithABadField_Is400_AndSavesNothing(string field, string value)
    {
        var alumnus = await app.CollaboratorAsync(listed: false);
        var before = await app.SnapshotAsync();
        var fields = new Dictionary<string, string> { ["Company"] = "山田商事", ["Offer"] = "支援", ["Industry"] = "Finance", ["VisibleToMembers"] = "yes" };
        fields[field] = value;

        var response = await app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, [.. fields.Select(f => (f.Key, f.Value))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("保存されていません", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task CardWithARefusedField_Is400InJapanese_ShowsWhatWasSubmittedEscaped_AndSavesNothing()
    {
        var alumnus = await app.CollaboratorAsync();
        var before = await app.SnapshotAsync();

        var response = await app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, ("Company", "山田商事株式会社"), ("Offer", "決済システムの導入支援 / Payments integration"),
            ("Industry", "Finance"), ("Skills", "Go <b>\u202E"), ("Location", "東京 Tokyo"), ("VisibleToMembers", "yes"), ("VisibleToEmployees", "yes"));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // The refused field comes back as sent, so saving again does not erase the stored skills.
        Assert.Contains(">Go &lt;b&gt;\u202E</textarea>", page, StringComparison.Ordinal);
        Assert.Contains("文字の向きを変える制御文字や行区切り文字は使用できません", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Core.Validation.FreeText.MisleadingRule, page, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("ichiro.sato@gmail.com")]
    [InlineData("hanako@example.net")]
    [InlineData("sato@corp.example.com.evil.example")]
    public async Task RequesterAddressOutsideTheCompanysDomains_Is400NamingTheField_AndStoresNothing(string email)
    {
        var alumnus = await app.CollaboratorAsync();
        var before = await app.SnapshotAsync();

        var response = await app.AdminAsync(HttpMethod.Post, CollaborationSeeds.RequestsPath, CollaborationSeeds.RequestBody(alumnus, email: email));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray());
        Assert.Equal("requesterEmail", error.GetProperty("field").GetString());
        Assert.Contains("company's mail domains", error.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == CollaborationAuditActions.Requested);
        await app.RunCollaborationWorkAsync();
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
    }

    [Fact]
    public async Task WithdrawnCard_IsGone_AndItsPendingRequestIsNotDelivered()
    {
        var alumnus = await app.CollaboratorAsync();
        var requestId = await app.RequestIdAsync(alumnus);

        (await app.PostFormAsync(LinkPurpose.CollaborationCard, alumnus, ("action", "withdraw"))).EnsureSuccessStatusCode();
        await app.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.CollaborationCards), r => r.RowKey == alumnus.Value);
        Assert.Equal("NotDelivered", await RequestStatusAsync(alumnus, requestId));
    }
}
