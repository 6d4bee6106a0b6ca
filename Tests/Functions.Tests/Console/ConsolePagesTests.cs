using System.Net;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.AdminConsole;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>The console's pages through real HTTP: the same Core use cases and audit entries as the JSON API, bad input refused with nothing changed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class ConsolePagesTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private async Task<Alumnus> StoredAsync(AlumnusId id) => (await App.Services.GetRequiredService<IAlumniStore>().GetAsync(id, CancellationToken.None))!;

    private async Task<List<(string Actor, string Action, string Subject, string Detail)>> AuditAsync() =>
        (await App.RowsAsync(AlumniTables.Audit)).OrderBy(r => r.RowKey, StringComparer.Ordinal).Reverse()
            .Select(r => (r.GetString("Actor"), r.GetString("Action"), r.GetString("Subject"), r.GetString("Detail"))).ToList();

    /// <summary>The flags form as a browser sends it from <paramref name="page"/>: its hidden fields and checked choices, with the admin's choices put in.</summary>
    private static List<(string Key, string Value)> FlagsFormOf(string page, string? rehire = null, string? doNotContact = null)
    {
        var start = page.IndexOf("/flags\">", StringComparison.Ordinal);
        var form = page[start..page.IndexOf("</form>", start, StringComparison.Ordinal)];
        return FlagsFormField().Matches(form)
            .Select(m => m.Groups[1].Success ? (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)) : (m.Groups[3].Value, m.Groups[4].Value))
            .Select(f => f.Item1 switch
            {
                "rehireEligible" when rehire is not null => (f.Item1, rehire),
                "doNotContact" when doNotContact is not null => (f.Item1, doNotContact),
                _ => f,
            })
            .ToList();
    }

    /// <summary>The page without its antiforgery token, which differs on every page.</summary>
    private static string WithoutToken(string page) => AntiforgeryToken().Replace(page, "");

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__csrf\" value=\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();

    [System.Text.RegularExpressions.GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">|<input type=\"radio\" name=\"([^\"]+)\" value=\"([^\"]*)\" checked>")]
    private static partial System.Text.RegularExpressions.Regex FlagsFormField();

    /// <summary>Opens the person's page and submits its flags form with these choices, as an admin would.</summary>
    private async Task<HttpResponseMessage> PostFlagsAsync(AlumnusId id, string? rehire, string? doNotContact) =>
        await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(await Admin.GetPageAsync($"/api/console/alumni/{id.Value}"), rehire, doNotContact));

    [Fact]
    public async Task FlagsSetInTheConsole_WriteTheSameAuditEntriesAsTheJsonApi()
    {
        var viaConsole = await App.SeedAsync("E5001", "console@example.net", "花子", "山田");
        var viaApi = await App.SeedAsync("E5002", "api@example.net", "太郎", "佐藤");

        var posted = await PostFlagsAsync(viaConsole, "false", "true");
        var patched = await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{viaApi.Value}/flags", """{"rehireEligible":false,"doNotContact":true}""");

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/api/console/alumni/{viaConsole.Value}?saved=flags", posted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal((false, true), ((await StoredAsync(viaConsole)).RehireEligible, (await StoredAsync(viaConsole)).DoNotContact));
        var changes = (await AuditAsync()).Where(e => e.Action == AdminAuditActions.AlumnusFlagsChanged).ToList();
        Assert.Equal(
            [(AdminApi.DevelopmentSubject, AdminAuditActions.AlumnusFlagsChanged, viaConsole.Value, "fields=rehireEligible,doNotContact"),
             (AdminApi.DevelopmentSubject, AdminAuditActions.AlumnusFlagsChanged, viaApi.Value, "fields=rehireEligible,doNotContact")],
            changes.OrderBy(c => c.Subject == viaApi.Value));
        Assert.Contains("フラグを保存しました。", await Admin.GetPageAsync(posted.Headers.Location.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagsForm_ChangingOnlyRehire_KeepsADoNotContactSetElsewhereSinceThePageWasLoaded()
    {
        var id = await App.SeedAsync("E5014", "race@example.net", "花子", "山田");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        var patched = await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", """{"doNotContact":true}""");

        var posted = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page, rehire: "false"));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/api/console/alumni/{id.Value}?saved=flags", posted.Headers.Location!.OriginalString);
        var stored = await StoredAsync(id);
        Assert.Equal((false, true), (stored.RehireEligible, stored.DoNotContact));
        Assert.Equal(
            [(AdminApi.DevelopmentSubject, AdminAuditActions.AlumnusFlagsChanged, id.Value, "fields=doNotContact"),
             (AdminApi.DevelopmentSubject, AdminAuditActions.AlumnusFlagsChanged, id.Value, "fields=rehireEligible")],
            (await AuditAsync()).Where(e => e.Action == AdminAuditActions.AlumnusFlagsChanged));
    }

    [Theory]
    [InlineData("""{"rehireEligible":false}""", "unknown", null)]
    [InlineData("""{"rehireEligible":false}""", "unknown", "true")]
    [InlineData("""{"doNotContact":true}""", null, "true")]
    [InlineData("""{"rehireEligible":null,"doNotContact":true}""", "false", null)]
    public async Task FlagsForm_ChangingAFlagSomeoneElseChangedSinceThePageWasLoaded_Returns409AndChangesNothing(string elsewhere, string? rehire, string? doNotContact)
    {
        var id = await App.SeedAsync("E5015", "conflict@example.net", "花子", "山田");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", elsewhere)).StatusCode);
        var before = await StoredAsync(id);
        var audited = await AuditAsync();

        var posted = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page, rehire, doNotContact));

        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        var answer = await posted.Content.ReadAsStringAsync();
        Assert.Contains("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/console/alumni/{id.Value}\"", answer, StringComparison.Ordinal);
        var after = await StoredAsync(id);
        Assert.Equal((before.ETag, before.RehireEligible, before.DoNotContact), (after.ETag, after.RehireEligible, after.DoNotContact));
        Assert.Equal(audited, await AuditAsync());
    }

    [Fact]
    public async Task FlagsForm_ClearingDoNotContactWhileAnErasureIsUnfinished_Returns409ExplainingWhy_AndChangesNothing()
    {
        var id = await App.SeedAsync("E5017", "erasing@example.net", "花子", "山田");
        // The page was opened before the erasure began (once it has, the page is not found) and shows do-not-contact set.
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", """{"doNotContact":true}""")).StatusCode);
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        await App.StopErasureAfterItsFirstWriteAsync(id);
        var before = await App.SnapshotWithoutKeyRingAsync();

        var posted = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page, doNotContact: "false"));

        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        var answer = await posted.Content.ReadAsStringAsync();
        Assert.Contains("この方はご自身のデータの削除を依頼しており、その削除がまだ終わっていません。", answer, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotWithoutKeyRingAsync());
        Assert.True((await StoredAsync(id)).DoNotContact);
    }

    [Fact]
    public async Task PersonPage_OfAPersonWhoseErasureIsUnderWay_IsNotFoundLikeAnErasedOne_ShowingNothingOfThem_AndNotAudited()
    {
        var id = await App.SeedAsync("E5018", "half-erased@example.net", "花子", "山田");
        await App.StopErasureAfterItsFirstWriteAsync(id);
        var erased = await App.SeedAsync("E5019", "erased@example.net", "太郎", "佐藤");
        await App.Services.GetRequiredService<IAlumniStore>().EraseAsync(await StoredAsync(erased), CancellationToken.None);
        var audited = await AuditAsync();

        var halfErasedPage = await Admin.GetAsync($"/api/console/alumni/{id.Value}");
        var erasedPage = await Admin.GetAsync($"/api/console/alumni/{erased.Value}");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (halfErasedPage.StatusCode, erasedPage.StatusCode));
        var body = await halfErasedPage.Content.ReadAsStringAsync();
        // The same page but for the path it links back to.
        Assert.Equal(WithoutToken(await erasedPage.Content.ReadAsStringAsync()).Replace(erased.Value, id.Value, StringComparison.Ordinal), WithoutToken(body));
        Assert.DoesNotContain("half-erased@example.net", body, StringComparison.Ordinal);
        Assert.DoesNotContain("山田", body, StringComparison.Ordinal);
        Assert.Equal(audited, await AuditAsync());
    }

    [Fact]
    public async Task FlagsForm_Conflict_IsExplainedInEnglishToo()
    {
        var id = await App.SeedAsync("E5016", "conflict-en@example.net", "花子", "山田");
        await Admin.GetAsync("/api/console/language?to=en&back=/api/console/home");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", """{"doNotContact":true}""");

        var posted = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page, doNotContact: "true"));

        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        Assert.Contains("This was changed after you opened the page (by someone else, or by a save you sent earlier). Nothing was saved.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja", "この方の記録が他の処理（同意の反映、人事システムからの取り込みなど）で更新中だったため、保存できませんでした。何も保存していません。", "少し待ってから、もう一度保存してください。", "内容が変更されました")]
    [InlineData("en", "The record was busy with other updates (consent changes, the HR system's intake) and the flags could not be saved. Nothing was saved.", "Wait a moment, then try again.", "This was changed after you opened the page")]
    public async Task FlagsForm_RecordBusyWithOtherWritesEveryAttempt_Returns409SayingTryAgain_NotThatSomeoneChangedTheFlags(
        string language, string busy, string tryAgain, string blame)
    {
        // Other writes to the row (consent projection, intake) win every ETag round; the flags themselves never change.
        await using var app = await TestApp.StartAsync(Azurite, services: services => services
            .AddSingleton(sp => new InterleavedAlumniStore(ActivatorUtilities.CreateInstance<TableAlumniStore>(sp)))
            .AddSingleton<IAlumniStore>(sp => sp.GetRequiredService<InterleavedAlumniStore>()));
        using var admin = await ConsoleClient.SignedInAsync(app, AdminRoles.Admin);
        var id = await app.SeedAsync("E5018", "busy@example.net", "花子", "山田");
        await admin.GetAsync($"/api/console/language?to={language}&back=/api/console/home");
        var page = await admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        var store = app.Services.GetRequiredService<InterleavedAlumniStore>();
        var before = (await store.GetAsync(id, CancellationToken.None))!;
        store.OthersKeepWriting = true;

        var posted = await admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page, doNotContact: "true"));

        store.OthersKeepWriting = false;
        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);
        var answer = await posted.Content.ReadAsStringAsync();
        Assert.Contains(busy, answer, StringComparison.Ordinal);
        Assert.Contains(tryAgain, answer, StringComparison.Ordinal);
        Assert.DoesNotContain(blame, answer, StringComparison.Ordinal);
        var after = (await store.GetAsync(id, CancellationToken.None))!;
        Assert.Equal((before.RehireEligible, before.DoNotContact), (after.RehireEligible, after.DoNotContact));
    }

    [Fact]
    public async Task FlagsForm_ChangingNothing_WritesNoChangeEvenIfTheFlagsChangedElsewhere()
    {
        var id = await App.SeedAsync("E5017", "unchanged@example.net", "花子", "山田");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        await App.AdminAsync(HttpMethod.Patch, $"api/manage/alumni/{id.Value}/flags", """{"rehireEligible":false,"doNotContact":true}""");
        var before = await StoredAsync(id);

        var posted = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", FlagsFormOf(page));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
        Assert.Single(await AuditAsync(), e => e.Action == AdminAuditActions.AlumnusFlagsChanged);
    }

    public static TheoryData<string, string, string> BadShownFlags => new()
    {
        { "shown.rehireEligible", "", "shown.rehireEligible" },
        { "shown.rehireEligible", "maybe", "shown.rehireEligible" },
        { "shown.doNotContact", "", "shown.doNotContact" },
        { "shown.doNotContact", "unknown", "shown.doNotContact" },
    };

    [Theory]
    [MemberData(nameof(BadShownFlags))]
    public async Task FlagsFormWithoutTheValuesItShowed_Returns400NamingTheFieldAndChangesNothing(string name, string value, string field)
    {
        var id = await App.SeedAsync("E5018", "noshown@example.net", "花子", "山田");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        var before = await StoredAsync(id);
        var audited = await AuditAsync();
        var form = FlagsFormOf(page, "false", "true").Where(f => f.Key != name).ToList();
        if (value.Length > 0)
        {
            form.Add((name, value));
        }

        var response = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{field}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
        Assert.Equal(audited, await AuditAsync());
    }

    [Fact]
    public async Task PersonPage_IsTheAuditedRead_WithHrOnlyFlagsMarked()
    {
        var id = await App.SeedAsync("E5003", "person@example.net", "花子", "山田");

        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");

        Assert.Contains("person@example.net", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge\">人事のみ</span>", page, StringComparison.Ordinal);
        Assert.Contains("これらのフラグは本人には一切表示されません。", page, StringComparison.Ordinal);
        Assert.Contains((AdminApi.DevelopmentSubject, AdminAuditActions.AlumnusRead, id.Value, "view=details"), await AuditAsync());
    }

    [Theory]
    [InlineData("cross-site", HttpStatusCode.Forbidden)]
    [InlineData("same-site", HttpStatusCode.Forbidden)]
    [InlineData("same-origin", HttpStatusCode.OK)]
    [InlineData("none", HttpStatusCode.OK)]
    public async Task PersonPage_OpenedFromAnotherSite_ShowsNothingAndIsNotAudited(string secFetchSite, HttpStatusCode expected)
    {
        var id = await App.SeedAsync("E5020", "person-cross@example.net", "花子", "山田");

        var response = await Admin.GetFromAsync($"/api/console/alumni/{id.Value}", secFetchSite);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK, body.Contains("person-cross@example.net", StringComparison.Ordinal));
        if (expected == HttpStatusCode.Forbidden)
        {
            // One click on the refusal's link opens the page from the console itself.
            Assert.Contains($"""href="/api/console/alumni/{id.Value}">""", body, StringComparison.Ordinal);
        }

        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, (await AuditAsync()).Count(e => e.Action == AdminAuditActions.AlumnusRead));
    }

    [Theory]
    [InlineData("/api/console")]
    [InlineData("/api/console/home")]
    public async Task ConsoleEntry_OpensFromAnotherSite(string path)
    {
        var response = await Admin.GetFromAsync(path, "cross-site");

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, $"GET {path} from another site answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task StoredTextInPages_IsEscaped()
    {
        var id = await App.SeedAsync("E5004", "escape@example.net", "<script>alert(1)</script>", "O'Brien & \"Sons\"", department: "<b>R&D</b>");

        var search = await (await Admin.PostFormAsync("/api/console/alumni", ("q", "escape"))).Content.ReadAsStringAsync();
        var person = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");

        foreach (var page in new[] { search, person })
        {
            Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<b>R&D</b>", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string> BadFlagForms => new()
    {
        { "maybe", "false", "rehireEligible" },
        { "", "false", "rehireEligible" },
        { "true", "yes", "doNotContact" },
        { "true", "", "doNotContact" },
    };

    [Theory]
    [MemberData(nameof(BadFlagForms))]
    public async Task FlagsFormWithAValueThatIsNoChoice_Returns400NamingTheFieldAndChangesNothing(string rehire, string doNotContact, string field)
    {
        var id = await App.SeedAsync("E5005", "bad@example.net", "花子", "山田");
        var rows = await App.CountAllRowsAsync(AlumniTables.DataProtectionKeys, AlumniTables.Audit, AlumniTables.AuditSubjects);
        var before = await StoredAsync(id);
        var audited = (await AuditAsync()).Count;

        var response = await PostFlagsAsync(id, rehire, doNotContact);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{field}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(rows, await App.CountAllRowsAsync(AlumniTables.DataProtectionKeys, AlumniTables.Audit, AlumniTables.AuditSubjects));
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
        Assert.Equal(audited + 1, (await AuditAsync()).Count); // only the read of the person's page that supplied the form token
    }

    [Fact]
    public async Task FlagsFormWithoutItsToken_Returns400AndChangesNothing()
    {
        var id = await App.SeedAsync("E5006", "notoken@example.net", "花子", "山田");
        var before = await StoredAsync(id);
        var audited = (await AuditAsync()).Count;

        var response = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", [("rehireEligible", "false"), ("doNotContact", "true")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
        Assert.Equal(audited, (await AuditAsync()).Count);
    }

    [Fact]
    public async Task FlagsFormWithAnotherSessionsToken_Returns400AndChangesNothing()
    {
        var id = await App.SeedAsync("E5007", "othertoken@example.net", "花子", "山田");
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);
        var viewerPage = await viewer.GetPageAsync("/api/console/home");
        var token = System.Text.RegularExpressions.Regex.Match(viewerPage, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        var before = await StoredAsync(id);

        var response = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags",
            [("rehireEligible", "false"), ("doNotContact", "true"), ("__csrf", WebUtility.HtmlDecode(token))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task FlagsFormFromAnotherSite_Returns403AndChangesNothing(string secFetchSite)
    {
        var id = await App.SeedAsync("E5008", "crosssite@example.net", "花子", "山田");
        var page = await Admin.GetPageAsync($"/api/console/alumni/{id.Value}");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__csrf\" value=\"([^\"]+)\"").Groups[1].Value);
        var before = await StoredAsync(id);

        var response = await Admin.PostRawAsync($"/api/console/alumni/{id.Value}/flags", [("rehireEligible", "false"), ("doNotContact", "true"), ("__csrf", token)], secFetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("It was sent from another site.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.ETag, (await StoredAsync(id)).ETag);
    }

    [Fact]
    public async Task FlagsForAnUnknownAlumnus_Returns404AndWritesNothing()
    {
        await App.SeedAsync("E5009", "known@example.net", "花子", "山田");
        var audited = (await AuditAsync()).Count;

        var response = await Admin.PostFormFromAsync(ConsolePage.Root + "/home", "/api/console/alumni/0123456789abcdef0123456789abcdef/flags",
            ("rehireEligible", "false"), ("doNotContact", "false"), ("shown.rehireEligible", "true"), ("shown.doNotContact", "false"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(audited, (await AuditAsync()).Count);
    }

    [Fact]
    public async Task CsvExport_IsTheSameExportAsTheJsonApi_AndAudited()
    {
        await App.SeedAsync("E5012", "csv@example.net", "花子", "山田");

        var fromConsole = await Admin.GetAsync("/api/console/alumni/export.csv");
        var fromApi = await App.AdminAsync(HttpMethod.Get, "api/manage/alumni/export.csv");

        Assert.Equal(HttpStatusCode.OK, fromConsole.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", fromConsole.Content.Headers.ContentType!.ToString());
        Assert.Equal(await fromApi.Content.ReadAsByteArrayAsync(), await fromConsole.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, (await AuditAsync()).Count(e => e.Action == AdminAuditActions.AlumniExportCompleted && e.Detail == "format=csv; rows=1"));
    }

    [Theory]
    [InlineData("cross-site", HttpStatusCode.Forbidden)]
    [InlineData("same-site", HttpStatusCode.Forbidden)]
    [InlineData("same-origin", HttpStatusCode.OK)]
    [InlineData("none", HttpStatusCode.OK)]
    public async Task CsvExport_OpenedFromAnotherSite_Returns403AndIsNotAudited(string secFetchSite, HttpStatusCode expected)
    {
        await App.SeedAsync("E5013", "csv-cross@example.net", "花子", "山田");

        var response = await Admin.GetFromAsync("/api/console/alumni/export.csv?status=%3Cb%3E", secFetchSite);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            // The refusal links the same download, escaped, so a click from the console's own page fetches it.
            Assert.Contains("""href="/api/console/alumni/export.csv?status=%3Cb%3E">""", body, StringComparison.Ordinal);
        }

        Assert.Equal(expected == HttpStatusCode.OK ? 2 : 0, (await AuditAsync()).Count(e => e.Action is AdminAuditActions.AlumniExport or AdminAuditActions.AlumniExportCompleted));
    }

    private static string UtcDate() => TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AuditPage_ToADate_TakesInTheWholeOfItsLastSecond()
    {
        var audit = App.Services.GetRequiredService<Core.Audit.IAuditLog>();
        await audit.WriteAsync(new Core.Audit.AuditEntry(new DateTimeOffset(2026, 3, 31, 23, 59, 59, 500, TimeSpan.Zero), "hr-late", "alumnus.read", "", "half a second before midnight"), CancellationToken.None);
        await audit.WriteAsync(new Core.Audit.AuditEntry(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), "hr-late", "alumnus.read", "", "at midnight"), CancellationToken.None);

        var march = await Admin.GetPageAsync("/api/console/audit?actor=hr-late&from=2026-03-31&to=2026-03-31");

        Assert.Contains("half a second before midnight", march, StringComparison.Ordinal);
        Assert.DoesNotContain("at midnight", march, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_WithMoreEntriesThanTheLimit_LinksToTheOlderOnes()
    {
        var audit = App.Services.GetRequiredService<Core.Audit.IAuditLog>();
        foreach (var (at, detail) in new[] { (new DateTimeOffset(2026, 5, 2, 9, 0, 0, TimeSpan.Zero), "newer one"), (new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero), "older one") })
        {
            await audit.WriteAsync(new Core.Audit.AuditEntry(at, "pager", "alumnus.read", "", detail), CancellationToken.None);
        }

        var first = await Admin.GetPageAsync("/api/console/audit?actor=pager&from=2026-05-01&to=2026-05-31&limit=1");
        var link = System.Text.RegularExpressions.Regex.Match(first, """<a href="([^"]+)" rel="next">古い記録</a>""");
        var second = await Admin.GetPageAsync(System.Net.WebUtility.HtmlDecode(link.Groups[1].Value));

        Assert.True(link.Success, first);
        Assert.Contains("newer one", first, StringComparison.Ordinal);
        Assert.DoesNotContain("older one", first, StringComparison.Ordinal);
        Assert.Contains("older one", second, StringComparison.Ordinal);
        Assert.DoesNotContain("newer one", second, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
        // The link names the range the first page resolved; the form still shows it as days.
        Assert.Contains("name=\"from\" value=\"2026-05-01\"", second, StringComparison.Ordinal);
        Assert.Contains("name=\"to\" value=\"2026-05-31\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditPage_FiltersByActorActionAndPeriod()
    {
        var id = await App.SeedAsync("E5013", "audit@example.net", "花子", "山田");
        var before = UtcDate();
        await PostFlagsAsync(id, "true", "true");
        var after = UtcDate();

        var changes = await Admin.GetPageAsync($"/api/console/audit?action=alumnus.flags.changed&from={before}&to={after}");
        var byOther = await Admin.GetPageAsync("/api/console/audit?actor=someone-else");
        var lastYear = await Admin.GetPageAsync("/api/console/audit?from=2025-01-01&to=2025-01-31");
        var bad = await Admin.GetAsync("/api/console/audit?from=yesterday");

        Assert.Contains("fields=doNotContact", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>alumnus.read</td>", changes, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>alumnus.flags.changed</td>", byOther, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>alumnus.flags.changed</td>", lastYear, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>from</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains((AdminApi.DevelopmentSubject, AdminAuditActions.AuditRead, "", "filters=action; results=1"), await AuditAsync());
    }

    [Fact]
    public async Task LanguageSwitch_ShowsTheConsoleInEnglish_AndGoesBackOnlyInsideTheConsole()
    {
        var switched = await Admin.GetAsync("/api/console/language?to=en&back=" + Uri.EscapeDataString("/api/console/audit"));
        var english = await Admin.GetPageAsync("/api/console/audit");
        var offsite = await Admin.GetAsync("/api/console/language?to=ja&back=" + Uri.EscapeDataString("https://evil.example/"));

        Assert.Equal("/api/console/audit", switched.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en-US\">", english, StringComparison.Ordinal);
        Assert.Contains("Audit log", english, StringComparison.Ordinal);
        Assert.Equal("/api/console/home", offsite.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"ja-JP\">", await Admin.GetPageAsync("/api/console/home"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/console/home%0d%0aX-Injected:%201")]
    [InlineData("/api/console/%E5%B1%B1%E7%94%B0")]
    [InlineData("/api/console/home%00")]
    [InlineData("/api/console/home%09x")]
    [InlineData("/api/console/a%20b")]
    [InlineData("/api/console/a%7Fb")]
    [InlineData("/api/console/%C3%A9")]
    public async Task LanguageSwitch_WithABackThatIsNoPlainAsciiPath_GoesToTheConsoleHome(string back)
    {
        var response = await Admin.GetAsync("/api/console/language?to=en&back=" + back);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/api/console/home", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.Contains("X-Injected"));
        Assert.Contains("<html lang=\"en-US\">", await Admin.GetPageAsync("/api/console/home"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_OnAPageWhoseQueryHoldsJapanese_GoesBackToIt()
    {
        var here = "/api/console/alumni?q=" + Uri.EscapeDataString("山田");

        var response = await Admin.GetAsync("/api/console/language?to=en&back=" + Uri.EscapeDataString(here));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(here, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Dashboard_BeforeTheFirstRollUp_SaysSo()
    {
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);

        Assert.Contains("集計はまだありません。", await viewer.GetPageAsync("/api/console/insights"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_AfterRollUp_ShowsCountsAndHidesSmallGroups()
    {
        for (var i = 0; i < 6; i++)
        {
            var id = await App.SeedAsync($"E52{i:00}", $"dash{i}@example.net", "花子", "山田");
            if (i < 5)
            {
                await App.SetStatusAsync(id, AlumnusStatus.Joined);
            }
        }

        await App.RollUpInsightsAsync();
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);
        var page = await viewer.GetPageAsync("/api/console/insights");

        Assert.Contains("<tr><td>参加</td><td>5</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>退職済み (未招待)</td><td>5人未満</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>再入社</td><td>0</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("dash0@example.net", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_RolledUpAt2330UtcOnTheLastDayOfAMonth_ShowsTheCompanysMonths_AndSaysWhichZone()
    {
        // 08:30 on 1 December 2026 in Tokyo (the default zone): December is the current month, not November.
        var store = App.Services.GetRequiredService<Core.Insights.IInsightStore>();
        var (_, etag) = await store.GetAsync(CancellationToken.None);
        var snapshot = new Core.Insights.InsightSnapshot(new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero),
            new Dictionary<string, Core.Insights.InsightMetric> { [Core.Insights.InsightKeys.JoinsIn("2026-12")] = new(7, "2026-12") });
        Assert.True(await store.TrySaveAsync(snapshot, etag, CancellationToken.None));
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);

        var page = await viewer.GetPageAsync("/api/console/insights");

        Assert.Contains("<tr><td>2026-12</td><td>7</td></tr>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<tr><td>2025-12</td>", page, StringComparison.Ordinal);
        Assert.Contains("月・四半期・年は会社のタイムゾーン (Asia/Tokyo) の暦によります。", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardInsights_CountAPersonWhoseErasureIsUnderWay_AsErased_NotAsConsenting()
    {
        var members = await App.SeedMembersAsync(6, [Core.Consent.ConsentPurpose.Newsletter]);
        await App.StopErasureAfterItsFirstWriteAsync(members[0].Id);

        await App.RollUpInsightsAsync();

        var (snapshot, _) = await App.Services.GetRequiredService<Core.Insights.IInsightStore>().GetAsync(CancellationToken.None);
        var month = Core.Insights.InsightPeriods.Month(snapshot.ComputedAt!.Value, App.Services.GetRequiredService<Core.Company.CompanyCalendar>());
        Assert.Equal(5, snapshot.Value(Core.Insights.InsightKeys.ConsentGranted(nameof(Core.Consent.ConsentPurpose.Newsletter), month)));
        Assert.Equal(5, snapshot.Value(Core.Insights.InsightKeys.ConsentGranted(nameof(Core.Consent.ConsentPurpose.NetworkMembership), month)));
        Assert.Equal((5, 1), (snapshot.Value(Core.Insights.InsightKeys.Status(Core.Insights.InsightKeys.Joined)), snapshot.Value(Core.Insights.InsightKeys.Status(Core.Insights.InsightKeys.Erased))));
    }
}
