using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Audit;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Console;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Conflicts;

/// <summary>
/// Conflict of interest through the console and the real functions on Azurite: the compliance role keeps the register;
/// a profile whose employer matches (in any of its spellings) flags the alumnus; register changes re-check everyone;
/// sensitive requests never reach a flagged alumnus and others wait for an approval that is audited (the reason stays with it);
/// bad register entries change nothing; the alumnus never sees the register.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConflictFlowTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite, AdminRoles.Compliance)
{
    private const string Register = "/api/console/conflicts";
    private readonly CapturedLogs logs = new();

    protected override CapturedLogs? Logs => logs;

    private Task<HttpResponseMessage> AddEntryAsync(string name, string category = "Competitor", string aliases = "", string coolingOffDays = "") =>
        Admin.PostFormFromAsync(Register, Register + "/entries", ("name", name), ("category", category), ("aliases", aliases), ("coolingOffDays", coolingOffDays));

    private async Task<Alumnus> AlumnusAsync(AlumnusId id) => (await App.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;

    private async Task<string> EntryIdAsync(string name) =>
        (await App.Services.GetRequiredService<IConflictRegister>().ListAsync(CancellationToken.None)).Single(e => e.Name == name).Id;

    [Theory]
    [InlineData("（株）サンプル商事")]
    [InlineData("ｻﾝﾌﾟﾙ商事 株式会社")]
    [InlineData("Sample Trading Co., Ltd.")]
    [InlineData("SAMPLE TRADING CO.,LTD")]
    public async Task EmployerMatchingAnyNameOfAnEntry_FlagsTheAlumnus_WithTheReasonForCompliance(string employer)
    {
        Assert.Equal(HttpStatusCode.Redirect, (await AddEntryAsync("株式会社サンプル商事", aliases: "Sample Trading Co., Ltd.\nさんぷる商事")).StatusCode);

        var alumnus = await App.CollaboratorAsync(employer: employer);
        var flagged = await Admin.GetPageAsync(Register + "/flagged");
        var profile = await App.Client.GetStringAsync(App.PathFor(LinkPurpose.Profile, alumnus));

        var flag = (await AlumnusAsync(alumnus)).ConflictOfInterest;
        Assert.Equal(("Competitor", await EntryIdAsync("株式会社サンプル商事")), (flag?.Category, flag?.EntryId));
        Assert.Contains(alumnus.Value, flagged, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(employer), flagged, StringComparison.Ordinal);
        Assert.DoesNotContain("株式会社サンプル商事", profile, StringComparison.Ordinal);
        Assert.DoesNotContain("利益相反", profile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddFormPostedTwice_AddsOneEntry_AndAnotherFormOrABadKeyUnderItChangesNothing()
    {
        var page = await Admin.GetPageAsync(Register);
        (string, string)[] fields = [("name", "株式会社サンプル商事"), ("category", "Competitor"), ("aliases", "Sample Trading"), ("coolingOffDays", "")];

        var first = await Admin.PostFormOfAsync(page, Register + "/entries", fields);
        var before = await App.SnapshotWithoutKeyRingAsync();
        var second = await Admin.PostFormOfAsync(page, Register + "/entries", fields);
        var changed = await Admin.PostFormOfAsync(page, Register + "/entries", [("name", "別の組織"), ("category", "Competitor"), ("aliases", ""), ("coolingOffDays", "")]);
        var bad = await Admin.PostFormOfAsync(page, Register + "/entries", [.. fields, (IdempotencyKey.Field, "two words")]);

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Conflict, HttpStatusCode.BadRequest),
            (first.StatusCode, second.StatusCode, changed.StatusCode, bad.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        // The form shown again takes a new key, so saving it again adds the other organisation on purpose.
        var again = await changed.Content.ReadAsStringAsync();
        Assert.Contains("value=\"別の組織\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain(System.Text.RegularExpressions.Regex.Match(page, "name=\"idempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value, again, StringComparison.Ordinal);
        Assert.Contains($"<code>{IdempotencyKey.Field}</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.Equal("株式会社サンプル商事", Assert.Single(await App.Services.GetRequiredService<IConflictRegister>().ListAsync(CancellationToken.None)).Name);
        Assert.Equal([ConflictAuditActions.EntryAdded], (await App.RowsAsync(AlumniTables.Audit)).Select(r => r.GetString("Action")));
    }

    [Fact]
    public async Task RegisterChange_ChecksEveryoneAgain_AndRemovingTheEntryLiftsTheFlag()
    {
        var alumnus = await App.CollaboratorAsync(employer: "みずほ銀行");
        Assert.Null((await AlumnusAsync(alumnus)).ConflictOfInterest);

        await AddEntryAsync("Mizuho Bank", "ClientUnderEngagement", aliases: "みずほ銀行");
        await App.RunCollaborationWorkAsync();
        var flagged = (await AlumnusAsync(alumnus)).ConflictOfInterest;
        var removed = await Admin.PostFormAsync($"{Register}/entries/{await EntryIdAsync("Mizuho Bank")}/remove");
        await App.RunCollaborationWorkAsync();

        Assert.Equal("ClientUnderEngagement", flagged?.Category);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null((await AlumnusAsync(alumnus)).ConflictOfInterest);
        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.ConflictAssessments), r => r.RowKey == alumnus.Value);
    }

    [Fact]
    public async Task LeavingAnEntryWithCoolingOff_KeepsTheFlagUntilItEnds()
    {
        await AddEntryAsync("金融庁", "Regulator", aliases: "Financial Services Agency", coolingOffDays: "365");
        var alumnus = await App.CollaboratorAsync(employer: "Financial Services Agency");

        (await App.PostFormAsync(LinkPurpose.Profile, alumnus, ("CurrentEmployer", "独立系コンサルティング"))).EnsureSuccessStatusCode();

        var assessment = await App.Services.GetRequiredService<IConflictAssessments>().GetAsync(alumnus, CancellationToken.None);
        Assert.Equal("Regulator", (await AlumnusAsync(alumnus)).ConflictOfInterest?.Category);
        Assert.NotNull(assessment?.CoolingOffUntil);
        Assert.InRange(assessment!.CoolingOffUntil!.Value - TimeProvider.System.GetUtcNow(), TimeSpan.FromDays(364), TimeSpan.FromDays(365));
        Assert.Contains(await App.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == "conflict-check" && r.GetDateTimeOffset("DueAt") == assessment.CoolingOffUntil);
    }

    /// <summary>
    /// Someone who leaves a competitor for a client, then the client, is still flagged by the competitor's cooling-off,
    /// counted from when they left it, and stays so when everyone is checked again.
    /// </summary>
    [Fact]
    public async Task MovingFromAnEntryWithCoolingOffToAnotherEntry_ThenLeavingThatOne_KeepsTheFirstCoolingOff()
    {
        await AddEntryAsync("ライバル商事", "Competitor", coolingOffDays: "180");
        await AddEntryAsync("顧客物産", "ClientUnderEngagement");
        var alumnus = await App.CollaboratorAsync(employer: "ライバル商事株式会社");
        var leftRival = TimeProvider.System.GetUtcNow();
        (await App.PostFormAsync(LinkPurpose.Profile, alumnus, ("CurrentEmployer", "顧客物産（株）"))).EnsureSuccessStatusCode();
        var atClient = (await AlumnusAsync(alumnus)).ConflictOfInterest;

        (await App.PostFormAsync(LinkPurpose.Profile, alumnus, ("CurrentEmployer", "独立系コンサルティング"))).EnsureSuccessStatusCode();
        var leftClient = (await AlumnusAsync(alumnus)).ConflictOfInterest;
        await App.RunCollaborationWorkAsync();

        var rival = await EntryIdAsync("ライバル商事");
        Assert.Equal((await EntryIdAsync("顧客物産"), "ClientUnderEngagement"), (atClient?.EntryId, atClient?.Category));
        Assert.Equal((rival, "Competitor"), (leftClient?.EntryId, leftClient?.Category));
        Assert.Equal(leftClient, (await AlumnusAsync(alumnus)).ConflictOfInterest);
        var assessment = await App.Services.GetRequiredService<IConflictAssessments>().GetAsync(alumnus, CancellationToken.None);
        Assert.Equal(rival, assessment?.EntryId);
        Assert.InRange(assessment!.CoolingOffUntil!.Value, leftRival.AddDays(180).AddSeconds(-1), leftRival.AddDays(180).AddMinutes(1));
        Assert.Contains(await App.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == "conflict-check" && r.GetDateTimeOffset("DueAt") == assessment.CoolingOffUntil);
    }

    /// <summary>
    /// Intent first: the checks a register change and a profile save write are in the table before the change, and fall
    /// due after it has landed, so the dispatcher cannot run them first, find nothing to change and complete them (a
    /// crash after the change would then leave it unchecked).
    /// </summary>
    [Fact]
    public async Task RegisterChangeAndProfileSave_WriteTheirCheckFirst_DueAfterTheChangeLands()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await AddEntryAsync("株式会社サンプル商事")).StatusCode);
        var alumnus = await App.CollaboratorAsync(employer: "サンプル商事");
        var entryId = await EntryIdAsync("株式会社サンプル商事");

        var rows = await App.RowsAsync(AlumniTables.WorkItems);
        var entry = Assert.Single(await App.RowsAsync(AlumniTables.ConflictRegister), r => r.RowKey == "entry-" + entryId);
        var profile = Assert.Single(await App.RowsAsync(AlumniTables.Profiles), r => r.RowKey == alumnus.Value);
        // A write slow enough may add a second item; the first is written before the change, the last falls due after it.
        var everyone = rows.Where(r => r.GetString("Kind") == "conflict-register").ToArray();
        var check = rows.Where(r => r.GetString("Kind") == "conflict-check" && r.GetString("SubjectId") == ConflictWork.CheckSubject(alumnus)).ToArray();
        Assert.NotEmpty(everyone);
        Assert.NotEmpty(check);
        Assert.True(everyone.Min(r => r.Timestamp) <= entry.Timestamp && everyone.Max(r => r.GetDateTimeOffset("DueAt")) > entry.Timestamp,
            $"everyone-check written at {everyone.Min(r => r.Timestamp):O}, due {everyone.Max(r => r.GetDateTimeOffset("DueAt")):O}; entry written at {entry.Timestamp:O}");
        Assert.True(check.Min(r => r.Timestamp) <= profile.Timestamp && check.Max(r => r.GetDateTimeOffset("DueAt")) > profile.Timestamp,
            $"check written at {check.Min(r => r.Timestamp):O}, due {check.Max(r => r.GetDateTimeOffset("DueAt")):O}; profile written at {profile.Timestamp:O}");
    }

    [Theory]
    [InlineData("株式会社", "", "name")]
    [InlineData("Co., Ltd.", "", "name")]
    [InlineData("サンプル物産", "（株）", "aliases[0]")]
    [InlineData("サンプル物産", "サンプル物産株式会社", "aliases[0]")]
    [InlineData("サンプル物産", "", "category", "Partner")]
    [InlineData("サンプル物産", "", "coolingOffDays", "Competitor", "0")]
    public async Task EntryThatBreaksARule_Is400NamingTheField_AndChangesNothing(string name, string aliases, string field, string category = "Competitor", string coolingOff = "")
    {
        var before = await App.SnapshotAsync();

        var response = await AddEntryAsync(name, category, aliases, coolingOff);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{field}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Theory]
    [InlineData("サンプル商事")]
    [InlineData("SAMPLE TRADING INC.")]
    public async Task EntryWithANameAnotherEntryHolds_Is409_AndChangesNothing(string duplicate)
    {
        await AddEntryAsync("株式会社サンプル商事", aliases: "Sample Trading");
        var before = await App.SnapshotAsync();

        var response = await AddEntryAsync("Another name", aliases: duplicate);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("already in the register", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task SensitiveRequestToAFlaggedAlumnus_Is409_AndStoresNothing()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var before = await App.SnapshotAsync();

        var response = await App.RequestCollaborationAsync(alumnus, confidentiality: "Sensitive");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("conflict of interest", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task NormalRequestToAFlaggedAlumnus_WaitsForApproval_ThenIsDeliveredAndTheDecisionAudited()
    {
        await AddEntryAsync("山田商事株式会社", "AuditClient");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        await App.RunCollaborationWorkAsync();
        var waiting = await App.OutboxAsync();
        var queue = await Admin.GetPageAsync(Register + "/approvals");

        var decided = await Admin.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "approve"), ("reason", "監査チーム確認済み: 監査業務と無関係"));
        await App.WaitForDueWorkAsync(Core.Scheduling.WorkKinds.CollaborationRequest);
        await App.RunCollaborationWorkAsync();

        Assert.DoesNotContain(waiting, m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Contains("佐藤 一郎", queue, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Single(await App.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        var audit = await App.Services.GetRequiredService<IAuditLog>().QueryAsync(TimeProvider.System.GetUtcNow().AddHours(-1), TimeProvider.System.GetUtcNow().AddMinutes(1), 100,
            new AuditFilter(Action: ManageApprovals.DecidedAction), null, CancellationToken.None);
        // The reason is free text about the person: kept on the approval, only its length in the audit log (ADR 0014).
        var detail = Assert.Single(audit.Entries).Detail;
        Assert.DoesNotContain("監査チーム確認済み", detail, StringComparison.Ordinal);
        Assert.Contains($"reason-chars={"監査チーム確認済み: 監査業務と無関係".Length}", detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// No personal data in logs: the flag, the request that waits for compliance and the decision are logged for operations,
    /// but never the category or the organisation, and nothing next to the alumnus's id says they are flagged or approved.
    /// </summary>
    [Fact]
    public async Task FlagRequestAndDecision_LogNoCategoryOrOrganisation_NorTheirFlagOrApprovalNextToTheAlumnus()
    {
        await AddEntryAsync("山田商事株式会社", "AuditClient");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        await App.RunCollaborationWorkAsync();
        await Admin.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "approve"), ("reason", "監査チーム確認済み"));
        await App.WaitForDueWorkAsync(Core.Scheduling.WorkKinds.CollaborationRequest);
        await App.RunCollaborationWorkAsync();

        var lines = logs.Records.Select(r => r.Message).ToArray();
        Assert.Contains("A conflict-of-interest flag changed", lines);
        Assert.Contains("A compliance approval was decided", lines);
        Assert.Contains($"Collaboration request {requestId} created", lines);
        Assert.All(lines, l => Assert.DoesNotMatch("AuditClient|山田商事|監査チーム", l));
        Assert.All(lines.Where(l => l.Contains(alumnus.Value, StringComparison.Ordinal)), l => Assert.DoesNotMatch("(?i)approv|conflict|flag|compliance", l));
    }

    [Fact]
    public async Task ApprovalQueue_IsAnAuditedRead_WithEveryAlumnusItShowsAmongItsSubjects()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        var log = App.Services.GetRequiredService<IAuditLog>();

        var queue = await Admin.GetPageAsync(Register + "/approvals");

        Assert.Contains(alumnus.Value, queue, StringComparison.Ordinal);
        var read = Assert.Single((await log.QueryAsync(TimeProvider.System.GetUtcNow().AddHours(-1), TimeProvider.System.GetUtcNow().AddMinutes(1), 100,
            new AuditFilter(Action: ConflictAuditActions.ApprovalsRead), null, CancellationToken.None)).Entries);
        Assert.Equal((global::AlumniNetwork.Functions.Hosting.Security.DevelopmentSignIn.SubjectOf(AdminRoles.Compliance), "", "pending=1"), (read.Actor, read.Subject, read.Detail));
        Assert.Contains(await log.AboutAsync(alumnus, CancellationToken.None), e => e.Action == ConflictAuditActions.ApprovalsRead);
    }

    [Fact]
    public async Task ApprovalQueue_SaysTheReasonIsKeptWithTheDecision_NotInTheAuditLog()
    {
        await AddEntryAsync("山田商事株式会社");
        await App.RequestIdAsync(await App.CollaboratorAsync(), expected: HttpStatusCode.Accepted);

        var japanese = await Admin.GetPageAsync(Register + "/approvals");
        await Admin.GetAsync("/api/console/language?to=en&back=/api/console/home");
        var english = await Admin.GetPageAsync(Register + "/approvals");

        Assert.DoesNotContain("判断と理由は監査ログに記録されます", japanese, StringComparison.Ordinal);
        Assert.DoesNotContain("理由（監査ログに記録）", japanese, StringComparison.Ordinal);
        Assert.Contains("理由は判断とともに保存され、監査ログには理由の文字数だけが記録されます。", japanese, StringComparison.Ordinal);
        Assert.Contains("理由（判断とともに保存。監査ログには文字数のみ）", japanese, StringComparison.Ordinal);
        Assert.DoesNotContain("its reason is recorded in the audit log", english, StringComparison.Ordinal);
        Assert.DoesNotContain("Reason (recorded in the audit log)", english, StringComparison.Ordinal);
        Assert.Contains("its reason is kept with the decision, and only the reason's length goes to the audit log.", english, StringComparison.Ordinal);
        Assert.Contains("Reason (kept with the decision; only its length goes to the audit log)", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedApproval_TheRequestNeverReachesTheAlumnus()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);

        await Admin.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "reject"), ("reason", "Competitor's sales team"));
        await App.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await App.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        Assert.Equal("NotDelivered", (await App.RowsAsync(AlumniTables.CollaborationRequests)).Single(r => r.RowKey == requestId).GetString("Status"));
    }

    /// <summary>
    /// The register entry behind the flag is removed after the rejection, before its follow-up delivers: with the flag gone
    /// nothing else stands in the way, yet the rejection is final and the request still never reaches the alumnus.
    /// </summary>
    [Fact]
    public async Task RejectedApproval_ThenTheFlagLifted_TheRequestStillNeverReachesTheAlumnus()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        await Admin.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "reject"), ("reason", "Competitor's sales team"));
        var entry = await EntryIdAsync("山田商事株式会社");

        Assert.Equal(HttpStatusCode.Redirect, (await Admin.PostFormAsync($"{Register}/entries/{entry}/remove")).StatusCode);
        await App.RunCollaborationWorkAsync();
        Assert.Null((await AlumnusAsync(alumnus)).ConflictOfInterest);
        await App.WaitForDueWorkAsync(Core.Scheduling.WorkKinds.CollaborationRequest);
        await App.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await App.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
        var row = (await App.RowsAsync(AlumniTables.CollaborationRequests)).Single(r => r.RowKey == requestId);
        Assert.Equal(("NotDelivered", Core.Collaboration.SendCollaborationMail.RejectedByCompliance), (row.GetString("Status"), row.GetString("Outcome")));
    }

    /// <summary>
    /// A request made before its alumnus was flagged asks compliance when it is delivered; by then the alumnus's erasure has
    /// begun: nothing is sent and no question is asked, which would name them in the queue for good (ADR 0008).
    /// </summary>
    [Fact]
    public async Task DeliveryAfterTheAlumnusErasureBegan_AsksComplianceNothing_AndSendsNothing()
    {
        var alumnus = await FlaggedAfterTheirRequestAsync(App);
        await App.StopErasureAfterItsFirstWriteAsync(alumnus);

        await App.RunCollaborationWorkAsync();

        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.ComplianceApprovals), r => r.PartitionKey == alumnus.Value);
        Assert.DoesNotContain(await App.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
    }

    /// <summary>
    /// The erasure began, and removed the alumnus's approvals, between the delivery's read of the alumnus and its question to
    /// compliance: the delivery reads the row again after the question and takes it back (ADR 0007), with a work item first.
    /// </summary>
    [Fact]
    public async Task ErasureBeganAsTheDeliveryAskedCompliance_TakesTheQuestionBack_AndSendsNothing()
    {
        await using var app = await TestApp.StartAsync(Azurite, services: services => services
            .AddSingleton(sp => new RacingApprovalStore(ActivatorUtilities.CreateInstance<TableApprovalStore>(sp)))
            .AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<RacingApprovalStore>()));
        var alumnus = await FlaggedAfterTheirRequestAsync(app);
        var approvals = app.Services.GetRequiredService<RacingApprovalStore>();
        approvals.BeforeNextAdd = async () =>
        {
            await app.StopErasureAfterItsFirstWriteAsync(alumnus);
            await approvals.RemoveAllAsync(alumnus, CancellationToken.None);
        };

        await app.RunCollaborationWorkAsync();

        Assert.Null(approvals.BeforeNextAdd);
        Assert.DoesNotContain(await app.RowsAsync(AlumniTables.ComplianceApprovals), r => r.PartitionKey == alumnus.Value);
        Assert.Contains(await app.RowsAsync(AlumniTables.WorkItems), r => r.GetString("Kind") == Core.Scheduling.WorkKinds.TakeBack && r.GetString("SubjectId") == alumnus.Value);
        Assert.DoesNotContain(await app.OutboxAsync(), m => m.Categories.Contains(CollaborationMail.RequestCategory));
    }

    /// <summary>A collaborator whose request was made unflagged (Pending, no question), flagged before its delivery runs.</summary>
    private static async Task<AlumnusId> FlaggedAfterTheirRequestAsync(TestApp app)
    {
        var alumnus = await app.CollaboratorAsync();
        await app.RunCollaborationWorkAsync();
        await app.RequestIdAsync(alumnus);
        await app.FlagAsync(alumnus);
        return alumnus;
    }

    /// <summary>
    /// Two officers decide the same approval at once: the decision saved first stands; the other was audited before its
    /// write (audit first) and lost the ETag race, so the log says it was not saved and its officer gets a 409 saying so.
    /// </summary>
    [Fact]
    public async Task TwoOfficersDecidingAtOnce_TheFirstSavedStands_TheOtherIs409AndAuditedAsNotSaved()
    {
        await using var app = await TestApp.StartAsync(Azurite, services: services => services
            .AddSingleton(sp => new RacingApprovalStore(ActivatorUtilities.CreateInstance<TableApprovalStore>(sp)))
            .AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<RacingApprovalStore>()));
        using var first = await ConsoleClient.SignedInAsync(app, AdminRoles.Compliance);
        using var second = await ConsoleClient.SignedInAsync(app, AdminRoles.Compliance);
        Assert.Equal(HttpStatusCode.Redirect, (await first.PostFormFromAsync(Register, Register + "/entries", ("name", "山田商事株式会社"), ("category", "Competitor"))).StatusCode);
        var alumnus = await app.CollaboratorAsync();
        var subject = $"collaboration:{await app.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted)}";
        HttpResponseMessage? rejected = null;
        // The second officer's rejection is read, audited and saved after the first officer's approval was read and audited.
        app.Services.GetRequiredService<RacingApprovalStore>().BeforeNextUpdate = async () => rejected = await second.PostFormFromAsync(
            Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value), ("subject", subject), ("decision", "reject"), ("reason", "競合の営業部門"));

        var approved = await first.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", subject), ("decision", "approve"), ("reason", "監査業務と無関係"));

        Assert.Equal(HttpStatusCode.Redirect, rejected?.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        var answer = await approved.Content.ReadAsStringAsync();
        Assert.Contains("他の判断か変更が先に保存されたため、この判断は記録されていません。判断は最初に保存されたものが有効です。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"{Register}/approvals\"", answer, StringComparison.Ordinal);
        var row = (await app.RowsAsync(AlumniTables.ComplianceApprovals)).Single(r => r.RowKey == subject);
        Assert.Equal(("Rejected", "競合の営業部門"), (row.GetString("Status"), row.GetString("Reason")));
        var audited = (await app.Services.GetRequiredService<IAuditLog>().AboutAsync(alumnus, CancellationToken.None))
            .Where(e => e.Action is ManageApprovals.DecidedAction or ManageApprovals.DecisionNotSavedAction).OrderBy(e => e.At).ToArray();
        Assert.Equal([$"{subject}: Approved; reason-chars=8", $"{subject}: Rejected; reason-chars=7", $"{subject}: Approved not saved: the approval changed meanwhile"],
            audited.Select(e => e.Detail));
        Assert.Equal([ManageApprovals.DecidedAction, ManageApprovals.DecidedAction, ManageApprovals.DecisionNotSavedAction], audited.Select(e => e.Action));
    }

    /// <summary>A tab opened before another officer rejected the request: approving from it later is refused in the officer's language.</summary>
    [Theory]
    [InlineData("ja", "この件はすでに「承認しない」と判断されています。判断は変更できないため、この判断は記録されていません。")]
    [InlineData("en", "It was rejected already, and a decision is final, so this decision was not recorded.")]
    public async Task OppositeDecisionAfterARejection_Is409SayingSoInTheOfficersLanguage_AndChangesNothing(string language, string said)
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var subject = $"collaboration:{await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted)}";
        Assert.Equal(HttpStatusCode.Redirect, (await Admin.GetAsync($"/api/console/language?to={language}&back=/api/console/home")).StatusCode);
        var queue = await Admin.GetPageAsync(Register + "/approvals");
        Assert.Equal(HttpStatusCode.Redirect, (await Admin.PostFormOfAsync(queue, Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", subject), ("decision", "reject"), ("reason", "競合の営業部門"))).StatusCode);
        var before = await App.SnapshotAsync();

        var approved = await Admin.PostFormOfAsync(queue, Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", subject), ("decision", "approve"), ("reason", "監査業務と無関係"));

        Assert.Equal(HttpStatusCode.Conflict, approved.StatusCode);
        var answer = await approved.Content.ReadAsStringAsync();
        Assert.Contains(said, answer, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("a decision is final.", answer, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task DecisionWithoutAReason_Is400_AndChangesNothing()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        var queue = await Admin.GetPageAsync(Register + "/approvals");
        var before = await App.SnapshotAsync();

        var response = await Admin.PostRawAsync(Register + "/approvals", [("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "approve"), ("reason", " "), ("__csrf", ConsoleClient.TokenOf(queue))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    /// <summary>A browser counts a line break as one character against the reason's maxlength, then sends CRLF.</summary>
    [Fact]
    public async Task ReasonAtTheLimitSentWithCrlf_IsRecorded_WithLfLineBreaks()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var subject = $"collaboration:{await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted)}";
        var queue = await Admin.GetPageAsync(Register + "/approvals");
        var typed = string.Join("\n", Enumerable.Repeat(new string('確', 100), 4).Append(new string('認', 96)));

        var decided = await Admin.PostFormOfAsync(queue, Register + "/approvals", ("alumnusId", alumnus.Value), ("subject", subject),
            ("decision", "approve"), ("reason", typed.Replace("\n", "\r\n", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var row = (await App.RowsAsync(AlumniTables.ComplianceApprovals)).Single(r => r.RowKey == subject);
        Assert.Equal(("Approved", typed), (row.GetString("Status"), row.GetString("Reason")));
    }

    /// <summary>A refused decision shows its form again with the reason as typed (escaped), so the officer does not type it twice.</summary>
    [Theory]
    [InlineData("ja", "判断を記録できませんでした", "承認待ちに戻る")]
    [InlineData("en", "The decision was not recorded", "Back to the approval queue")]
    public async Task RefusedDecision_Is400WithTheFormAndTheReasonAsTyped_AndChangesNothing(string language, string title, string back)
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        var subject = $"collaboration:{await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted)}";
        Assert.Equal(HttpStatusCode.Redirect, (await Admin.GetAsync($"/api/console/language?to={language}&back=/api/console/home")).StatusCode);
        var queue = await Admin.GetPageAsync(Register + "/approvals");
        var typed = "<b>監査業務</b> & \"無関係\"\r\n" + new string('理', ApprovalDecision.MaxReasonLength);
        var before = await App.SnapshotAsync();

        var refused = await Admin.PostFormOfAsync(queue, Register + "/approvals", ("alumnusId", alumnus.Value), ("subject", subject),
            ("decision", "approve"), ("reason", typed));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains(title, page, StringComparison.Ordinal);
        Assert.Contains($"<code>{ApprovalDecision.ReasonField}</code>", page, StringComparison.Ordinal);
        Assert.Contains($"required>{System.Net.WebUtility.HtmlEncode(typed)}</textarea>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>監査業務</b>", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"{ApprovalDecision.AlumnusField}\" value=\"{alumnus.Value}\"", page, StringComparison.Ordinal);
        Assert.Contains($"name=\"{ApprovalDecision.SubjectField}\" value=\"{subject}\"", page, StringComparison.Ordinal);
        Assert.Contains(back, page, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task FlaggedAlumnus_ExportWithholdsTheCheck_AndNeverNamesTheRegister()
    {
        await AddEntryAsync("山田商事株式会社", aliases: "Yamada Shoji");
        var alumnus = await App.CollaboratorAsync();
        var requestId = await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);
        await Admin.GetPageAsync(Register + "/flagged");
        await Admin.PostFormFromAsync(Register + "/approvals", Register + "/approvals", ("alumnusId", alumnus.Value),
            ("subject", $"collaboration:{requestId}"), ("decision", "reject"), ("reason", "Competitor's sales team"));

        var export = await (await App.PostFormAsync(LinkPurpose.Export, alumnus)).Content.ReadAsStringAsync();
        var data = JsonDocument.Parse(export).RootElement;

        Assert.Contains("conflictOfInterest", data.GetProperty("withheld").EnumerateArray().Select(w => w.GetProperty("field").GetString()));
        // Never sent: id, kind and creation only, as any request not sent; not who asked nor why, which the queue showed the officer.
        var request = Assert.Single(data.GetProperty("collaboration").GetProperty("requests").EnumerateArray());
        Assert.Equal((requestId, "Employee", CollaborationData.NotSent), (request.GetProperty("id").GetString(), request.GetProperty("requesterKind").GetString(), request.GetProperty("status").GetString()));
        Assert.All(new[] { "requester", "requesterDepartment", "reason", "confidentiality", "sentAt", "answeredAt" },
            field => Assert.Equal(JsonValueKind.Null, request.GetProperty(field).ValueKind));
        Assert.DoesNotContain("佐藤 一郎", export, StringComparison.Ordinal);
        Assert.DoesNotContain("決済分野での共同提案", export, StringComparison.Ordinal);
        Assert.DoesNotContain("Rejected", export, StringComparison.Ordinal);
        Assert.DoesNotContain("NotDelivered", export, StringComparison.Ordinal);
        Assert.DoesNotContain(data.GetProperty("auditTrail").EnumerateArray(), e => e.GetProperty("action").GetString()!.StartsWith("conflicts.", StringComparison.Ordinal));
        Assert.DoesNotContain("Yamada Shoji", export, StringComparison.Ordinal);
        Assert.DoesNotContain("Competitor", export, StringComparison.Ordinal);
        Assert.DoesNotContain("AwaitingApproval", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErasingAFlaggedAlumnus_RemovesTheAssessmentAndTheApprovals()
    {
        await AddEntryAsync("山田商事株式会社");
        var alumnus = await App.CollaboratorAsync();
        await App.RequestIdAsync(alumnus, expected: HttpStatusCode.Accepted);

        (await App.PostFormAsync(LinkPurpose.Erase, alumnus)).EnsureSuccessStatusCode();

        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.ConflictAssessments), r => r.RowKey == alumnus.Value);
        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.ComplianceApprovals), r => r.PartitionKey == alumnus.Value);
    }

    [Fact]
    public async Task AdminApi_ShowsTheFlagOnTheAlumnus()
    {
        await AddEntryAsync("山田商事株式会社", "ClientUnderEngagement");
        var alumnus = await App.CollaboratorAsync();

        var details = await App.AdminJsonAsync($"api/manage/alumni/{alumnus}");

        Assert.Equal("ClientUnderEngagement", details.GetProperty("conflictOfInterest").GetProperty("category").GetString());
    }

    [Theory]
    [InlineData(AdminRoles.Viewer)]
    [InlineData(AdminRoles.Recruiter)]
    public async Task RolesWithoutTheComplianceCapability_CannotOpenTheRegister(string role)
    {
        using var other = await ConsoleClient.SignedInAsync(App, role);

        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(Register)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(Register + "/approvals")).StatusCode);
    }

    private static (string, string)[] EntryFields(string aliases, string coolingOffDays) =>
        [("name", "Acme Holdings"), ("category", "Competitor"), ("aliases", aliases), ("coolingOffDays", coolingOffDays)];

    [Fact]
    public async Task StaleEditOfAnEntry_Returns409WithAReloadLink_AndKeepsTheAliasAnotherOfficerAdded()
    {
        await AddEntryAsync("Acme Holdings", coolingOffDays: "30");
        var id = await EntryIdAsync("Acme Holdings");
        var entryPage = $"{Register}/entries/{id}";
        var page = await Admin.GetPageAsync(entryPage);
        using var other = await ConsoleClient.SignedInAsync(App, AdminRoles.Compliance);
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFormFromAsync(entryPage, entryPage, EntryFields("Acme KK", "30"))).StatusCode);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var stale = await Admin.PostFormOfAsync(page, entryPage, EntryFields("", "90"));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var answer = await stale.Content.ReadAsStringAsync();
        Assert.Contains("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"{entryPage}\"", answer, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        var kept = (await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["Acme KK"], kept.Aliases);
        Assert.Equal(30, kept.CoolingOffDays);

        var fresh = await Admin.PostFormFromAsync(entryPage, entryPage, EntryFields("Acme KK", "90"));

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        var saved = (await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None))!;
        Assert.Equal(["Acme KK"], saved.Aliases);
        Assert.Equal(90, saved.CoolingOffDays);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("W/\"datetime'2026-11-30'\"")]
    public async Task EditOfAnEntryWithoutAVersion_Returns400NamingIt_AndChangesNothing(string? version)
    {
        await AddEntryAsync("Acme Holdings", coolingOffDays: "30");
        var entryPage = $"{Register}/entries/{await EntryIdAsync("Acme Holdings")}";
        var page = await Admin.GetPageAsync(entryPage);
        var before = await App.SnapshotWithoutKeyRingAsync();
        (string, string)[] posted = version is null ? [] : [(RecordVersion.Field, version)];

        var response = await Admin.PostRawAsync(entryPage, [.. EntryFields("", "90"), .. posted, (Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }

    /// <summary>Removing lifts flags at once: the entry's page only links to a confirmation naming it and how many it flags, carrying its version.</summary>
    [Fact]
    public async Task RemovingAnEntry_IsConfirmedFirst_OnAPageNamingItAndHowManyItFlags()
    {
        await AddEntryAsync("Mizuho Bank", "ClientUnderEngagement", aliases: "みずほ銀行");
        await App.CollaboratorAsync(employer: "みずほ銀行");
        await App.RunCollaborationWorkAsync();
        var id = await EntryIdAsync("Mizuho Bank");
        var entry = (await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None))!;

        var entryPage = await Admin.GetPageAsync($"{Register}/entries/{id}");
        var confirm = await Admin.GetPageAsync($"{Register}/entries/{id}/remove");

        Assert.Contains($"href=\"{Register}/entries/{id}/remove\"", entryPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"{Register}/entries/{id}/remove\"", entryPage, StringComparison.Ordinal);
        Assert.Contains("Mizuho Bank", confirm, StringComparison.Ordinal);
        Assert.Contains("現在 1 名のアルムナイにフラグが付いています", confirm, StringComparison.Ordinal);
        Assert.Contains($"action=\"{Register}/entries/{id}/remove\"", confirm, StringComparison.Ordinal);
        Assert.Equal(RecordVersion.Of(entry.UpdatedAt).ToString(), ConsoleClient.VersionOf(confirm));
        Assert.NotNull(await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task StaleRemovalOfAnEntry_Returns409WithALinkBackToTheConfirmation_AndRemovesAndAuditsNothing()
    {
        await AddEntryAsync("Acme Holdings", coolingOffDays: "30");
        var id = await EntryIdAsync("Acme Holdings");
        var confirmPage = $"{Register}/entries/{id}/remove";
        var confirm = await Admin.GetPageAsync(confirmPage);
        using var other = await ConsoleClient.SignedInAsync(App, AdminRoles.Compliance);
        var entryPage = $"{Register}/entries/{id}";
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFormFromAsync(entryPage, entryPage, EntryFields("Acme KK", "30"))).StatusCode);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var stale = await Admin.PostFormOfAsync(confirm, confirmPage);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains($"href=\"{confirmPage}\"", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.Equal(["Acme KK"], (await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None))?.Aliases);
        Assert.DoesNotContain(await App.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == ConflictAuditActions.EntryRemoved);

        var fresh = await Admin.PostFormAsync(confirmPage);

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Null(await App.Services.GetRequiredService<IConflictRegister>().GetAsync(id, CancellationToken.None));
        Assert.Contains(await App.RowsAsync(AlumniTables.Audit), r => r.GetString("Action") == ConflictAuditActions.EntryRemoved && r.GetString("Subject") == id);
    }

    [Fact]
    public async Task RemovalWithoutAVersion_Returns400NamingIt_AndChangesNothing()
    {
        await AddEntryAsync("Acme Holdings");
        var confirmPage = $"{Register}/entries/{await EntryIdAsync("Acme Holdings")}/remove";
        var confirm = await Admin.GetPageAsync(confirmPage);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var response = await Admin.PostRawAsync(confirmPage, [(Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(confirm))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
    }
}
