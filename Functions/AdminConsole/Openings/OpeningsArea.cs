using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Openings;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Core.Rehires;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Security;
using Microsoft.Extensions.Primitives;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Openings;

/// <summary>
/// Openings for recruiters: the list, a new opening, one opening with the interest it received and its edit form, the
/// match list with every reason and the send button, and the rehires report. Every page calls the same Core use case
/// as its JSON endpoint (ManageOpenings, ListRehires), so rules and audit entries are the same either way; the form's
/// controls are named by the API's fields and become its body as the other console forms do (ADR 0032), so an error
/// names the control.
/// </summary>
public sealed class OpeningsArea : IConsoleArea
{
    public string Segment => "openings";

    public AdminCapability Capability => AdminCapability.Openings;

    public int Order => 40;

    public string Label(Locale locale) => AlumniPage.T(locale, "募集", "Openings");

    private static string Root => $"{ConsolePage.Root}/openings";

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", ListAsync);
        area.MapGet("/new", async (HttpContext context) =>
        {
            var view = await ConsoleView.ForAsync(context);
            return view.Render(StatusCodes.Status200OK, view.T("新しい募集", "New opening"), $"<h1>{view.T("新しい募集", "New opening")}</h1>" + Form(view, ConsoleFormValues.NewCreate(), [], Root));
        });
        area.MapConsoleForm("", CreateAsync);
        area.MapGet("/rehires", RehiresAsync);
        area.MapGet("/{id:length(32)}", OpeningAsync);
        area.MapConsoleForm("/{id:length(32)}", UpdateAsync);
        area.MapGet("/{id:length(32)}/matches", MatchesAsync);
        area.MapConsoleForm("/{id:length(32)}/send", SendAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ManageOpenings openings, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var rows = (await openings.ListAsync(cancellationToken)).Select(o => new[]
        {
            $"""<a href="{Root}/{o.Id}">{E(o.Title.In(view.Locale))}</a>""", E(OpeningText.KindLabel(o.Kind, view.Locale)), Status(view, o.Status),
            Confidential(view, o.Confidentiality), ConsolePage.Instant(o.CreatedAt), ConsolePage.Instant(o.SentAt),
        });
        return view.Render(StatusCodes.Status200OK, view.T("募集", "Openings"), $"""
            <h1>{view.T("募集", "Openings")}</h1>
            <p><a href="{Root}/new">{view.T("新しい募集を作成", "Create an opening")}</a> · <a href="{Root}/rehires">{view.T("再入社の実績", "Rehires report")}</a></p>
            {ConsolePage.Table(view.T("募集 (新しい順)", "Openings (newest first)"),
                [view.T("募集", "Opening"), view.T("種別", "Kind"), view.T("状態", "Status"), view.T("機密区分", "Confidentiality"), view.T("作成", "Created"), view.T("送信", "Sent")], rows)}
            """);
    }

    private static async Task<IResult> CreateAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("新しい募集", "New opening");
        if (!ConsoleForms.TryPostedKey(view, form, title, out var key, out var refused))
        {
            return refused;
        }

        var values = ConsoleFormValues.From(form);
        var openings = context.RequestServices.GetRequiredService<ManageOpenings>();
        return await openings.CreateAsync(values.ToJson(Fields), AdminActor.IdOf(context.User)!, key, context.RequestAborted) switch
        {
            // A double click or a resubmit of the same form finds the opening its first post created, and shows it.
            AdminOutcome<OpeningView>.Done created => Results.Redirect($"{Root}/{created.Value.Id}?saved=created"),
            AdminOutcome<OpeningView>.Repeated repeated => Results.Redirect($"{Root}/{repeated.Value.Id}?saved=created"),
            AdminOutcome<OpeningView>.Invalid invalid => view.Render(StatusCodes.Status400BadRequest, view.T("新しい募集", "New opening"),
                $"<h1>{title}</h1>" + ConsolePage.Errors(view, invalid.Errors) + Form(view, values, invalid.Errors, Root)),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }

    private static async Task<IResult> OpeningAsync(HttpContext context, string id, string? saved, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await openings.GetAsync(id, cancellationToken) is not AdminOutcome<OpeningView>.Done { Value: var o } ||
            await openings.InterestsAsync(id, actor.Id, cancellationToken) is not AdminOutcome<IReadOnlyList<InterestView>>.Done { Value: var interests })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var l = view.Locale;
        var savedNote = saved switch
        {
            "created" => view.T("募集を作成しました。", "The opening is created."),
            "updated" => view.T("募集を保存しました。", "The opening is saved."),
            "sent" => view.T("募集を送信しました。配信状況は下に表示されます。", "The opening is being sent; progress shows below."),
            _ => null,
        };
        var progress = o.Campaign is { } c
            ? $"<p>{view.T($"配信: 対象 {c.AudienceSize} 人、送信 {c.Sent} 通、保留 {c.Pending} 通、対象外 {c.Skipped.Values.Sum()} 人", $"Campaign: {c.AudienceSize} in the audience, {c.Sent} sent, {c.Pending} pending, {c.Skipped.Values.Sum()} skipped")}</p>"
            : "";
        return view.Render(StatusCodes.Status200OK, o.Title.In(l), $"""
            <p><a href="{Root}">{view.T("← 募集の一覧", "← All openings")}</a></p>
            <h1>{E(o.Title.In(l))}</h1>
            {(savedNote is null ? "" : $"""<p class="status" role="status">{E(savedNote)}</p>""")}
            <p>{Status(view, o.Status)} · {Confidential(view, o.Confidentiality)} · {E(view.T("採用窓口", "Recruiter mailbox"))}: {E(o.RecruiterMailbox)}</p>
            {MailboxNote(view, o)}
            {progress}
            <p><a href="{Root}/{id}/matches">{view.T("対象者と理由を見て送信する", "See the matches and their reasons, then send")}</a></p>
            <h2>{view.T("寄せられた関心", "Interest received")}</h2>
            {ConsolePage.Table(view.T("関心 (新しい順)", "Interest (newest first)"),
                [view.T("氏名", "Name"), view.T("連絡先", "Email"), view.T("状態", "Status"), view.T("ひとこと", "Note"), view.T("日時", "When")],
                interests.Select(i => new[]
                {
                    $"""<a href="{ConsolePage.Root}/alumni/{i.AlumnusId}">{E(i.FamilyName)} {E(i.GivenName)}</a>""", E(i.PersonalEmail),
                    i.Status == InterestStatus.Interested ? view.T("関心あり", "Interested") : view.T("取り下げ", "Withdrawn"),
                    $"""<span style="white-space: pre-line;">{E(i.Note)}</span>""", ConsolePage.Instant(i.UpdatedAt),
                }))}
            <h2>{view.T("募集内容を編集", "Edit the opening")}</h2>
            {Form(view, Values(o), [], $"{Root}/{id}")}
            """);
    }

    private static async Task<IResult> UpdateAsync(IFormCollection form, HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("募集を保存できません", "The opening was not saved");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var values = ConsoleFormValues.From(form);
        var openings = context.RequestServices.GetRequiredService<ManageOpenings>();
        return await openings.UpdateAsync(id, values.ToJson(Fields), seen, AdminActor.IdOf(context.User)!, context.RequestAborted) switch
        {
            AdminOutcome<OpeningView>.Done => Results.Redirect($"{Root}/{id}?saved=updated"),
            AdminOutcome<OpeningView>.Invalid invalid => view.Render(StatusCodes.Status400BadRequest, title,
                $"<h1>{title}</h1>" + ConsolePage.Errors(view, invalid.Errors) + Form(view, values, invalid.Errors, $"{Root}/{id}")),
            AdminOutcome<OpeningView>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/{id}"),
            AdminOutcome<OpeningView>.Conflict => Busy(view),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    private static async Task<IResult> MatchesAsync(HttpContext context, string id, AdminActor actor, ManageOpenings openings, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await openings.GetAsync(id, cancellationToken) is not AdminOutcome<OpeningView>.Done { Value: var o } ||
            await openings.MatchesAsync(id, actor.Id, cancellationToken) is not AdminOutcome<MatchList>.Done { Value: var matches })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var rows = matches.Items.Select(m => new[]
        {
            $"""<a href="{ConsolePage.Root}/alumni/{m.AlumnusId}">{E(m.FamilyName)} {E(m.GivenName)}</a>""", E(m.Department), E(m.Location),
            string.Join("<br>", m.Reasons.Select(r => E(Reason(view, r)))), Standing(view, m.Standing),
        });
        // Marked sent with no campaign: its start failed after the send was recorded. Sending again starts it, under the
        // same campaign id, so nobody gets it twice.
        var notStarted = o.SentAt is not null && o.Campaign is null
            ? $"<p>{view.T("この募集は送信を記録しましたが、配信が始まっていません。もう一度送信すると同じ配信として始まります (同じ方に二度送られることはありません)。",
                "This opening was recorded as sent, but its campaign did not start. Sending it again starts that same campaign (nobody gets it twice).")}</p>"
            : "";
        var send = o.SentAt is not null && o.Campaign is not null
            ? $"<p>{view.T("この募集は送信済みです。", "This opening has been sent.")}</p>"
            : o.Status != OpeningStatus.Open
                ? $"<p>{view.T("この募集は受付停止中のため送信できません。", "This opening is closed and cannot be sent.")}</p>"
                : $"""
                    {notStarted}
                    <form method="post" action="{Root}/{id}/send">
                    {ConsoleForms.TokenField(context)}
                    {ConsoleForms.VersionField(RecordVersion.Of(o.UpdatedAt).ToString())}
                    <p>{view.T("「対象」と「承認済み」の方に、求人案内への同意と配信ルール (上限・静穏期間) の範囲で送信します。コンプライアンス承認待ちの方には送信しません。",
                        "Sends to the matches and the approved, within their consent to job offers and the outreach rules (cap, quiet period). Matches awaiting compliance approval are not sent to.")}</p>
                    <p><button type="submit">{view.T("この募集を送信する", "Send this opening")}</button></p>
                    </form>
                    """;
        return view.Render(StatusCodes.Status200OK, view.T("対象者", "Matches"), $"""
            <p><a href="{Root}/{id}">{view.T("← 募集に戻る", "← Back to the opening")}</a></p>
            <h1>{E(o.Title.In(view.Locale))}: {view.T("対象者と理由", "matches and why")}</h1>
            <p>{view.T($"会員 {matches.Members} 人のうち対象 {matches.Matches} 人 (うちコンプライアンス承認が必要 {matches.NeedsApproval} 人)。上位 {matches.Shown} 人を表示しています。",
                $"{matches.Matches} of {matches.Members} members match ({matches.NeedsApproval} need a compliance approval); the best {matches.Shown} are shown.")}</p>
            {(matches.MatchOnHiddenFields == 0 ? "" : $"<p>{view.T($"ほかに {matches.MatchOnHiddenFields} 人が、社員に公開していない項目で一致しています (一覧には表示しませんが、送信の対象です)。",
                $"{matches.MatchOnHiddenFields} more match on fields they do not show employees (not listed here; the opening is still sent to them).")}</p>")}
            {send}
            {ConsolePage.Table(view.T("対象者 (理由の多い順)", "Matches (most reasons first)"),
                [view.T("氏名", "Name"), view.T("退職時の部署", "Department left"), view.T("所在地", "Location"), view.T("理由", "Reasons"), view.T("扱い", "Standing")], rows)}
            """);
    }

    private static async Task<IResult> SendAsync(IFormCollection form, HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("送信できません", "Not sent");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var openings = context.RequestServices.GetRequiredService<ManageOpenings>();
        return await openings.SendAsync(id, seen, AdminActor.IdOf(context.User)!, context.RequestAborted) switch
        {
            AdminOutcome<OpeningView>.Done => Results.Redirect($"{Root}/{id}?saved=sent"),
            AdminOutcome<OpeningView>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/{id}/matches"),
            AdminOutcome<OpeningView>.Conflict { Code: ConflictCode.CampaignStopped } => view.Render(StatusCodes.Status409Conflict, title,
                $"<h1>{view.T("この募集の配信は受付停止の際に止められました。止めた配信は再開されないため、募集を再開しても残りの対象者には送られません。", "This opening's campaign was stopped when the opening was closed. A stopped campaign does not resume, so reopening the opening sends nothing to the rest of its audience.")}</h1>"),
            AdminOutcome<OpeningView>.Conflict { Reason: { } } => view.Render(StatusCodes.Status409Conflict, title,
                $"<h1>{view.T("受付停止中の募集は送信できません。先に募集を再開してください。", "A closed opening cannot be sent; open it first.")}</h1>"),
            AdminOutcome<OpeningView>.Conflict => Busy(view),
            AdminOutcome<OpeningView>.Invalid invalid => ConsolePage.Invalid(view, invalid.Errors, view.T("送信できません", "Not sent")),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    private static async Task<IResult> RehiresAsync(HttpContext context, string? from, string? to, AdminActor actor, Core.Rehires.ListRehires rehires, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("再入社の実績", "Rehires report");
        var form = $"""
            <h1>{title}</h1>
            <form method="get" action="{Root}/rehires" role="search">
            <p><label>{view.T("開始日", "From")} <input type="date" name="from" value="{E(from)}"></label>
            <label>{view.T("終了日", "To")} <input type="date" name="to" value="{E(to)}"></label>
            <button type="submit">{view.T("表示", "Show")}</button></p>
            </form>
            """;
        var outcome = await rehires.HandleAsync(new RehireQuery(from, to), actor.Id, cancellationToken);
        if (outcome is AdminOutcome<RehireReport>.Invalid invalid)
        {
            return view.Render(StatusCodes.Status400BadRequest, title, form + ConsolePage.Errors(view, invalid.Errors));
        }

        var r = ((AdminOutcome<RehireReport>.Done)outcome).Value;
        string Counts(string caption, IReadOnlyDictionary<string, int> counts) =>
            ConsolePage.Table(caption, [view.T("種類", "Kind"), view.T("人数", "People")], counts.Select(c => new[] { E(c.Key), c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var days = r.DaysToReturn is { } d
            ? view.T($"退職から再入社まで: 最短 {d.Shortest} 日、中央値 {d.Median} 日、平均 {d.Average} 日、最長 {d.Longest} 日", $"Time from leaving to return: shortest {d.Shortest} days, median {d.Median}, average {d.Average}, longest {d.Longest}")
            : view.T("期間中の再入社はありません。", "No rehires in this period.");
        return view.Render(StatusCodes.Status200OK, title, $"""
            {form}
            <p>{view.T($"{r.From:yyyy-MM-dd} 〜 {r.To:yyyy-MM-dd}: 再入社 {r.Rehires} 人、うちネットワーク経由 (直前1年に接点あり) {r.Attributed} 人", $"{r.From:yyyy-MM-dd} to {r.To:yyyy-MM-dd}: {r.Rehires} rehired, {r.Attributed} of them reached by the network in the year before")}</p>
            <p>{E(days)}</p>
            {Counts(view.T("接点のあった募集の種別", "Kind of opening that reached them"), r.ByOpeningKind)}
            {Counts(view.T("最初の接点", "First touch"), r.ByFirstTouch)}
            {Counts(view.T("最後の接点", "Last touch"), r.ByLastTouch)}
            {ConsolePage.Table(view.T("再入社 (古い順)", "Rehires (oldest first)"),
                [view.T("アルムナイ", "Alumnus"), view.T("再入社日", "Rehired"), view.T("退職日", "Left"), view.T("日数", "Days away"), view.T("接点 (古い順)", "Touches (oldest first)")],
                r.Items.Select(i => new[]
                {
                    i.AlumnusId is { } a ? $"""<a href="{ConsolePage.Root}/alumni/{a}">{a}</a>""" : view.T("(削除済み)", "(erased)"),
                    $"{i.HiredOn:yyyy-MM-dd}", $"{i.LastWorkingDay:yyyy-MM-dd}", $"{i.DaysAway}",
                    string.Join("<br>", i.Touches.Select(t => E($"{ConsolePage.Instant(t.At)} {t.Kind}/{t.Detail} ({t.Via}){(t.First ? view.T(" 最初", " first") : "")}{(t.Last ? view.T(" 最後", " last") : "")}"))),
                }))}
            """);
    }

    /// <summary>
    /// One control per field of the API's opening body (<see cref="OpeningDraft"/>), named by its path, so the console
    /// builds the same body (<see cref="ConsoleFormValues.ToJson"/>) and an error's field names the control that caused it.
    /// Skills are one a line, each line one entry of the API's list: the matching reads an entry that lists several
    /// (<c>, 、 ;</c>) as any of them, for the API and the console alike.
    /// </summary>
    private static readonly FormField[] Fields =
    [
        new("title.ja"), new("title.en"), new("description.ja"), new("description.en"), new("kind"), new("department"), new("location"),
        new("remote", FormFieldKind.Flag), new("skills", FormFieldKind.Lines), new("start"), new("end"), new("recruiterMailbox"),
        new("confidentiality"), new("status"),
    ];

    /// <summary>An opening's values in the form's field names.</summary>
    private static ConsoleFormValues Values(OpeningView o) => ConsoleFormValues.Of(new Dictionary<string, StringValues>(StringComparer.Ordinal)
    {
        ["title.ja"] = o.Title.Japanese, ["title.en"] = o.Title.English, ["description.ja"] = o.Description.Japanese, ["description.en"] = o.Description.English,
        ["kind"] = o.Kind.ToString(), ["department"] = o.Department, ["location"] = o.Location, ["remote"] = o.Remote ? "true" : null,
        ["skills"] = string.Join('\n', o.Skills), ["start"] = $"{o.Start:yyyy-MM-dd}", ["end"] = $"{o.End:yyyy-MM-dd}",
        ["recruiterMailbox"] = o.RecruiterMailbox, ["confidentiality"] = o.Confidentiality.ToString(), ["status"] = o.Status.ToString(),
        [RecordVersion.Field] = RecordVersion.Of(o.UpdatedAt).ToString(),
    });

    private static string Form(ConsoleView view, ConsoleFormValues values, IReadOnlyList<FieldError> errors, string action)
    {
        var f = new ConsoleFields(values, errors);
        IEnumerable<(string, string)> Options<T>(Func<T, string> text)
            where T : struct, Enum => Enum.GetValues<T>().Select(x => (x.ToString(), text(x)));
        return $"""
            <form method="post" action="{E(action)}">
            {ConsoleForms.TokenField(view.Context)}
            {ConsoleForms.VersionField(values[RecordVersion.Field])}
            {ConsoleForms.KeyField(values[IdempotencyKey.Field])}
            {f.Text("title.ja", view.T("タイトル (日本語)", "Title (Japanese)"), OpeningDraft.MaxTitle)}
            {f.Text("title.en", view.T("タイトル (英語)", "Title (English)"), OpeningDraft.MaxTitle)}
            {f.TextArea("description.ja", view.T("説明 (日本語)", "Description (Japanese)"), OpeningDraft.MaxDescription, rows: 6)}
            {f.TextArea("description.en", view.T("説明 (英語)", "Description (English)"), OpeningDraft.MaxDescription, rows: 6)}
            {f.Select("kind", view.T("種別", "Kind"), Options<OpeningKind>(k => OpeningText.KindLabel(k, view.Locale)))}
            {f.Text("department", view.T("部署", "Department"), OpeningDraft.MaxLine)}
            {f.Text("location", view.T("勤務地", "Location"), OpeningDraft.MaxLine)}
            {f.Checkbox("remote", view.T("リモート可", "Remote possible"))}
            {f.TextArea("skills", view.T($"求めるスキル (1行に1つ、{OpeningDraft.MaxSkills}個まで)", $"Skills wanted (one a line, at most {OpeningDraft.MaxSkills})"), 2000, rows: 6,
                hint: view.T("1行に「Python、SQL」のように複数書くと、そのどれかに一致する人が対象になります。", "A line that lists several (\"Python, SQL\") matches anyone with any of them."))}
            {f.Text("start", view.T("開始日", "Start"), 10, "date")}
            {f.Text("end", view.T("終了日 (プロジェクト・アドバイザーのみ)", "End (projects and advisory only)"), 10, "date")}
            {f.Text("recruiterMailbox", view.T("採用チームの共有メールアドレス (個人のアドレスは不可)", "Recruiting team mailbox (not a personal address)"), 254, "email")}
            {f.Select("confidentiality", view.T("機密区分", "Confidentiality"), Options<Confidentiality>(c => Confidential(view, c)))}
            {f.Select("status", view.T("状態", "Status"), Options<OpeningStatus>(s => Status(view, s)))}
            <p><button type="submit">{view.T("保存", "Save")}</button></p>
            </form>
            """;
    }

    /// <summary>A mailbox stored before the company-domains rule (or before the domains changed): interest notices are not sent there.</summary>
    private static string MailboxNote(ConsoleView view, OpeningView o) =>
        EmailAddress.TryParse(o.RecruiterMailbox, out var mailbox) && !view.Context.RequestServices.GetRequiredService<CompanyMailDomains>().Contains(mailbox)
            ? $"""<p class="status" role="status">{view.T("採用窓口のアドレスが社内のメールドメインにないため、関心の通知は送信されません (mailbox-outside-company-domains)。社内のチーム用アドレスに変更してください。",
                "The recruiter mailbox is not at the company's mail domains, so interest notices are not sent to it (mailbox-outside-company-domains). Change it to a team mailbox of the company.")}</p>"""
            : "";

    private static string Status(ConsoleView view, OpeningStatus status) => status == OpeningStatus.Open ? view.T("受付中", "Open") : view.T("受付停止", "Closed");

    private static string Confidential(ConsoleView view, Confidentiality c) => c == Confidentiality.Normal ? view.T("通常", "Normal") : view.T("機密 (利益相反の方には非表示)", "Sensitive (never to flagged alumni)");

    private static string Reason(ConsoleView view, MatchReason r) => r.Kind switch
    {
        OpeningMatcher.Returns => view.T($"復帰の意向: {InterestMail.FieldValue(ProfileField.OpenToReturning, r.Value, Locale.Japanese)}",
            $"Would return: {InterestMail.FieldValue(ProfileField.OpenToReturning, r.Value, Locale.English)}"),
        OpeningMatcher.Skill => view.T($"スキル: {r.Value}", $"Skill: {r.Value}"),
        OpeningMatcher.Department => view.T($"退職時の部署: {r.Value}", $"Department: {r.Value}"),
        _ => view.T($"所在地: {r.Value}", $"Location: {r.Value}"),
    };

    private static string Standing(ConsoleView view, string standing) => standing switch
    {
        "match" => view.T("対象", "Match"),
        "approved" => view.T("承認済み (利益相反)", "Approved (conflict of interest)"),
        _ => view.T("要コンプライアンス承認", "Needs compliance approval"),
    };

    private static IResult Busy(ConsoleView view) => view.Render(StatusCodes.Status409Conflict, view.T("保存できません", "Not saved"),
        $"<h1>{view.T("他の更新と重なったため保存しませんでした。もう一度お試しください。", "Another update got there first; nothing was saved. Please try again.")}</h1>");
}
