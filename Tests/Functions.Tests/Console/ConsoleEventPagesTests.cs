using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Storage;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The event pages through real HTTP: forms become the admin API's body and go through the same use cases (same rules,
/// same audit entries); bad input is a 400 naming the control with nothing changed; forms without this session's token,
/// or from another site, change nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleEventPagesTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    private const string Events = "/api/console/events";

    /// <summary>A complete, valid event form: 30 days ahead in Tokyo, one host.</summary>
    internal static Dictionary<string, string> ValidForm(string titleJa = "アルムナイ講演会", int capacity = 40)
    {
        var start = TimeProvider.System.GetUtcNow().AddDays(30);
        return new Dictionary<string, string>
        {
            ["title.ja"] = titleJa, ["title.en"] = "Alumni lecture", ["description.ja"] = "講演と懇親会", ["description.en"] = "Talk and drinks",
            ["kind"] = "LectureSeries", ["start"] = EventSeeds.Local(start), ["end"] = EventSeeds.Local(start.AddHours(2)), ["timeZone"] = "Asia/Tokyo",
            ["registrationDeadline"] = EventSeeds.Local(start.AddDays(-2)), ["venue"] = "本社 20F ホール", ["onlineUrl"] = "",
            ["capacity"] = capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["hosts[0].name"] = "佐藤 一郎", ["hosts[0].role"] = "Employee", ["hosts[0].title"] = "CFO",
            ["hosts[1].name"] = "", ["hosts[1].role"] = "Employee", ["hosts[1].title"] = "",
        };
    }

    private static (string, string)[] Fields(Dictionary<string, string> form, params (string Key, string Value)[] extra) =>
        [.. form.Select(f => (f.Key, f.Value)), .. extra];

    private Task<IReadOnlyList<string>> StateAsync() => App.SnapshotWithoutKeyRingAsync();

    private async Task<string> CreateAsync(Dictionary<string, string>? form = null)
    {
        var response = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(form ?? ValidForm()));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.EndsWith("?saved=created", location, StringComparison.Ordinal);
        return location[(Events.Length + 1)..location.IndexOf('?', StringComparison.Ordinal)];
    }

    private async Task<List<string>> AuditActionsAsync() =>
        [.. (await App.RowsAsync(AlumniTables.Audit)).OrderBy(r => r.RowKey, StringComparer.Ordinal).Reverse().Select(r => r.GetString("Action"))];

    [Fact]
    public async Task CreatedInTheConsole_IsTheSameDraftAsFromTheApi_AuditedAlike()
    {
        // One form: its start is a month from now to the minute, and a second one could fall in the next minute.
        var form = ValidForm();
        var id = await CreateAsync(form);

        var stored = await App.AdminJsonAsync($"api/manage/events/{id}");
        Assert.Equal(("Draft", "アルムナイ講演会", 40), (stored.GetProperty("status").GetString(), stored.GetProperty("title").GetProperty("ja").GetString(), stored.GetProperty("capacity").GetInt32()));
        Assert.Equal(form["start"], stored.GetProperty("start").GetString());
        var host = Assert.Single(stored.GetProperty("hosts").EnumerateArray());
        Assert.Equal(("佐藤 一郎", "Employee", "CFO"), (host.GetProperty("name").GetString(), host.GetProperty("role").GetString(), host.GetProperty("title").GetString()));
        var audit = Assert.Single(await App.RowsAsync(AlumniTables.Audit));
        Assert.Equal((AdminApi.DevelopmentSubject, EventAuditActions.Created, id, "kind=LectureSeries; capacity=40"),
            (audit.GetString("Actor"), audit.GetString("Action"), audit.GetString("Subject"), audit.GetString("Detail")));
        var page = await Admin.GetPageAsync($"{Events}/{id}?saved=created");
        Assert.Contains("下書きとして保存しました。", page, StringComparison.Ordinal);
        Assert.Contains("アルムナイ講演会", await Admin.GetPageAsync(Events), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewEventFormPostedTwice_CreatesOneEvent_AndShowsItBothTimes()
    {
        var page = await Admin.GetPageAsync(Events + "/new");
        var form = ValidForm();

        var first = await Admin.PostFormOfAsync(page, Events, Fields(form));
        var second = await Admin.PostFormOfAsync(page, Events, Fields(form));
        var another = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(form));

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect), (first.StatusCode, second.StatusCode, another.StatusCode));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.NotEqual(first.Headers.Location, another.Headers.Location);
        Assert.Equal(2, (await App.RowsAsync(AlumniTables.Events)).Count);
        Assert.Equal([EventAuditActions.Created, EventAuditActions.Created], await AuditActionsAsync());
    }

    [Fact]
    public async Task Audience_FromTheFormsLinesAndCheckboxes_IsTheApisSegment()
    {
        var form = Fields(ValidForm(), ("audience.departedFromYear", "2015"), ("audience.departments", "Retail Banking\r\n\r\nMarkets \r\n"),
            ("audience.reasons", "Voluntary"), ("audience.reasons", "Retirement"), ("audience.returnInterests", "ProjectWork"));

        var response = await Admin.PostFormFromAsync(Events + "/new", Events, form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var audience = (await App.AdminJsonAsync("api/manage/events/" + response.Headers.Location!.OriginalString.Split('/', '?')[4])).GetProperty("audience");
        Assert.Equal(2015, audience.GetProperty("departedFromYear").GetInt32());
        Assert.Equal(["Retail Banking", "Markets"], audience.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["Voluntary", "Retirement"], audience.GetProperty("reasons").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(["ProjectWork"], audience.GetProperty("returnInterests").EnumerateArray().Select(d => d.GetString()));
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "title.ja", "", "title.ja" },
        { "capacity", "forty", "capacity" },
        { "capacity", "0", "capacity" },
        { "kind", "Party", "kind" },
        { "timeZone", "Mars/Olympus_Mons", "timeZone" },
        { "start", "2020-01-01T10:00", "start" },
        { "start", "next tuesday", "start" },
        { "registrationDeadline", "2099-01-01T10:00", "registrationDeadline" },
        { "onlineUrl", "http://meet.example.com/x", "onlineUrl" },
        { "hosts[0].name", "", "hosts[0].name" },
        { "hosts[0].role", "Guest", "hosts[0].role" },
        { "audience.departedFromYear", "twenty", "audience.departedFromYear" },
        { "audience.reasons", "Fired", "audience.reasons[0]" },
        { "audience.lastWorkingDayFrom", "2026/01/01", "audience.lastWorkingDayFrom" },
        { "audience.lastWorkingDayFrom", "0001-01-01", "audience.lastWorkingDayFrom" },
        { "audience.lastWorkingDayTo", "9999-12-31", "audience.lastWorkingDayTo" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task CreateWithABadField_Returns400NamingTheControl_AndStoresNothing(string field, string value, string named)
    {
        await Admin.GetPageAsync(Events + "/new");
        var before = await StateAsync();
        var form = ValidForm();
        form[field] = value;

        var response = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<code>{named}</code>", page, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains("Alumni lecture", page, StringComparison.Ordinal); // what was typed is shown again
        Assert.Equal(before, await StateAsync());
    }

    /// <summary>A title goes into email subjects: the form marks the title control and names the one-line rule.</summary>
    [Theory]
    [InlineData("title.ja", "講演会\n第二部")]
    [InlineData("title.en", "Alumni\r\nlecture")]
    [InlineData("title.en", "Alumni\u2028lecture")]
    [InlineData("title.ja", "講演会 \u202E部二第")]
    public async Task CreateWithATitleOnTwoLinesOrWithDirectionControls_Returns400OnTheTitleControl_AndStoresNothing(string field, string title)
    {
        await Admin.GetPageAsync(Events + "/new");
        var before = await StateAsync();
        var form = ValidForm();
        form[field] = title;

        var response = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<code>{field}</code> {Core.Validation.FreeText.SingleLineRule}", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"f-{field}\" aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "aria-invalid=\"true\">")); // the title control alone (the style sheet names the attribute too)
        Assert.Equal(before, await StateAsync());
    }

    /// <summary>A description may run over lines, never hold direction controls or line separators: the form names the control and the rule.</summary>
    [Theory]
    [InlineData("description.ja", "講演と\r\n\u2028懇親会")]
    [InlineData("description.en", "Doors open \u202E.m.p 7")]
    public async Task CreateWithADescriptionHoldingDirectionOrSeparatorCharacters_Returns400OnThatControl_AndStoresNothing(string field, string description)
    {
        await Admin.GetPageAsync(Events + "/new");
        var before = await StateAsync();
        var form = ValidForm();
        form[field] = description;

        var response = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<code>{field}</code> {Core.Validation.FreeText.MisleadingRule}", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"f-{field}\" aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Edit_ReplacesTheDetails_AndABadEditChangesNothing()
    {
        var id = await CreateAsync();
        var edit = $"{Events}/{id}/edit";
        Assert.Contains("value=\"アルムナイ講演会\"", await Admin.GetPageAsync(edit), StringComparison.Ordinal);

        var saved = await Admin.PostFormFromAsync(edit, edit, Fields(ValidForm("新しい題名", capacity: 80)));
        var before = await StateAsync();
        var bad = await Admin.PostFormFromAsync(edit, edit, Fields(ValidForm("別の題名", capacity: -1)));

        Assert.Equal((HttpStatusCode.Redirect, $"{Events}/{id}?saved=updated"), (saved.StatusCode, saved.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>capacity</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        var stored = await App.AdminJsonAsync($"api/manage/events/{id}");
        Assert.Equal(("新しい題名", 80), (stored.GetProperty("title").GetProperty("ja").GetString(), stored.GetProperty("capacity").GetInt32()));
        Assert.Contains(EventAuditActions.Updated, await AuditActionsAsync());
    }

    [Fact]
    public async Task PublishedEventWhoseAudienceTheApiGaveInAnotherOrder_CanBeEditedInTheConsole_ButItsAudienceCannotChange()
    {
        var id = await App.CreateEventAsync(EventSeeds.Body(
            audience: """{"reasons":["Retirement","Voluntary","Retirement"],"returnInterests":["ProjectWork","FullTime"]}"""));
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Post, $"api/manage/events/{id}/publish")).StatusCode);
        var edit = $"{Events}/{id}/edit";
        // The checkboxes as the edit page ticks them: in their own order, once each.
        var audience = new[] { ("audience.reasons", "Voluntary"), ("audience.reasons", "Retirement"), ("audience.returnInterests", "FullTime"), ("audience.returnInterests", "ProjectWork") };

        var saved = await Admin.PostFormFromAsync(edit, edit, Fields(ValidForm("訂正した題名"), audience));
        var before = await StateAsync();
        var changed = await Admin.PostFormFromAsync(edit, edit, Fields(ValidForm("対象を変えた題名"), [.. audience.Take(3)]));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("訂正した題名", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("title").GetProperty("ja").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Contains("<code>audience</code>", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task EditDuringTheEvent_MovingTheEndIntoThePast_Is400NamingEnd_AndChangesNothing()
    {
        var id = await CreateAsync();
        var start = await App.StartEventAsync(id, TimeSpan.FromMinutes(30));
        var edit = $"{Events}/{id}/edit";
        var form = ValidForm("訂正");
        (form["start"], form["end"], form["registrationDeadline"]) = (EventSeeds.Local(start), EventSeeds.Local(start.AddMinutes(10)), EventSeeds.Local(start));
        var before = await StateAsync();

        var response = await Admin.PostFormFromAsync(edit, edit, Fields(form));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>end</code> {System.Net.WebUtility.HtmlEncode(Core.Events.EventDraft.FutureEndRule)}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Publish_StartsTheInvitationCampaignOnce_AndTheEventPageShowsItsProgress_ThenCancelStopsIt()
    {
        var id = await CreateAsync();

        var draftPage = await Admin.GetPageAsync($"{Events}/{id}");
        var published = await Admin.PostFormOfAsync(draftPage, $"{Events}/{id}/publish");
        var again = await Admin.PostFormOfAsync(draftPage, $"{Events}/{id}/publish");
        var page = await Admin.GetPageAsync($"{Events}/{id}?saved=published");

        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (published.StatusCode, again.StatusCode));
        var campaign = (await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"event-{id}-invitation", CancellationToken.None))!;
        Assert.Equal((CampaignKind.EventInvitation, AdminApi.DevelopmentSubject), (campaign.Kind, campaign.RequestedBy));
        Assert.Contains($"/api/console/campaigns/event-{id}-invitation", page, StringComparison.Ordinal);
        Assert.Contains("進捗 (人数)", page, StringComparison.Ordinal);
        Assert.Equal(1, (await AuditActionsAsync()).Count(a => a == EventAuditActions.Published));

        var cancelled = await Admin.PostFormFromAsync($"{Events}/{id}/cancel", $"{Events}/{id}/cancel");
        var publishCancelled = await Admin.PostFormFromAsync($"{Events}/{id}/edit", $"{Events}/{id}/publish");

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
        Assert.Equal(CampaignStatus.Stopped, (await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"event-{id}-invitation", CancellationToken.None))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, publishCancelled.StatusCode);
        Assert.Contains("The event is cancelled", await publishCancelled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ja-JP", "waitlisted", "出欠を記録できるのは参加登録した人だけです。")]
    [InlineData("en-US", "waitlisted", "Attendance can be marked only for people registered to attend")]
    [InlineData("ja-JP", "not started", "出欠を記録できるのは公開中のイベントの開始1時間前からです。")]
    [InlineData("en-US", "not started", "Attendance can be marked only for a published event, from one hour before it starts")]
    public async Task MarkingSomeoneWhoCannotHaveCome_Is409WithTheRuleInTheAdminsLanguage_AndChangesNothing(string locale, string state, string rule)
    {
        var id = await App.PublishedEventAsync(capacity: 1);
        var (coming, waiting) = (await App.PersonAsync(), await App.PersonAsync());
        await App.RsvpAsync(id, coming, "attend");
        await App.RsvpAsync(id, waiting, "attend");
        if (state == "waitlisted")
        {
            await App.StartEventAsync(id);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await Admin.GetAsync($"/api/console/language?to={locale[..2]}")).StatusCode);
        var before = await StateAsync();

        // The token from the event page: the attendee list's own read is audited, and would change the state compared.
        var refused = await Admin.PostFormFromAsync($"{Events}/{id}", $"{Events}/{id}/attendance/{(state == "waitlisted" ? waiting : coming).Value}", ("attended", "true"));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains(rule, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task Attendees_ShowTheListAndTheWaitlist_MarkingAttendanceIsTheApisMark_AndABadMarkChangesNothing()
    {
        var id = await App.PublishedEventAsync(capacity: 1);
        var coming = await App.MemberAsync();
        var waiting = await App.PersonAsync("en-US");
        await App.RsvpAsync(id, coming, "attend");
        await App.RsvpAsync(id, waiting, "attend");
        await App.StartEventAsync(id);

        var page = await Admin.GetPageAsync($"{Events}/{id}/attendees");
        var marked = await Admin.PostFormFromAsync($"{Events}/{id}/attendees", $"{Events}/{id}/attendance/{coming.Value}", ("attended", "true"));
        var before = await StateAsync();
        var bad = await Admin.PostFormFromAsync($"{Events}/{id}", $"{Events}/{id}/attendance/{coming.Value}", ("attended", "maybe"));

        Assert.Matches("参加者 \\(申込順\\).*山田 花子.*キャンセル待ち \\(繰り上げ順\\).*<td>1</td><td><a [^>]+>Yamada Hanako</a>", page.ReplaceLineEndings(" "));
        Assert.Equal((HttpStatusCode.Redirect, $"{Events}/{id}/attendees?saved=attendance"), (marked.StatusCode, marked.Headers.Location!.OriginalString));
        Assert.True((await App.Services.GetRequiredService<IEventStore>().GetRsvpAsync(id, coming, CancellationToken.None))!.Attended);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>attended</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        var audit = await AuditActionsAsync();
        Assert.Contains(EventAuditActions.AttendeesRead, audit);
        Assert.Contains(EventAuditActions.AttendanceMarked, audit);
        Assert.Contains("出欠を記録しました。", await Admin.GetPageAsync(marked.Headers.Location.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInCsv_IsTheApisSheet_AndAudited()
    {
        var id = await App.PublishedEventAsync();
        await App.RsvpAsync(id, await App.MemberAsync(), "attend");

        var fromConsole = await Admin.GetAsync($"{Events}/{id}/attendees.csv");
        var fromApi = await App.AdminAsync(HttpMethod.Get, $"api/manage/events/{id}/attendees.csv");

        Assert.Equal(HttpStatusCode.OK, fromConsole.StatusCode);
        Assert.Equal(EventAttendees.ContentType, fromConsole.Content.Headers.ContentType!.ToString());
        Assert.True(fromConsole.Headers.CacheControl!.NoStore);
        Assert.Equal(await fromApi.Content.ReadAsByteArrayAsync(), await fromConsole.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, (await AuditActionsAsync()).Count(a => a == EventAuditActions.AttendeesExported));
    }

    [Theory]
    [InlineData("cross-site", HttpStatusCode.Forbidden)]
    [InlineData("same-origin", HttpStatusCode.OK)]
    public async Task CheckInCsv_OpenedFromAnotherSite_Returns403AndIsNotAudited(string secFetchSite, HttpStatusCode expected)
    {
        var id = await App.PublishedEventAsync();
        await App.RsvpAsync(id, await App.MemberAsync(), "attend");

        var response = await Admin.GetFromAsync($"{Events}/{id}/attendees.csv", secFetchSite);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, (await AuditActionsAsync()).Count(a => a == EventAuditActions.AttendeesExported));
    }

    [Fact]
    public async Task StaffInvitations_SendOncePerAddress_AndABadAddressSendsNothing()
    {
        var id = await App.PublishedEventAsync();
        var eventPage = $"{Events}/{id}";

        var bad = await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com\nnot an address"));
        var sent = await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com\r\nhanako@corp.example.com\r\n"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<code>addresses[1]</code>", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"{eventPage}?saved=staff&sent=2&alreadySent=0&refused=0&notYetSent=0", sent.Headers.Location!.OriginalString);
        Assert.Equal(2, (await App.OutboxAsync()).Count);
        Assert.Contains("社員への案内: 送信 2 件", await Admin.GetPageAsync(sent.Headers.Location.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedStaffInvitations_ShowTheFormAgainWithWhatWasTyped_Escaped_AndSendNothing()
    {
        var id = await App.PublishedEventAsync();
        var eventPage = $"{Events}/{id}";
        var before = await StateAsync();

        var bad = await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com\n<b>not</b> an address"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.Content.ReadAsStringAsync();
        Assert.Contains("<code>addresses[1]</code>", page, StringComparison.Ordinal);
        Assert.Contains("""<textarea name="addresses" rows="5" aria-invalid="true">taro@corp.example.com""", page, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;not&lt;/b&gt; an address</textarea>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>not</b>", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"{eventPage}/staff-invitations\"", page, StringComparison.Ordinal);
        Assert.Empty(await App.OutboxAsync());
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task StaffOfACancelledEvent_AreSentTheCancellationOnce_AndOnlyThoseInvited()
    {
        var id = await App.PublishedEventAsync();
        var eventPage = $"{Events}/{id}";
        await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com"));
        await Admin.PostFormFromAsync($"{eventPage}/cancel", $"{eventPage}/cancel");

        var page = await Admin.GetPageAsync(eventPage);
        var sent = await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com\nhanako@corp.example.com"));
        var again = await Admin.PostFormFromAsync(eventPage, $"{eventPage}/staff-invitations", ("addresses", "taro@corp.example.com"));

        Assert.Contains("案内した社員への中止連絡", page, StringComparison.Ordinal);
        Assert.Equal($"{eventPage}?saved=staff&sent=1&alreadySent=0&refused=1&notYetSent=0", sent.Headers.Location!.OriginalString);
        Assert.Equal($"{eventPage}?saved=staff&sent=0&alreadySent=1&refused=0&notYetSent=0", again.Headers.Location!.OriginalString);
        var staffMail = (await App.OutboxAsync()).Where(m => m.Categories.Contains(EventMail.InternalCategory) && m.CustomArgs.GetValueOrDefault(EventMail.EventIdArg) == id).ToArray();
        Assert.Equal(2, staffMail.Length);
        var cancellation = staffMail.Single(m => m.Subject.Contains("Cancelled", StringComparison.Ordinal));
        Assert.Equal(["taro@corp.example.com"], cancellation.To);
        Assert.Contains("METHOD:CANCEL", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Assert.Single(cancellation.Attachments).Content)), StringComparison.Ordinal);
        Assert.Contains("社員への中止連絡: 送信 1 件", await Admin.GetPageAsync(sent.Headers.Location.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledDraft_ShowsNoStaffCancellationForm_NobodyWasInvited()
    {
        var id = await CreateAsync();
        var eventPage = $"{Events}/{id}";
        var cancelled = await Admin.PostFormFromAsync($"{eventPage}/cancel", $"{eventPage}/cancel");

        var page = await Admin.GetPageAsync(eventPage);

        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
        Assert.DoesNotContain("案内した社員への中止連絡", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"{eventPage}/staff-invitations", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredTextInEventPages_IsEscaped()
    {
        var id = await CreateAsync(ValidForm("<script>alert(1)</script>"));

        foreach (var page in new[] { await Admin.GetPageAsync(Events), await Admin.GetPageAsync($"{Events}/{id}"), await Admin.GetPageAsync($"{Events}/{id}/edit") })
        {
            Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateWithoutItsToken_Returns400AndStoresNothing()
    {
        var before = await StateAsync();

        var response = await Admin.PostRawAsync(Events, Fields(ValidForm()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task PublishWithAnotherSessionsToken_Returns400AndChangesNothing()
    {
        var id = await CreateAsync();
        using var other = await ConsoleClient.SignedInAsync(App, AdminRoles.Admin);
        var token = ConsoleClient.TokenOf(await other.GetPageAsync($"{Events}/{id}"));
        var before = await StateAsync();

        var response = await Admin.PostRawAsync($"{Events}/{id}/publish", [("__csrf", token)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task CancelFromAnotherSite_Returns403AndChangesNothing(string secFetchSite)
    {
        var id = await App.PublishedEventAsync();
        var token = ConsoleClient.TokenOf(await Admin.GetPageAsync($"{Events}/{id}"));
        var before = await StateAsync();

        var response = await Admin.PostRawAsync($"{Events}/{id}/cancel", [("__csrf", token)], secFetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("Published", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(180, false)]
    public async Task EventThatHasStarted_OffersNoCancel_EditOnlyUntilItsEnd_AndAForgedCancelIs409ChangingNothing(int minutesAgo, bool editable)
    {
        var id = await App.PublishedEventAsync();
        var upcoming = await Admin.GetPageAsync($"{Events}/{id}");
        var confirmation = await Admin.GetPageAsync($"{Events}/{id}/cancel");
        await App.StartEventAsync(id, TimeSpan.FromMinutes(minutesAgo));

        var page = await Admin.GetPageAsync($"{Events}/{id}");
        var confirmationNow = await Admin.GetAsync($"{Events}/{id}/cancel");
        var before = await StateAsync();
        var cancel = await Admin.PostFormOfAsync(confirmation, $"{Events}/{id}/cancel");

        Assert.Contains($"{Events}/{id}/cancel", upcoming, StringComparison.Ordinal);
        Assert.DoesNotContain($"{Events}/{id}/cancel", page, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Redirect, $"{Events}/{id}"), (confirmationNow.StatusCode, confirmationNow.Headers.Location!.OriginalString));
        Assert.Equal(editable, page.Contains($"{Events}/{id}/edit", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Contains("has started", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("Published", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnknownEvent_Is404_AndAFormForItChangesNothing()
    {
        var before = await StateAsync();
        const string Unknown = "0123456789abcdef0123456789abcdef";

        var page = await Admin.GetAsync($"{Events}/{Unknown}");
        var publish = await Admin.PostFormFromAsync(Events, $"{Events}/{Unknown}/publish", (RecordVersion.Field, "638000000000000000"));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (page.StatusCode, publish.StatusCode));
        Assert.Equal(before, await StateAsync());
    }

    [Fact]
    public async Task RepeatedFieldThatIsNoCheckboxGroup_Returns400()
    {
        var before = await StateAsync();

        var response = await Admin.PostFormFromAsync(Events + "/new", Events, Fields(ValidForm(), ("capacity", "50")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("capacity", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, await StateAsync());
    }

    /// <summary>An event that ended <paramref name="daysAgo"/> days ago with <paramref name="registered"/> attendees, the first <paramref name="came"/> marked as having come.</summary>
    private async Task<string> HeldEventAsync(int daysAgo, int registered, int came)
    {
        var store = App.Services.GetRequiredService<IEventStore>();
        var start = TimeProvider.System.GetUtcNow().AddDays(-daysAgo);
        var e = new NetworkEvent
        {
            Id = NetworkEvent.NewId(),
            Details = new EventDetails(new LocalizedText("過去の講演会", "Past lecture"), new LocalizedText("", ""), EventKind.LectureSeries, start, start.AddHours(2),
                "Asia/Tokyo", "本社", null, registered, start.AddDays(-1), [], AudienceSegment.Everyone),
            CreatedAt = start.AddDays(-30), CreatedBy = "admin",
        };
        Assert.True(await store.TryAddAsync(e, CancellationToken.None));
        e.Publish(start.AddDays(-20));
        var rsvps = Enumerable.Range(0, registered).Select(_ => e.Attend(null, Core.Alumni.AlumnusId.New(), start.AddDays(-10)).Changed.Single()).ToArray();
        Assert.True(await store.TrySaveAsync(e, rsvps, CancellationToken.None));
        foreach (var rsvp in rsvps.Take(came))
        {
            rsvp.MarkAttendance(true);
            Assert.True(await store.TryUpdateRsvpAsync(rsvp, CancellationToken.None));
        }

        return Core.Insights.InsightPeriods.Month(start, App.Services.GetRequiredService<Core.Company.CompanyCalendar>());
    }

    [Fact]
    public async Task Dashboard_ShowsTheAttendanceRatePerMonth_ToAViewer_WithSmallGroupsHidden()
    {
        var month = await HeldEventAsync(daysAgo: 3, registered: 10, came: 5);
        var small = await HeldEventAsync(daysAgo: 40, registered: 3, came: 2);

        await App.RollUpInsightsAsync();
        using var viewer = await ConsoleClient.SignedInAsync(App, AdminRoles.Viewer);
        var page = await viewer.GetPageAsync("/api/console/insights");

        Assert.Contains("<h2 id=\"event-attendance-heading\">イベントの出席率</h2>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{month}</td><td>1</td><td>10</td><td>5</td><td>50%</td><td>0</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>{small}</td><td>1</td><td>5人未満</td><td>5人未満</td><td>5人未満</td><td>0</td></tr>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("過去の講演会", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleEditForm_Returns409WithAReloadLink_AndNothingIsWrittenAuditedOrSent()
    {
        var id = await App.PublishedEventAsync(capacity: 40);
        var edit = $"{Events}/{id}/edit";
        var page = await Admin.GetPageAsync(edit);
        Assert.Equal(HttpStatusCode.OK, (await App.AdminAsync(HttpMethod.Put, $"api/manage/events/{id}", EventSeeds.Body(capacity: 40, title: "他の管理者の題名"))).StatusCode);
        var before = await StateAsync();

        var stale = await Admin.PostFormOfAsync(page, edit, Fields(ValidForm("古いページの題名")));

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var answer = await stale.Content.ReadAsStringAsync();
        Assert.Contains("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。", answer, StringComparison.Ordinal);
        Assert.Contains($"href=\"{edit}\"", answer, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("他の管理者の題名", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("title").GetProperty("ja").GetString());

        var fresh = await Admin.PostFormFromAsync(edit, edit, Fields(ValidForm("新しいページの題名")));

        Assert.Equal(HttpStatusCode.Redirect, fresh.StatusCode);
        Assert.Equal("新しいページの題名", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("title").GetProperty("ja").GetString());
    }

    [Fact]
    public async Task PublishFromADraftPageLoadedBeforeAnEdit_Returns409WithAReloadLink_AndNothingIsPublished()
    {
        var id = await CreateAsync();
        var draftPage = await Admin.GetPageAsync($"{Events}/{id}");
        var edited = await Admin.PostFormFromAsync($"{Events}/{id}/edit", $"{Events}/{id}/edit", Fields(ValidForm("他の管理者の題名")));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var before = await StateAsync();

        var stale = await Admin.PostFormOfAsync(draftPage, $"{Events}/{id}/publish");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains($"href=\"{Events}/{id}\"", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("Draft", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
        Assert.Null(await App.Services.GetRequiredService<ICampaignStore>().GetAsync($"event-{id}-invitation", CancellationToken.None));
    }

    [Fact]
    public async Task CancelButton_LeadsToAConfirmationNamingTheEventAndWhoWillBeTold_WhichCancels()
    {
        var id = await App.PublishedEventAsync(capacity: 1);
        await App.RsvpAsync(id, await App.PersonAsync(), "attend");
        await App.RsvpAsync(id, await App.PersonAsync(), "attend");
        var eventPage = await Admin.GetPageAsync($"{Events}/{id}");

        var confirmation = await Admin.GetPageAsync($"{Events}/{id}/cancel");
        var cancelled = await Admin.PostFormOfAsync(confirmation, $"{Events}/{id}/cancel");

        Assert.Contains($"<a href=\"{Events}/{id}/cancel\">", eventPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"{Events}/{id}/cancel\"", eventPage, StringComparison.Ordinal);
        Assert.Contains("参加者 1 人とキャンセル待ち 1 人に中止を通知し", confirmation, StringComparison.Ordinal);
        Assert.Contains($"action=\"{Events}/{id}/cancel\"", confirmation, StringComparison.Ordinal);
        Assert.NotNull(ConsoleClient.VersionOf(confirmation));
        Assert.Equal((HttpStatusCode.Redirect, $"{Events}/{id}?saved=cancelled"), (cancelled.StatusCode, cancelled.Headers.Location!.OriginalString));
        Assert.Equal("Cancelled", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConfirmationPage_EscapesTheTitle()
    {
        var id = await CreateAsync(ValidForm("<script>alert(1)</script>"));

        var page = await Admin.GetPageAsync($"{Events}/{id}/cancel");

        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelFromAConfirmationLoadedBeforeAnEdit_Returns409WithAReloadLink_AndNothingIsCancelledOrNoticed()
    {
        var id = await App.PublishedEventAsync();
        await App.RsvpAsync(id, await App.PersonAsync(), "attend");
        var confirmation = await Admin.GetPageAsync($"{Events}/{id}/cancel");
        var edited = await Admin.PostFormFromAsync($"{Events}/{id}/edit", $"{Events}/{id}/edit", Fields(ValidForm("他の管理者の題名")));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var before = await StateAsync();

        var stale = await Admin.PostFormOfAsync(confirmation, $"{Events}/{id}/cancel");

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains($"href=\"{Events}/{id}/cancel\"", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
        Assert.Equal("Published", (await App.AdminJsonAsync($"api/manage/events/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task PublishWithoutAVersion_Returns400NamingIt_AndNothingIsPublished()
    {
        var id = await CreateAsync();
        var page = await Admin.GetPageAsync($"{Events}/{id}");
        var before = await StateAsync();

        var response = await Admin.PostRawAsync($"{Events}/{id}/publish", [(Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"<code>{RecordVersion.Field}</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    public async Task EditFormWithoutAVersion_Returns400NamingIt_AndChangesNothing(string? version)
    {
        var id = await CreateAsync();
        var edit = $"{Events}/{id}/edit";
        var page = await Admin.GetPageAsync(edit);
        var before = await StateAsync();
        (string, string)[] posted = version is null ? [] : [(RecordVersion.Field, version)];

        var response = await Admin.PostRawAsync(edit, [.. Fields(ValidForm("別の題名")), .. posted, (Functions.Hosting.Security.ConsoleAuthentication.AntiforgeryField, ConsoleClient.TokenOf(page))]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<code>version</code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync());
    }
}
