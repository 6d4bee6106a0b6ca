using System.Globalization;
using System.Text;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Functions.AdminConsole.Campaigns;
using AlumniNetwork.Functions.AlumniPages;
using Microsoft.Extensions.Options;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Events;

/// <summary>
/// Events: the list, create and edit (the admin API's body built from the form and parsed by the same rules), publish
/// and cancel, the event with its invitation campaign's progress, the attendee list with the waitlist, marking who
/// came, the check-in CSV and the invitation of current employees. Every action is the JSON API's use case
/// (ManageEvents, EventAttendees, InviteEmployees), so the rules and the audit entries are the same.
/// </summary>
public sealed class EventsArea : IConsoleArea
{
    public const string Root = ConsolePage.Root + "/events";

    /// <summary>The staff invitation form's control, named as the API's field.</summary>
    private const string StaffAddresses = "addresses";

    public string Segment => "events";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 20;

    public string Label(Locale locale) => AlumniPage.T(locale, "イベント", "Events");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", ListAsync);
        area.MapGet("/new", NewAsync);
        area.MapGet("/{eventId:length(32)}", ShowAsync);
        area.MapGet("/{eventId:length(32)}/edit", EditAsync);
        area.MapGet("/{eventId:length(32)}/cancel", ConfirmCancelAsync);
        area.MapGet("/{eventId:length(32)}/attendees", AttendeesAsync);
        area.MapGet("/{eventId:length(32)}/attendees.csv", CheckInCsvAsync);
        area.MapConsoleForm("", CreateAsync, EventForm.MultiValued);
        area.MapConsoleForm("/{eventId:length(32)}/edit", UpdateAsync, EventForm.MultiValued);
        area.MapConsoleForm("/{eventId:length(32)}/publish", PublishAsync);
        area.MapConsoleForm("/{eventId:length(32)}/cancel", CancelAsync);
        area.MapConsoleForm("/{eventId:length(32)}/attendance/{alumnusId:length(32)}", MarkAttendanceAsync);
        area.MapConsoleForm("/{eventId:length(32)}/staff-invitations", InviteStaffAsync);
    }

    private static string EventId(HttpContext context) => (string)context.Request.RouteValues["eventId"]!;

    private static async Task<IResult> ListAsync(HttpContext context, ManageEvents events, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("イベント", "Events");
        var list = await events.ListAsync(cancellationToken);
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{title}</h1>
            <p><a href="{Root}/new">{view.T("イベントを作る", "Create an event")}</a></p>
            {ConsolePage.Table(view.T("開始の遅い順", "Latest start first"),
                [view.T("タイトル", "Title"), view.T("種類", "Kind"), view.T("開始 (現地)", "Starts (local)"), view.T("状態", "Status"), view.T("参加 / 定員", "Attending / capacity"), view.T("キャンセル待ち", "Waitlist")],
                list.Select(e => new[]
                {
                    $"""<a href="{Root}/{e.Id}">{E(view.T(e.Title.Ja, e.Title.En))}</a>""", E(KindLabel(view, e.Kind)), $"{E(e.Start.Replace('T', ' '))} <span class=\"secondary\">{E(e.TimeZone)}</span>",
                    E(StatusLabel(view, e.Status)), $"{e.Attending} / {e.Capacity}", e.Waitlisted.ToString(CultureInfo.InvariantCulture),
                }))}
            """);
    }

    private static async Task<IResult> NewAsync(HttpContext context, IOptions<CompanyOptions> company)
    {
        var view = await ConsoleView.ForAsync(context);
        return FormPage(view, StatusCodes.Status200OK, null, EventForm.New(company.Value.TimeZone), []);
    }

    private static async Task<IResult> EditAsync(HttpContext context, string eventId, ManageEvents events, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await events.GetAsync(eventId, cancellationToken) is not AdminOutcome<EventView>.Done { Value: var e })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        return FormPage(view, StatusCodes.Status200OK, e, EventForm.Of(e), []);
    }

    /// <param name="stored">The event being edited; null for a new one.</param>
    private static IResult FormPage(ConsoleView view, int status, EventView? stored, ConsoleFormValues values, IReadOnlyList<Core.Validation.FieldError> errors)
    {
        var title = stored is null ? view.T("イベントを作る", "Create an event") : view.T("イベントを編集", "Edit the event");
        var back = stored is null ? Root : $"{Root}/{stored.Id}";
        var note = stored is { Status: nameof(EventStatus.Published) }
            ? $"""<p class="secondary">{view.T("参加者とキャンセル待ちの人には、変更が更新済みのカレンダーとともに通知されます。", "Attendees and the waitlist are told of the change, with an updated calendar entry.")}</p>"""
            : stored is null ? $"""<p class="secondary">{view.T("下書きとして保存されます。公開するまで誰にも送られません。", "It is saved as a draft: nothing is sent until you publish it.")}</p>""" : "";
        return view.Render(status, title, $"""
            <p><a href="{back}">{view.T("← 戻る", "← Back")}</a></p>
            <h1>{title}</h1>
            {note}
            {EventForm.Render(view, stored is null ? Root : $"{Root}/{stored.Id}/edit", stored is null ? view.T("下書きとして保存", "Save as draft") : view.T("変更を保存", "Save changes"),
                values, errors, stored is { Status: nameof(EventStatus.Published) })}
            """);
    }

    private static async Task<IResult> CreateAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var values = EventForm.Posted(form);
        var title = view.T("イベントを作れませんでした", "The event was not created");
        if (!ConsoleForms.TryPostedKey(view, form, title, out var key, out var refused))
        {
            return refused;
        }

        var events = context.RequestServices.GetRequiredService<ManageEvents>();
        return await events.CreateAsync(EventForm.Body(values), ConsoleOutcomes.Actor(context), key, context.RequestAborted) switch
        {
            AdminOutcome<EventView>.Done { Value: var created } => Results.Redirect($"{Root}/{created.Id}?saved=created"),
            // A double click or a resubmit of the same form finds the event its first post created, and shows it.
            AdminOutcome<EventView>.Repeated { Value: var repeated } => Results.Redirect($"{Root}/{repeated.Id}?saved=created"),
            AdminOutcome<EventView>.Invalid invalid => FormPage(view, StatusCodes.Status400BadRequest, null, values, invalid.Errors),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }

    private static async Task<IResult> UpdateAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("変更を保存できませんでした", "The changes were not saved");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var values = EventForm.Posted(form);
        var events = context.RequestServices.GetRequiredService<ManageEvents>();
        var outcome = await events.UpdateAsync(EventId(context), EventForm.Body(values), seen, ConsoleOutcomes.Actor(context), context.RequestAborted);
        if (outcome is AdminOutcome<EventView>.Invalid invalid && await events.GetAsync(EventId(context), context.RequestAborted) is AdminOutcome<EventView>.Done { Value: var stored })
        {
            return FormPage(view, StatusCodes.Status400BadRequest, stored, values, invalid.Errors);
        }

        return outcome switch
        {
            AdminOutcome<EventView>.Done => Results.Redirect($"{Root}/{EventId(context)}?saved=updated"),
            AdminOutcome<EventView>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/{EventId(context)}/edit"),
            _ => await ConsoleOutcomes.RefusedAsync(view, outcome, title),
        };
    }

    /// <summary>Publishing sends the draft as its page showed it: a draft edited since is not published (409, stale).</summary>
    private static async Task<IResult> PublishAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("イベントを公開できませんでした", "The event was not published");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var events = context.RequestServices.GetRequiredService<ManageEvents>();
        return await events.PublishAsync(EventId(context), seen, ConsoleOutcomes.Actor(context), context.RequestAborted) switch
        {
            AdminOutcome<EventView>.Done => Results.Redirect($"{Root}/{EventId(context)}?saved=published"),
            AdminOutcome<EventView>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/{EventId(context)}"),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }

    /// <summary>
    /// Cancelling is irreversible and tells people: this page names the event and how many will be told, and its form
    /// carries the version shown, so an event edited since is not cancelled (409, stale). One that can no longer be
    /// cancelled (already cancelled, or started) goes back to the event's page, which offers no cancel.
    /// </summary>
    private static async Task<IResult> ConfirmCancelAsync(HttpContext context, string eventId, ManageEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await events.GetAsync(eventId, cancellationToken) is not AdminOutcome<EventView>.Done { Value: var e })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        if (e.Status == nameof(EventStatus.Cancelled) || time.GetUtcNow() >= e.StartsAt)
        {
            return Results.Redirect($"{Root}/{e.Id}");
        }

        var title = view.T("イベントを中止しますか?", "Cancel the event?");
        var told = e.Status == nameof(EventStatus.Published)
            ? view.T($"参加者 {e.Attending} 人とキャンセル待ち {e.Waitlisted} 人に中止を通知し (カレンダーから削除する .ics 付き)、招待メールの配信を止めます。",
                $"{e.Attending} attending and {e.Waitlisted} on the waitlist will be told it is cancelled (with an .ics that removes it from their calendar), and the invitations stop.")
            : view.T("下書きのため、誰にも通知されません。", "It is a draft: nobody is told.");
        return view.Render(StatusCodes.Status200OK, title, $"""
            <p><a href="{Root}/{e.Id}">{view.T("← イベントに戻る", "← Back to the event")}</a></p>
            <h1>{title}</h1>
            <p><strong>{E(view.T(e.Title.Ja, e.Title.En))}</strong> ({E(e.Start.Replace('T', ' '))} {E(e.TimeZone)})</p>
            <p>{E(told)}</p>
            <p role="alert">{view.T("中止は取り消せません。", "Cancelling cannot be undone.")}</p>
            <p>{Button(view, $"{Root}/{e.Id}/cancel", view.T("イベントを中止する", "Cancel the event"), RecordVersion.Of(e.UpdatedAt))}</p>
            """);
    }

    /// <summary>Cancels the event as its confirmation page showed it: an event edited since is not cancelled (409, stale).</summary>
    private static async Task<IResult> CancelAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("イベントを中止できませんでした", "The event was not cancelled");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var events = context.RequestServices.GetRequiredService<ManageEvents>();
        return await events.CancelAsync(EventId(context), seen, ConsoleOutcomes.Actor(context), context.RequestAborted) switch
        {
            AdminOutcome<EventView>.Done => Results.Redirect($"{Root}/{EventId(context)}?saved=cancelled"),
            AdminOutcome<EventView>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/{EventId(context)}/cancel"),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context, string eventId, string? saved, string? sent, string? alreadySent, string? refused, string? notYetSent, ManageEvents events, TimeProvider time, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await events.GetAsync(eventId, cancellationToken) is not AdminOutcome<EventView>.Done { Value: var e })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var note = saved switch
        {
            "created" => view.T("下書きとして保存しました。", "Saved as a draft."),
            "updated" => view.T("変更を保存しました。", "The changes are saved."),
            "published" => view.T("公開しました。招待メールの配信を始めます。", "Published. The invitations are on their way."),
            "cancelled" => view.T("中止しました。参加者とキャンセル待ちの人に通知します。社員に案内していた場合は、下の欄から中止を連絡してください。",
                "Cancelled. Attendees and the waitlist will be told. If you invited employees, tell them below."),
            "staff" when e.Status == nameof(EventStatus.Cancelled) && Counts(sent, alreadySent, refused, notYetSent) is [var s, var a, var r, var n] => view.T(
                $"社員への中止連絡: 送信 {s} 件、送信済み {a} 件、送信なし {r} 件 (案内を送っていない、配信停止中、またはメール事業者が拒否)、未送信 {n} 件 (もう一度送ると未送信の分だけ送ります)。",
                $"Employees told of the cancellation: {s} sent, {a} sent before, {r} not sent (never invited, suppressed, or refused by the email provider), {n} not yet sent (sending again sends only those)."),
            "staff" when Counts(sent, alreadySent, refused, notYetSent) is [var s, var a, var r, var n] => view.T(
                $"社員への案内: 送信 {s} 件、送信済み {a} 件、送信不可 {r} 件 (配信停止中またはメール事業者が拒否)、未送信 {n} 件 (もう一度送ると未送信の分だけ送ります)。",
                $"Employees invited: {s} sent, {a} sent before, {r} refused (suppressed, or refused by the email provider), {n} not yet sent (sending again sends only those)."),
            _ => null,
        };
        var isDraft = e.Status == nameof(EventStatus.Draft);
        var isCancelled = e.Status == nameof(EventStatus.Cancelled);
        var now = time.GetUtcNow();
        var actions = new StringBuilder();
        // As ManageEvents decides: edits until the end, cancelling until the start (a forged post gets the same refusal).
        if (!isCancelled && now < e.EndsAt)
        {
            actions.Append($"""<li><a href="{Root}/{e.Id}/edit">{view.T("編集する", "Edit")}</a></li>""");
        }

        if (isDraft)
        {
            actions.Append($"""<li>{Button(view, $"{Root}/{e.Id}/publish", view.T("公開して招待を送る", "Publish and send the invitations"), RecordVersion.Of(e.UpdatedAt))}</li>""");
        }

        if (!isCancelled && now < e.StartsAt)
        {
            actions.Append($"""<li><a href="{Root}/{e.Id}/cancel">{view.T("イベントを中止する…", "Cancel the event…")}</a></li>""");
        }

        var hosts = e.Hosts.Count == 0 ? "—" : string.Join("<br>", e.Hosts.Select(h => $"{E(h.Name)} ({E(EventForm.HostRoleLabel(view, h.Role))}){(h.Title is null ? "" : " " + E(h.Title))}"));
        var invitations = e.Invitations is { } progress
            ? $"""<p><a href="{CampaignsArea.Root}/{Uri.EscapeDataString(e.InvitationCampaignId)}">{view.T("招待メールの配信の詳細", "The invitation campaign in detail")}</a></p>{CampaignsArea.Progress(view, progress)}"""
            : $"<p>{view.T("公開すると招待メールの配信が始まります。", "The invitations go out when the event is published.")}</p>";
        var staff = StaffForm(view, e, now, "", []);
        var title = view.T(e.Title.Ja, e.Title.En);
        return view.Render(StatusCodes.Status200OK, title, $"""
            <p><a href="{Root}">{view.T("← イベントの一覧", "← All events")}</a></p>
            <h1>{E(title)}</h1>
            {ConsoleOutcomes.Saved(note)}
            <ul class="actions">{actions}</ul>
            <table><caption>{view.T("内容", "Details")}</caption><tbody>
            {Row(view.T("状態", "Status"), E(StatusLabel(view, e.Status)))}
            {Row(view.T("タイトル", "Title"), $"""<span lang="ja">{E(e.Title.Ja)}</span><br><span lang="en">{E(e.Title.En)}</span>""")}
            {Row(view.T("説明", "Description"), $"""<span lang="ja">{E(e.Description.Ja)}</span><br><span lang="en">{E(e.Description.En)}</span>""")}
            {Row(view.T("種類", "Kind"), E(KindLabel(view, e.Kind)))}
            {Row(view.T("日時 (現地)", "When (local)"), $"{E(e.Start.Replace('T', ' '))} – {E(e.End.Replace('T', ' '))} {E(e.TimeZone)}")}
            {Row(view.T("申込締切", "Registration closes"), $"{E(e.RegistrationDeadline.Replace('T', ' '))} {E(e.TimeZone)}")}
            {Row(view.T("会場", "Venue"), E(e.Venue ?? "—"))}
            {Row(view.T("オンライン URL", "Online URL"), E(e.OnlineUrl ?? "—"))}
            {Row(view.T("参加 / 定員", "Attending / capacity"), $"{e.Attending} / {e.Capacity}")}
            {Row(view.T("キャンセル待ち", "Waitlist"), e.Waitlisted.ToString(CultureInfo.InvariantCulture))}
            {Row(view.T("登壇者・主催者", "Hosts and speakers"), hosts)}
            {Row(view.T("作成・公開・中止", "Created, published, cancelled"), $"{ConsolePage.Instant(e.CreatedAt)} / {ConsolePage.Instant(e.PublishedAt)} / {ConsolePage.Instant(e.CancelledAt)}")}
            </tbody></table>
            <h2>{view.T("参加者", "Attendees")}</h2>
            <p><a href="{Root}/{e.Id}/attendees">{view.T("参加者とキャンセル待ちの一覧", "Attendees and the waitlist")}</a>
            · <a href="{Root}/{e.Id}/attendees.csv" download>{view.T("受付用 CSV をダウンロード", "Download the check-in CSV")}</a>
            <span class="secondary">{view.T("(閲覧とダウンロードは監査ログに記録されます)", "(viewing and downloads are recorded in the audit log)")}</span></p>
            <h2>{view.T("招待メール", "Invitations")}</h2>
            {invitations}
            {staff}
            """);
    }

    private static async Task<IResult> AttendeesAsync(HttpContext context, string eventId, string? saved, EventAttendees attendees, ManageEvents events, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var actor = ConsoleOutcomes.Actor(context);
        if (await events.GetAsync(eventId, cancellationToken) is not AdminOutcome<EventView>.Done { Value: var e } ||
            await attendees.ListAsync(eventId, actor, cancellationToken) is not AdminOutcome<AttendeeList>.Done { Value: var list })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        string Attended(AttendeeView a)
        {
            var state = a.Attended switch { true => view.T("来場", "Came"), false => view.T("欠席", "Did not come"), null => view.T("未記録", "Not marked") };
            var form = (string value, string label) => $"""
                <form method="post" action="{Root}/{e.Id}/attendance/{a.AlumnusId}" class="inline">{ConsoleForms.TokenField(context)}<input type="hidden" name="attended" value="{value}">
                <button type="submit" class="link" aria-label="{E(label)}: {E(a.FamilyName)} {E(a.GivenName)}">{E(label)}</button></form>
                """;
            return $"{E(state)} {form("true", view.T("来場にする", "Mark as came"))} {form("false", view.T("欠席にする", "Mark as did not come"))}";
        }

        var title = view.T("参加者", "Attendees");
        var heading = view.T(e.Title.Ja, e.Title.En);
        return view.Render(StatusCodes.Status200OK, $"{title}: {heading}", $"""
            <p><a href="{Root}/{e.Id}">{view.T("← イベントに戻る", "← Back to the event")}</a></p>
            <h1>{title}: {E(heading)}</h1>
            {ConsoleOutcomes.Saved(saved == "attendance" ? view.T("出欠を記録しました。", "Attendance is recorded.") : null)}
            <p>{view.T($"定員 {list.Capacity} 人、参加 {list.Attending.Count} 人、キャンセル待ち {list.Waitlist.Count} 人、辞退 {list.Declined} 人。",
                $"Capacity {list.Capacity}: {list.Attending.Count} attending, {list.Waitlist.Count} on the waitlist, {list.Declined} declined.")}
            <a href="{Root}/{e.Id}/attendees.csv" download>{view.T("受付用 CSV", "Check-in CSV")}</a></p>
            {ConsolePage.Table(view.T("参加者 (申込順)", "Attending (in order of registration)"),
                [view.T("氏名", "Name"), view.T("個人メール", "Personal email"), view.T("部署", "Department"), view.T("申込", "Registered"), view.T("出欠", "Attendance")],
                list.Attending.Select(a => new[] { PersonLink(a), E(a.PersonalEmail), E(a.Department), ConsolePage.Instant(a.RespondedAt), Attended(a) }))}
            {ConsolePage.Table(view.T("キャンセル待ち (繰り上げ順)", "Waitlist (in the order seats are offered)"),
                [view.T("順番", "Place"), view.T("氏名", "Name"), view.T("個人メール", "Personal email"), view.T("部署", "Department"), view.T("申込", "Registered")],
                list.Waitlist.Select(a => new[] { (a.WaitlistPlace ?? 0).ToString(CultureInfo.InvariantCulture), PersonLink(a), E(a.PersonalEmail), E(a.Department), ConsolePage.Instant(a.RespondedAt) }))}
            """);
    }

    private static string PersonLink(AttendeeView a) => $"""<a href="{ConsolePage.Root}/alumni/{E(a.AlumnusId)}">{E(a.FamilyName)} {E(a.GivenName)}</a>""";

    private static async Task<IResult> CheckInCsvAsync(HttpContext context, string eventId, EventAttendees attendees, CancellationToken cancellationToken) =>
        await attendees.CheckInCsvAsync(eventId, ConsoleOutcomes.Actor(context), cancellationToken) is { } csv
            ? Results.File(Encoding.UTF8.GetBytes(csv), EventAttendees.ContentType, attendees.FileName(eventId))
            : await ConsolePage.NotFoundAsync(context);

    private static async Task<IResult> MarkAttendanceAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var alumnusId = (string)context.Request.RouteValues["alumnusId"]!;
        // The admin API's body, {"attended": true|false}; anything else is refused by the same rule, naming the field.
        var body = form["attended"].ToString() is "true" or "false" ? $$"""{"attended":{{form["attended"]}}}""" : "{}";
        var attendees = context.RequestServices.GetRequiredService<EventAttendees>();
        var outcome = await attendees.MarkAsync(EventId(context), alumnusId, Encoding.UTF8.GetBytes(body), ConsoleOutcomes.Actor(context), context.RequestAborted);
        var title = view.T("出欠を記録できませんでした", "Attendance was not recorded");
        var rule = outcome switch
        {
            AdminOutcome<AttendeeView>.Conflict { Code: ConflictCode.NotAttending } => view.T(
                "出欠を記録できるのは参加登録した人だけです。キャンセル待ちの人や辞退した人は記録できません。",
                "Attendance can be marked only for people registered to attend, not for the waitlist or those who declined."),
            AdminOutcome<AttendeeView>.Conflict { Code: ConflictCode.EventNotHeld } => view.T(
                "出欠を記録できるのは公開中のイベントの開始1時間前からです。下書き・中止したイベントや開始前のイベントには記録できません。",
                "Attendance can be marked only for a published event, from one hour before it starts; not for a draft, a cancelled event or one yet to start."),
            _ => null,
        };
        return outcome switch
        {
            AdminOutcome<AttendeeView>.Done => Results.Redirect($"{Root}/{EventId(context)}/attendees?saved=attendance"),
            _ when rule is not null => view.Render(StatusCodes.Status409Conflict, title, $"""
                <h1>{E(title)}</h1>
                <p role="alert">{E(rule)} {E(view.T("何も変更しませんでした。", "Nothing was changed."))}</p>
                <p><a href="{Root}/{EventId(context)}/attendees">{view.T("← 参加者の一覧に戻る", "← Back to the attendees")}</a></p>
                """),
            _ => await ConsoleOutcomes.RefusedAsync(view, outcome, title),
        };
    }

    /// <summary>
    /// The form that invites current employees to a published event, or tells those invited that it is cancelled; nothing
    /// when neither can be sent. A refused form is shown again with what was typed, the control marked when an error names it.
    /// </summary>
    private static string StaffForm(ConsoleView view, EventView e, DateTimeOffset now, string typed, IReadOnlyList<Core.Validation.FieldError> errors)
    {
        var context = view.Context;
        var invalid = errors.Any(error => error.Field == StaffAddresses || error.Field.StartsWith(StaffAddresses + "[", StringComparison.Ordinal)) ? " aria-invalid=\"true\"" : "";
        return e.Status == nameof(EventStatus.Published) && now < e.StartsAt ? $"""
                <h2>{view.T("現役社員への案内", "Invite current employees")}</h2>
                <form method="post" action="{Root}/{e.Id}/staff-invitations">{ConsoleForms.TokenField(context)}
                <p class="field"><label>{view.T($"社員の業務用メールアドレス (1行に1つ、最大 {InviteEmployees.MaxAddresses} 件)", $"Employees' work email addresses (one a line, at most {InviteEmployees.MaxAddresses})")}<br>
                <textarea name="addresses" rows="5"{invalid}>{E(typed)}</textarea></label></p>
                <p class="secondary">{view.T("社内向けの連絡として一度だけ送ります。アドレスは保存しません。", "Sent once, as company-internal mail. The addresses are not stored.")}</p>
                <p><button type="submit">{view.T("案内を送る", "Send the invitations")}</button></p></form>
                """ : e.Status == nameof(EventStatus.Cancelled) && e.PublishedAt is not null && now < e.StartsAt ? $"""
                <h2>{view.T("案内した社員への中止連絡", "Tell the employees you invited")}</h2>
                <form method="post" action="{Root}/{e.Id}/staff-invitations">{ConsoleForms.TokenField(context)}
                <p class="field"><label>{view.T($"案内を送った社員の業務用メールアドレス (1行に1つ、最大 {InviteEmployees.MaxAddresses} 件)", $"The work email addresses you invited (one a line, at most {InviteEmployees.MaxAddresses})")}<br>
                <textarea name="addresses" rows="5"{invalid}>{E(typed)}</textarea></label></p>
                <p class="secondary">{view.T("案内が届いたアドレスにだけ、中止の連絡 (カレンダーから削除する .ics 付き) を一度だけ送ります。アドレスは保存していないため、案内を送ったアドレスを入力してください。",
                    "Sent once, only to the addresses the invitation went to, with an .ics that removes the event from their calendar. The addresses were not stored: enter the ones you invited.")}</p>
                <p><button type="submit">{view.T("中止を連絡する", "Send the cancellation")}</button></p></form>
                """ : "";
    }

    private static async Task<IResult> InviteStaffAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var values = ConsoleFormValues.From(form);
        var invite = context.RequestServices.GetRequiredService<InviteEmployees>();
        var outcome = await invite.HandleAsync(EventId(context), values.ToJson([new FormField(StaffAddresses, FormFieldKind.Lines)]), ConsoleOutcomes.Actor(context), context.RequestAborted);
        var title = view.T("社員への案内を送れませんでした", "The employees were not invited");
        if (outcome is AdminOutcome<StaffInvitationResult>.Invalid invalid &&
            await context.RequestServices.GetRequiredService<ManageEvents>().GetAsync(EventId(context), context.RequestAborted) is AdminOutcome<EventView>.Done { Value: var e } &&
            StaffForm(view, e, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), values[StaffAddresses], invalid.Errors) is { Length: > 0 } staff)
        {
            // Shown again as typed, so a long list is corrected rather than typed again.
            return view.Render(StatusCodes.Status400BadRequest, title, $"""
                <p><a href="{Root}/{e.Id}">{view.T("← イベントに戻る", "← Back to the event")}</a></p>
                <h1>{E(title)}</h1>
                {ConsolePage.Errors(view, invalid.Errors)}
                {staff}
                """);
        }

        if (outcome is not AdminOutcome<StaffInvitationResult>.Done { Value: var r })
        {
            return await ConsoleOutcomes.RefusedAsync(view, outcome, title);
        }

        return Results.Redirect($"{Root}/{EventId(context)}?saved=staff&sent={r.Sent}&alreadySent={r.AlreadySent}&refused={r.Refused}&notYetSent={r.NotYetSent}");
    }

    /// <summary>The counts a redirect carries, when every one is a number (a hand-made address shows no note).</summary>
    private static int[]? Counts(params string?[] values)
    {
        var counts = values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToArray();
        return counts.All(c => c is not null) ? counts.Select(c => c!.Value).ToArray() : null;
    }

    private static string Button(ConsoleView view, string action, string label, RecordVersion? version = null) =>
        $"""<form method="post" action="{action}" class="inline">{ConsoleForms.TokenField(view.Context)}{ConsoleForms.VersionField(version?.ToString())}<button type="submit">{E(label)}</button></form>""";

    private static string Row(string header, string valueHtml) => $"""<tr><th scope="row">{header}</th><td>{valueHtml}</td></tr>""";

    public static string StatusLabel(ConsoleView view, string status) => status switch
    {
        nameof(EventStatus.Draft) => view.T("下書き", "Draft"),
        nameof(EventStatus.Published) => view.T("公開中", "Published"),
        nameof(EventStatus.Cancelled) => view.T("中止", "Cancelled"),
        _ => status,
    };

    private static string KindLabel(ConsoleView view, string kind) =>
        Enum.TryParse<EventKind>(kind, out var k) && Enum.IsDefined(k) ? EventMail.KindLabel(k, view.Locale) : kind;
}
