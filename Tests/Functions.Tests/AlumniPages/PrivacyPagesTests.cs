using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Campaigns;
using AlumniNetwork.Functions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace AlumniNetwork.Functions.Tests.AlumniPages;

/// <summary>Profile, export and erase through their real pages, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PrivacyPagesTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(azurite);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Profile_SavesFieldsAndVisibility_AndShowsThemEscaped()
    {
        var id = await app.MemberAsync("en-US");

        var saved = await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", "<b>Acme</b> & Co"), ("CurrentEmployer.visibility", "Alumni"),
            ("Skills", "Credit risk"), ("OpenToReturning", "ProjectWork"));
        var page = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.Profile, id));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("value=\"&lt;b&gt;Acme&lt;/b&gt; &amp; Co\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Acme</b>", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Alumni\" selected>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"ProjectWork\" checked", page, StringComparison.Ordinal);
        var row = Assert.Single(await app.RowsAsync(AlumniTables.Profiles));
        Assert.Equal("Alumni", row.GetString("CurrentEmployerVisibility"));
    }

    [Fact]
    public async Task LongJapaneseCareer_IsSaved()
    {
        var id = await app.MemberAsync("ja-JP");
        var career = string.Concat(Enumerable.Repeat("営業企画部で新規事業を担当。", 150))[..1990];

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("CareerSinceLeaving", career));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(career, Assert.Single(await app.RowsAsync(AlumniTables.Profiles)).GetString("CareerSinceLeaving"));
    }

    [Fact]
    public async Task ProfilePost_AfterErasureBegan_Gets410BilingualPageAndWritesNoProfile()
    {
        var id = await app.MemberAsync("en-US");
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var before = await app.SnapshotAsync();

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", "Yamada Trading"), ("CareerSinceLeaving", "2026 B社"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("お客様のデータは保持していません", html, StringComparison.Ordinal);
        Assert.Contains("We hold no data about you", html, StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Profiles));
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task InterestAndCardPosts_AfterErasureBegan_Get410BilingualPageAndWriteNothing()
    {
        // Either would outlive the erasure if it landed after the erasure's step that removes it (a card copies the name).
        var opening = await app.CreateOpeningAsync();
        var id = await app.CandidateAsync("hanako", "en-US");
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var before = await app.SnapshotAsync();

        var interest = await app.PostFormAsync(LinkPurpose.Openings, id, ("opening", opening), ("choice", "interest"), ("note", "Keen to help"));
        var card = await app.PostFormAsync(LinkPurpose.CollaborationCard, id, ("Company", "山田商事株式会社"), ("Offer", "Payments integration"),
            ("Industry", "Finance"), ("VisibleToMembers", "yes"));

        foreach (var response in new[] { interest, card })
        {
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("お客様のデータは保持していません", html, StringComparison.Ordinal);
            Assert.Contains("We hold no data about you", html, StringComparison.Ordinal);
        }

        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task InvalidProfile_Gets400PageNamingTheFieldAndSavesNothing()
    {
        var id = await app.MemberAsync("ja-JP");

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("Location", new string('x', 201)), ("OpenToReturning", "Maybe"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("所在地", html, StringComparison.Ordinal);
        Assert.Contains("200文字以内", html, StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Profiles));
    }

    [Fact]
    public async Task CareerAtTheLimit_WithTheBrowsersCrlfLineBreaks_IsSaved_WithLfOnly()
    {
        var id = await app.MemberAsync("ja-JP");
        // 1,990 letters and 10 line breaks: what a textarea with maxlength 2000 lets through, sent with CRLF (2,010 characters).
        var career = string.Join("\r\n", Enumerable.Repeat(new string('x', 181), 10).Append(new string('y', 180)));

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("CareerSinceLeaving", career));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(career.Replace("\r\n", "\n", StringComparison.Ordinal), Assert.Single(await app.RowsAsync(AlumniTables.Profiles)).GetString("CareerSinceLeaving"));
    }

    [Theory]
    [InlineData("\u0007")]
    [InlineData("\u202E")]
    public async Task RefusedCareer_IsShownAgainAsSubmitted_SoSavingAgainDoesNotEraseIt_AndNothingChanges(string character)
    {
        var id = await app.MemberAsync("ja-JP");
        (await app.PostFormAsync(LinkPurpose.Profile, id, ("CareerSinceLeaving", "2024 A社"))).EnsureSuccessStatusCode();
        var before = await app.SnapshotAsync();

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("CareerSinceLeaving", $"2024 A社\r\n2026 <B社>{character}"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($">2024 A社\n2026 &lt;B社&gt;{character}</textarea>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<B社>", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("\u202E")]
    [InlineData("\u2067")]
    [InlineData("\u2028")]
    public async Task TextDirectionCharacter_Gets400NamingTheFieldInJapanese_AndChangesNothing(string character)
    {
        var id = await app.MemberAsync("ja-JP");
        var before = await app.SnapshotAsync();

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", "Acme" + character + "Co"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("現在の勤務先: 文字の向きを変える制御文字や行区切り文字は使用できません", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Fact]
    public async Task TextDirectionCharacter_IsNamedInEnglishForAnEnglishReader()
    {
        var id = await app.MemberAsync("en-US");

        var response = await app.PostFormAsync(LinkPurpose.Profile, id, ("Location", "Tokyo\u202D"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Location: must not contain text-direction or line-separator characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Profiles));
    }

    [Fact]
    public async Task Export_DownloadsEverythingHeldAsJson()
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter");
        await app.PostFormAsync(LinkPurpose.Profile, id, ("Skills", "Python"));

        var response = await app.PostFormAsync(LinkPurpose.Export, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        var data = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("花子", data.GetProperty("alumnus").GetProperty("givenName").GetString());
        Assert.Equal("hanako@example.net", data.GetProperty("alumnus").GetProperty("personalEmail").GetString());
        Assert.Equal(2, data.GetProperty("consents").GetArrayLength());
        Assert.Equal("Python", data.GetProperty("profile").GetProperty("fields").GetProperty("Skills").GetString());
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), a => a.GetString("Action") == "alumnus.exported" && a.GetString("Subject") == id.Value);
    }

    [Fact]
    public async Task Export_HoldsEveryFieldKeptAboutThePerson_AndWhoReadTheirData()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var other = await app.SeedAsync("E7777", "taro.other@example.net", "Taro", "Suzuki");
        var now = TimeProvider.System.GetUtcNow();
        var engagement = app.Services.GetRequiredService<IEngagementCounters>();
        await engagement.IncrementAsync(id, EngagementKind.Delivered, now, CancellationToken.None);
        await engagement.IncrementAsync(id, EngagementKind.Opened, now, CancellationToken.None);
        await engagement.IncrementAsync(id, EngagementKind.Opened, now, CancellationToken.None);
        await app.Services.GetRequiredService<ISuppressionList>().AddAsync(
            new Suppression(EmailAddress.Parse("hanako@example.net"), SuppressionReason.Bounce, now), CancellationToken.None);
        var sends = app.Services.GetRequiredService<ISendLedger>();
        await sends.ClaimAsync("newsletter-2026-12", id.Value, now, new SendPolicy(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), 1), CancellationToken.None);
        await sends.RecordSentAsync(new SendRecord("newsletter-2026-12", id.Value, "sg-message-0001", now), CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id}/flags", """{"rehireEligible":false,"doNotContact":true}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Get, $"api/manage/alumni/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Post, "api/manage/alumni/search", """{"q": "hanako"}""")).StatusCode);
        await (await app.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv")).Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.AdminAsync(HttpMethod.Get, $"api/manage/alumni/{other}")).StatusCode);

        var data = await (await app.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        var alumnus = data.GetProperty("alumnus");
        // Rehire eligibility is never shown to the alumnus by default (product.md §1, ADR 0014 amended): stated as withheld.
        Assert.Equal(JsonValueKind.Null, alumnus.GetProperty("rehireEligible").ValueKind);
        Assert.True(alumnus.GetProperty("doNotContact").GetBoolean());
        Assert.True(alumnus.TryGetProperty("welcomeDueAt", out _));
        // The conflict-of-interest checks are withheld from everyone alike, so that the export never tells who is flagged.
        Assert.Equal(["alumnus.rehireEligible", "conflictOfInterest"], data.GetProperty("withheld").EnumerateArray().Select(w => w.GetProperty("field").GetString()));
        Assert.Equal("sg-message-0001", Assert.Single(data.GetProperty("emailsSent").EnumerateArray()).GetProperty("providerMessageId").GetString());
        Assert.Equal((1, 2, 0), (data.GetProperty("engagement").GetProperty("delivered").GetInt32(),
            data.GetProperty("engagement").GetProperty("opened").GetInt32(), data.GetProperty("engagement").GetProperty("clicked").GetInt32()));
        Assert.Equal("Bounce", data.GetProperty("suppression").GetProperty("reason").GetString());
        Assert.Equal("welcome-invitation", Assert.Single(data.GetProperty("scheduledWork").EnumerateArray()).GetProperty("kind").GetString());
        var trail = data.GetProperty("auditTrail").EnumerateArray().Select(e => (Action: e.GetProperty("action").GetString(), Actor: e.GetProperty("actor").GetString())).ToList();
        Assert.Equal(
            ["alumni.export", "alumni.search", "alumnus.exported", "alumnus.flags.changed", "alumnus.read"],
            trail.Select(e => e.Action).Order(StringComparer.Ordinal));
        Assert.All(trail.Where(e => e.Action != "alumnus.exported"), e => Assert.Equal(Admin.AdminApi.DevelopmentSubject, e.Actor));
        Assert.DoesNotContain(other.Value, data.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OfAJoinedMemberWhoseDepartureHrWithdrew_HoldsTheWithdrawal()
    {
        // ADR 0041 keeps a joined member's record and marks it; the export holds every field kept (ADR 0014), and its audit
        // trail names the withdrawal anyway, so the mark itself was a silent gap.
        var id = await app.MemberAsync("en-US", "Newsletter");
        var withdrawnAt = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);
        var store = app.Services.GetRequiredService<IAlumniStore>();
        var record = (await store.GetAsync(id, CancellationToken.None))!;
        record.DepartureWithdrawnAt = withdrawnAt;
        Assert.True(await store.TryUpdateAsync(record, CancellationToken.None));

        var data = await (await app.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(withdrawnAt, data.GetProperty("alumnus").GetProperty("departureWithdrawnAt").GetDateTimeOffset());
        Assert.DoesNotContain(data.GetProperty("withheld").EnumerateArray(), w => w.GetProperty("field").GetString()!.Contains("departure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Export_SaysWhichEmailsWereDeliveredOpenedOrClicked()
    {
        // ADR 0020 notes each send's first delivery, open and click on its Sends row: held about the person, so exported.
        var id = await app.MemberAsync("en-US");
        var sends = app.Services.GetRequiredService<ISendLedger>();
        await sends.RecordSentAsync(new SendRecord("newsletter-2026-11", id.Value, "sg-message-0002", TimeProvider.System.GetUtcNow()), CancellationToken.None);
        Assert.True(await sends.MarkEngagedAsync(new SendId("newsletter-2026-11", id, 1), EngagementKind.Delivered, CancellationToken.None));
        Assert.True(await sends.MarkEngagedAsync(new SendId("newsletter-2026-11", id, 1), EngagementKind.Opened, CancellationToken.None));

        var data = await (await app.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        var email = Assert.Single(data.GetProperty("emailsSent").EnumerateArray(), e => e.GetProperty("campaign").GetString() == "newsletter-2026-11");
        Assert.Equal(["Delivered", "Opened"], email.GetProperty("engaged").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Export_ListsOpenWorkAboutThePerson_WhateverItsSubject_ButNoApprovedOpeningSend_AndNobodyElses()
    {
        var id = await app.MemberAsync("en-US", "Newsletter");
        var other = await app.SeedAsync("E7777", "taro.other@example.net", "Taro", "Suzuki");
        var due = TimeProvider.System.GetUtcNow().AddHours(1);
        var (eventId, openingId, requestId) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        var work = app.Services.GetRequiredService<Core.Scheduling.IWorkItemStore>();
        foreach (var item in new[]
        {
            Core.Events.EventWork.Notices(eventId, due, id),
            Core.Openings.OpeningWork.InterestNotice(openingId, id, due),
            new Core.Scheduling.WorkItem { Kind = Core.Scheduling.WorkKinds.OpeningApproved, SubjectId = Core.Openings.OpeningWork.PersonSubject(openingId, id), DueAt = due },
            new Core.Scheduling.WorkItem { Kind = Core.Scheduling.WorkKinds.CollaborationRequest, SubjectId = $"{id.Value}-{requestId}", DueAt = due },
            Core.Conflicts.ConflictWork.Check(id, due),
            Core.Events.EventWork.Notices(eventId, due, other),
            Core.Events.EventWork.Notices(eventId, due),
        })
        {
            await work.ScheduleAsync(item, CancellationToken.None);
        }

        var data = await (await app.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(
            ["collaboration-request", "event-notices", "opening-interest", "welcome-invitation"],
            data.GetProperty("scheduledWork").EnumerateArray().Select(w => w.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        // An approved opening's send exists only for someone the conflict register flagged: withheld like the checks (ADR 0031).
        Assert.DoesNotContain("opening-approved", data.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(other.Value, data.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ByDefault_WithholdsRehireEligibilityAndSaysWhyInBothLanguages()
    {
        var id = await app.MemberAsync("ja-JP");

        var data = await (await app.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(JsonValueKind.Null, data.GetProperty("alumnus").GetProperty("rehireEligible").ValueKind);
        var withheld = Assert.Single(data.GetProperty("withheld").EnumerateArray(), w => w.GetProperty("field").GetString() == "alumnus.rehireEligible");
        Assert.Contains("個人情報保護法第33条第2項第2号", withheld.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("APPI Article 33(2)(ii)", withheld.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WhenTheOperatorChoosesDisclosure_HoldsRehireEligibilityAndWithholdsOnlyTheConflictChecks()
    {
        await using var disclosing = await TestApp.StartAsync(azurite, new Dictionary<string, string?> { ["Privacy:WithholdRehireEligibility"] = "false" });
        var id = await disclosing.MemberAsync("ja-JP");

        var data = await (await disclosing.PostFormAsync(LinkPurpose.Export, id)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(data.GetProperty("alumnus").GetProperty("rehireEligible").GetBoolean());
        Assert.Equal(["conflictOfInterest"], data.GetProperty("withheld").EnumerateArray().Select(w => w.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task WithholdingWithoutAReason_FailsTheStart()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Privacy:WithholdRehireEligibility"] = "true",
            ["Privacy:RehireEligibilityWithholdingReason"] = " ",
        }));

        Assert.Contains("RehireEligibilityWithholdingReason", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "同社の保存期間が終わるまで保持します")]
    [InlineData("en-US", "keeps its record of the emails sent to you, with your email address, until its own retention period ends")]
    public async Task EraseConfirmation_SaysTheEmailProviderKeepsItsRecordUntilItsOwnRetentionEnds(string locale, string said)
    {
        // The mails carry the alumnus id beside the address, and SendGrid's activity data is not ours to erase (ADR 0008).
        var id = await app.MemberAsync(locale);

        var confirm = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.Erase, id));

        Assert.Contains(said, confirm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_LeavesNoPersonalDataInAnyTable()
    {
        var id = await app.MemberAsync("ja-JP", "Newsletter", "DirectoryVisibility");
        await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", "Yamada Trading"), ("Location", "Osaka"));
        await app.PostFormAsync(LinkPurpose.Export, id);

        var confirm = await app.Client.GetStringAsync(app.PathFor(LinkPurpose.Erase, id));
        var erased = await app.PostFormAsync(LinkPurpose.Erase, id);

        Assert.Contains("削除すると元に戻せません", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("Your data is erased", await erased.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var personal = new[] { "花子", "山田", "hanako@example.net", "E12345", "Retail Banking", "Analyst", "Yamada Trading", "Osaka" };
        foreach (var table in AlumniTables.All)
        {
            foreach (var row in await app.RowsAsync(table))
            {
                var text = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
                Assert.All(personal, value => Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase));
            }
        }

        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.Profiles));
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), a => a.GetString("Action") == "alumnus.erased");
    }

    [Fact]
    public async Task Erase_LeavesNoAdminsReasonsAboutThePersonInAnyTable()
    {
        const string cardReason = "電話番号 090-1234-5678 と勤務先の記載は掲載できません";
        const string complianceReason = "Competitor contact via 090-1234-5678; approved by legal";
        var id = await app.CollaboratorAsync(listed: false);
        await app.ReviewCardAsync(id, "reject", cardReason);
        await app.Services.GetRequiredService<Core.Conflicts.IComplianceApprovals>().RequestAsync(
            new Core.Conflicts.ApprovalRequest(id, "collaboration-test", "Collaboration request", "test", TimeProvider.System.GetUtcNow()), CancellationToken.None);
        using (var scope = app.Services.CreateScope())
        {
            Assert.IsType<Core.Admin.AdminOutcome<Core.Conflicts.Approval>.Done>(await scope.ServiceProvider.GetRequiredService<Core.Conflicts.ManageApprovals>()
                .DecideAsync(new Core.Conflicts.ApprovalDecision(id.Value, "collaboration-test", "approve", complianceReason), "officer", CancellationToken.None));
        }

        var erased = await app.PostFormAsync(LinkPurpose.Erase, id);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), a => a.GetString("Action") == Core.Conflicts.ManageApprovals.DecidedAction && a.GetString("Subject") == id.Value);
        foreach (var table in AlumniTables.All)
        {
            foreach (var row in await app.RowsAsync(table))
            {
                var text = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
                Assert.DoesNotContain("090-1234-5678", text, StringComparison.Ordinal);
                Assert.DoesNotContain("掲載できません", text, StringComparison.Ordinal);
                Assert.DoesNotContain("approved by legal", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EraseDaysAfterANewsletterBatch_KeepsItsConsentUntilTheRetentionEnds_ThenThePurgeRemovesIt()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var timed = await TestApp.StartAsync(azurite, services: s => s.AddSingleton<TimeProvider>(clock));
        var member = Assert.Single(await timed.SeedMembersAsync(1, [ConsentPurpose.Newsletter]));
        var campaign = await timed.StartAndPlanAsync("newsletter-erase-1");
        await timed.SendAllBatchesAsync(campaign);
        Assert.Single(await timed.OutboxAsync());
        clock.Advance(TimeSpan.FromDays(5));

        var erased = await timed.PostFormAsync(LinkPurpose.Erase, member.Id);
        await PurgeAsync(timed);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Empty(await timed.RowsAsync(AlumniTables.Alumni));
        // The proof of consent for the newsletter mailed five days ago, without the membership it no longer needs.
        Assert.Equal(["Newsletter"], (await timed.RowsAsync(AlumniTables.Consents)).Select(r => r.GetString("Purpose")));
        Assert.Equal([campaign.Id], (await timed.RowsAsync(AlumniTables.OutreachDecisions)).Select(r => r.RowKey));

        clock.Advance(TimeSpan.FromDays(32));
        await PurgeAsync(timed);

        Assert.Empty(await timed.RowsAsync(AlumniTables.Consents));
        Assert.Empty(await timed.RowsAsync(AlumniTables.OutreachDecisions));
    }

    private static async Task PurgeAsync(TestApp app)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<Core.Retention.PurgeExpiredData>().HandleAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExpiredEraseLink_OfAnErasureLeftUnfinished_FinishesIt()
    {
        // Past its time the link would say no data is held while the record, the profile and the ledger still are.
        var id = await app.MemberAsync("en-US", "Newsletter");
        (await app.PostFormAsync(LinkPurpose.Profile, id, ("CurrentEmployer", "Yamada Trading"), ("Location", "Osaka"))).EnsureSuccessStatusCode();
        await app.StopErasureAfterItsFirstWriteAsync(id);
        var token = app.Token(LinkPurpose.Erase, id, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-30));

        var confirm = await app.Client.GetAsync($"{AlumniLinks.PathOf(LinkPurpose.Erase)}?token={Uri.EscapeDataString(token)}");
        var erased = await app.Client.PostAsync(AlumniLinks.PathOf(LinkPurpose.Erase), new FormUrlEncodedContent([KeyValuePair.Create("token", token)]));

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Contains("Your data is erased", await erased.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.Profiles));
        Assert.Empty(await app.RowsAsync(AlumniTables.Consents));
        Assert.Contains(await app.RowsAsync(AlumniTables.Audit), a => a.GetString("Action") == "alumnus.erased" && a.GetString("Subject") == id.Value);
        foreach (var table in AlumniTables.All)
        {
            foreach (var row in await app.RowsAsync(table))
            {
                var text = string.Join("|", row.Select(p => $"{p.Key}={p.Value}"));
                Assert.All(new[] { "花子", "山田", "Hanako", "Yamada", "hanako@example.net", "E12345", "Osaka" }, value => Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public async Task Erase_BlanksTheProviderMessageIdsOnThePersonsSends_KeepingStateAndTime_AndNobodyElses()
    {
        // A message id finds the address in SendGrid's activity log; the row itself stays for the cap and as evidence.
        var id = await app.MemberAsync("en-US");
        var other = await app.DepartAsync(employeeId: "E67890");
        var sends = app.Services.GetRequiredService<ISendLedger>();
        var sentAt = TimeProvider.System.GetUtcNow().AddDays(-3);
        await sends.RecordSentAsync(new SendRecord("privacy-export", id.Value, "sg-mine-1", sentAt), CancellationToken.None);
        await sends.RecordSentAsync(new SendRecord("privacy-export", other.Value, "sg-theirs-1", sentAt), CancellationToken.None);

        var erased = await app.PostFormAsync(LinkPurpose.Erase, id);
        var again = await app.PostFormAsync(LinkPurpose.Erase, id);

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var all = await app.RowsAsync(AlumniTables.Sends);
        // The rows this test wrote: the member's welcome may have a Sends row of its own.
        var rows = all.Where(r => r.PartitionKey == "privacy-export").ToList();
        var mine = Assert.Single(rows, r => r.RowKey == id.Value);
        Assert.Equal("", mine.GetString("ProviderMessageId"));
        Assert.Equal(nameof(SendState.Sent), mine.GetString("Status"));
        Assert.Equal(sentAt.ToUnixTimeSeconds(), mine.GetDateTimeOffset("SentAt")!.Value.ToUnixTimeSeconds());
        Assert.Equal("sg-theirs-1", Assert.Single(rows, r => r.RowKey == other.Value).GetString("ProviderMessageId"));
        Assert.DoesNotContain(all, r => r.GetString("ProviderMessageId") == "sg-mine-1");
    }

    [Fact]
    public async Task EraseTwice_SecondTimeChangesNothingAndStillConfirms()
    {
        var id = await app.MemberAsync("en-US");
        await app.PostFormAsync(LinkPurpose.Erase, id);
        var auditRows = (await app.RowsAsync(AlumniTables.Audit)).Count;

        var again = await app.PostFormAsync(LinkPurpose.Erase, id);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Your data is erased", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(auditRows, (await app.RowsAsync(AlumniTables.Audit)).Count);
    }

    [Fact]
    public async Task DepartureAfterErase_DoesNotResurrectTheAlumnus()
    {
        var id = await app.MemberAsync("en-US");
        await app.PostFormAsync(LinkPurpose.Erase, id);

        var response = await app.PostSignedAsync(Departures.Body(lastWorkingDay: "2027-03-31"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("erased", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await app.RowsAsync(AlumniTables.Alumni));
        Assert.Empty(await app.RowsAsync(AlumniTables.WorkItems).ContinueWith(t => t.Result.Where(w => w.GetDateTimeOffset("DueAt") > new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToList(), TaskScheduler.Default));
    }

    [Theory]
    [InlineData(LinkPurpose.Profile)]
    [InlineData(LinkPurpose.Export)]
    [InlineData(LinkPurpose.Erase)]
    [InlineData(LinkPurpose.Preferences)]
    public async Task ExpiredLink_Gets410AndChangesNothing(LinkPurpose purpose)
    {
        var id = await app.MemberAsync("en-US");
        var before = await app.CountAllRowsAsync();
        var token = app.Token(purpose, id, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-400));

        var get = await app.Client.GetAsync($"{AlumniLinks.PathOf(purpose)}?token={Uri.EscapeDataString(token)}");
        var post = await app.Client.PostAsync(AlumniLinks.PathOf(purpose), new FormUrlEncodedContent([KeyValuePair.Create("token", token), KeyValuePair.Create("action", "unsubscribe-all")]));

        Assert.Equal(HttpStatusCode.Gone, get.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, post.StatusCode);
        Assert.Contains("This link has expired", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.CountAllRowsAsync());
    }

    [Fact]
    public async Task JoinLinkAfterErase_Gets410NoDataHeld()
    {
        var id = await app.MemberAsync("en-US");
        await app.PostFormAsync(LinkPurpose.Erase, id);

        var response = await app.Client.GetAsync(app.JoinPath(id));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("We hold no data about you", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
