using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Conflicts;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Security;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Conflicts;

/// <summary>
/// Conflict of interest, for the compliance role: the register (add, change, remove organisations with their aliases and
/// cooling-off), the queue of contacts to flagged alumni waiting for approval, and the flagged alumni with the reason for
/// each. The same use cases as everywhere else decide and audit; these pages only show and post.
/// </summary>
public sealed class ConflictsArea : IConsoleArea
{
    public string Segment => "conflicts";

    public AdminCapability Capability => AdminCapability.ConflictOfInterest;

    public int Order => 70;

    public string Label(Locale locale) => AlumniPage.T(locale, "利益相反", "Conflicts of interest");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", RegisterAsync);
        area.MapConsoleForm("/entries", (form, context) => WriteAsync(form, context, null));
        area.MapGet("/entries/{id:length(32)}", EntryAsync);
        area.MapConsoleForm("/entries/{id:length(32)}", (form, context) => WriteAsync(form, context, (string)context.Request.RouteValues["id"]!));
        area.MapGet("/entries/{id:length(32)}/remove", ConfirmRemoveAsync);
        area.MapConsoleForm("/entries/{id:length(32)}/remove", RemoveAsync);
        area.MapGet("/approvals", ApprovalsAsync);
        area.MapConsoleForm("/approvals", DecideAsync);
        area.MapGet("/flagged", FlaggedAsync);
    }

    /// <summary>The flag on a person's page for admins: category and since when, and where the compliance team sees why.</summary>
    public static string FlagRow(ConsoleView view, ConflictFlag? flag) => flag is null ? "" : $"""
        <tr><th scope="row"><span class="badge">{view.T("人事のみ", "HR only")}</span> {view.T("利益相反", "Conflict of interest")}</th>
        <td>{E(CategoryLabel(view, flag.Category))} ({view.T("登録日時", "since")} {ConsolePage.Instant(flag.FlaggedAt)}) —
        <a href="{ConsolePage.Root}/conflicts/flagged">{view.T("理由はコンプライアンスの画面で", "reasons on the compliance pages")}</a></td></tr>
        """;

    private static async Task<IResult> RegisterAsync(HttpContext context, string? saved, ManageConflictRegister register, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var entries = await register.ListAsync(cancellationToken);
        return view.Render(StatusCodes.Status200OK, view.T("利益相反の登録簿", "Conflict-of-interest register"), $"""
            <h1>{view.T("利益相反の登録簿", "Conflict-of-interest register")}</h1>
            {Saved(view, saved)}
            {Navigation(view)}
            <p>{view.T("現在の勤務先がここに登録された組織と一致するアルムナイには利益相反のフラグが付きます。組織名は全角・半角、株式会社・(株)・Co., Ltd. などの法人格、空白、大文字・小文字の違いを無視して照合します。カナ・漢字・英語表記の違いは別名として登録してください。本人には一切表示されません。",
                "Alumni whose current employer matches an organisation here are flagged. Names are compared ignoring full-width and half-width forms, legal forms (株式会社, (株), Co., Ltd. …), spacing and case; list kana, kanji and English spellings as aliases. Nothing here is ever shown to alumni.")}</p>
            {ConsolePage.Table(view.T($"登録されている組織 {entries.Count} 件", entries.Count == 1 ? "1 organisation" : $"{entries.Count} organisations"),
                [view.T("名称", "Name"), view.T("区分", "Category"), view.T("別名", "Aliases"), view.T("クーリングオフ", "Cooling-off"), view.T("更新", "Updated")],
                entries.Select(e => new[]
                {
                    $"""<a href="{ConsolePage.Root}/conflicts/entries/{E(e.Id)}">{E(e.Name)}</a>""", E(CategoryLabel(view, e.Category.ToString())),
                    E(string.Join(" / ", e.Aliases)), CoolingOff(view, e.CoolingOffDays), ConsolePage.Instant(e.UpdatedAt),
                }))}
            <h2>{view.T("組織を追加", "Add an organisation")}</h2>
            {EntryForm(view, $"{ConsolePage.Root}/conflicts/entries", null, null, IdempotencyKey.NewValue())}
            """);
    }

    private static async Task<IResult> EntryAsync(HttpContext context, string id, ManageConflictRegister register, CancellationToken cancellationToken)
    {
        if (await register.GetAsync(id, cancellationToken) is not { } entry)
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var view = await ConsoleView.ForAsync(context);
        return view.Render(StatusCodes.Status200OK, entry.Name, $"""
            <p><a href="{ConsolePage.Root}/conflicts">{view.T("← 登録簿に戻る", "← Back to the register")}</a></p>
            <h1>{E(entry.Name)}</h1>
            {EntryForm(view, $"{ConsolePage.Root}/conflicts/entries/{E(entry.Id)}", RegisterForm.From(entry), RecordVersion.Of(entry.UpdatedAt).ToString())}
            <p><a href="{ConsolePage.Root}/conflicts/entries/{E(entry.Id)}/remove">{view.T("登録簿から削除する…", "Remove from the register…")}</a></p>
            """);
    }

    /// <summary>
    /// Removing an entry lifts the flags it causes at once, with no undo: this page names the entry and how many alumni it
    /// flags now, and its form carries the version shown, so an entry changed since is not removed (409, stale; ADR 0032).
    /// </summary>
    private static async Task<IResult> ConfirmRemoveAsync(HttpContext context, string id, ManageConflictRegister register, CancellationToken cancellationToken)
    {
        if (await register.GetAsync(id, cancellationToken) is not { } entry)
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var view = await ConsoleView.ForAsync(context);
        var flagged = await register.CountFlaggedByAsync(entry.Id, cancellationToken);
        var title = view.T("登録簿から削除しますか?", "Remove from the register?");
        return view.Render(StatusCodes.Status200OK, title, $"""
            <p><a href="{ConsolePage.Root}/conflicts/entries/{E(entry.Id)}">{view.T("← 組織に戻る", "← Back to the organisation")}</a></p>
            <h1>{title}</h1>
            <p><strong>{E(entry.Name)}</strong> ({E(CategoryLabel(view, entry.Category.ToString()))}{(entry.Aliases.Count == 0 ? "" : " — " + E(string.Join(" / ", entry.Aliases)))})</p>
            <p>{view.T($"この組織によって現在 {flagged} 名のアルムナイにフラグが付いています（クーリングオフ中を含む）。削除すると、ほかの組織によるフラグがない限り外れます。",
                flagged == 1
                    ? "1 alumnus is flagged by this organisation now (cooling-off included). Removing it lifts that flag, unless another organisation flags them too."
                    : $"{flagged} alumni are flagged by this organisation now (cooling-off included). Removing it lifts those flags, unless another organisation flags them too.")}</p>
            <p role="alert">{view.T("削除は取り消せません。", "Removing cannot be undone.")}</p>
            <form method="post" action="{ConsolePage.Root}/conflicts/entries/{E(entry.Id)}/remove">
            {ConsoleForms.TokenField(context)}
            {ConsoleForms.VersionField(RecordVersion.Of(entry.UpdatedAt).ToString())}
            <p><button type="submit">{view.T("登録簿から削除する", "Remove from the register")}</button></p>
            </form>
            """);
    }

    /// <summary>
    /// Add (no id) or change an entry. The edit form carries the version its page showed: a change saved by another officer
    /// since (an alias added, say) refuses this one rather than being written over, since dropping an alias lifts the
    /// flags it caused (ADR 0032).
    /// </summary>
    private static async Task<IResult> WriteAsync(IFormCollection form, HttpContext context, string? id)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("保存できませんでした", "Not saved");
        var versionErrors = new List<FieldError>();
        var seen = id is null ? null : ConsoleOutcomes.PostedVersion(form, versionErrors);
        if (versionErrors.Count > 0)
        {
            return ConsolePage.Invalid(view, versionErrors, title);
        }

        IdempotencyKey? key = null;
        if (id is null && !ConsoleForms.TryPostedKey(view, form, title, out key, out var refused))
        {
            return refused;
        }

        var register = context.RequestServices.GetRequiredService<ManageConflictRegister>();
        var actor = AdminActor.IdOf(context.User)!;
        var posted = new RegisterForm(form[RegisterForm.NameField], form[RegisterForm.CategoryField], form[RegisterForm.AliasesField], form[RegisterForm.CoolingOffField]);
        var outcome = id is null
            ? await register.AddAsync(posted, actor, key, context.RequestAborted)
            : await register.ReplaceAsync(id, posted, seen, actor, context.RequestAborted);
        var action = id is null ? $"{ConsolePage.Root}/conflicts/entries" : $"{ConsolePage.Root}/conflicts/entries/{E(id)}";
        // A re-shown add form keeps its key (nothing was stored under it), unless the key is the one another post used.
        var reused = outcome is AdminOutcome<RegisterEntry>.Conflict { Code: ConflictCode.IdempotencyKeyReused };
        var keyValue = reused ? IdempotencyKey.NewValue() : key?.Value;
        return outcome switch
        {
            // A double click or a resubmit of the add form finds the entry its first post added: the same answer.
            AdminOutcome<RegisterEntry>.Done or AdminOutcome<RegisterEntry>.Repeated => Results.Redirect($"{ConsolePage.Root}/conflicts?saved={(id is null ? "added" : "changed")}"),
            AdminOutcome<RegisterEntry>.Invalid invalid => view.Render(StatusCodes.Status400BadRequest, title,
                $"<h1>{title}</h1>{ConsolePage.Errors(view, invalid.Errors)}{EntryForm(view, action, posted, seen?.ToString(), keyValue)}"),
            AdminOutcome<RegisterEntry>.Stale => ConsoleOutcomes.Stale(view, title, action),
            AdminOutcome<RegisterEntry>.Conflict conflict => view.Render(StatusCodes.Status409Conflict, title,
                $"""<h1>{title}</h1><div class="errors" role="alert"><p>{(reused
                    ? view.T("このフォームは別の内容で保存済みです。何も変更していません。新しい組織として追加するなら、もう一度保存してください。",
                        "This form was saved before with other content; nothing was changed. Save again to add it as another organisation.")
                    : E(conflict.Reason ?? view.T("他の更新と重なりました。もう一度お試しください。", "Another change got there first. Please try again.")))}</p></div>{EntryForm(view, action, posted, seen?.ToString(), keyValue)}"""),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    /// <summary>Removes the entry as its confirmation page showed it: an entry changed since is not removed (409, stale).</summary>
    private static async Task<IResult> RemoveAsync(IFormCollection form, HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("削除できませんでした", "Not removed");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var register = context.RequestServices.GetRequiredService<ManageConflictRegister>();
        return await register.RemoveAsync(id, seen, AdminActor.IdOf(context.User)!, context.RequestAborted) switch
        {
            AdminOutcome<RegisterEntry>.Done => Results.Redirect($"{ConsolePage.Root}/conflicts?saved=removed"),
            AdminOutcome<RegisterEntry>.Stale => ConsoleOutcomes.Stale(view, title, $"{ConsolePage.Root}/conflicts/entries/{id}/remove"),
            AdminOutcome<RegisterEntry>.Conflict => await ConflictAsync(context),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    private static async Task<IResult> ApprovalsAsync(
        HttpContext context, string? saved, string? after, AdminActor actor, ManageApprovals approvals, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("承認待ち", "Approval queue");
        var outcome = await approvals.PendingAsync(after, actor.Id, cancellationToken);
        if (outcome is not AdminOutcome<ConflictPage<Approval>>.Done { Value: var page })
        {
            return NoSuchPage(view, title, "approvals", outcome is AdminOutcome<ConflictPage<Approval>>.Invalid invalid ? invalid.Errors : []);
        }

        var items = page.Items.Count == 0
            ? $"<p>{view.T("承認待ちはありません。", "Nothing is waiting for approval.")}</p>"
            : string.Concat(page.Items.Select(a => DecisionForm(view, a)));
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{view.T("承認待ち", "Approval queue")}</h1>
            {Saved(view, saved)}
            {Navigation(view)}
            <p>{view.T("利益相反のフラグが付いたアルムナイへの連絡は、ここで承認されるまで送られません。機密扱いのものは承認の対象にならず、送られることはありません。判断は監査ログに記録されます。理由は判断とともに保存され、監査ログには理由の文字数だけが記録されます。",
                "Contacts to alumni flagged for a conflict of interest wait here until approved. Sensitive ones never reach them and never appear here. Each decision is recorded in the audit log; its reason is kept with the decision, and only the reason's length goes to the audit log.")}</p>
            <p class="secondary">{view.T("この一覧の閲覧は監査ログに記録されます。", "Reading this list is recorded in the audit log.")}</p>
            {items}
            {Pages(view, "approvals", page)}
            """);
    }

    /// <summary>A cursor that is no cursor: 400 naming <c>after</c>, with a link to the list's first page; nothing was read.</summary>
    private static IResult NoSuchPage(ConsoleView view, string title, string list, IReadOnlyList<FieldError> errors) => view.Render(StatusCodes.Status400BadRequest, title, $"""
        <h1>{E(title)}</h1>
        {ConsolePage.Errors(view, errors)}
        <p><a href="{ConsolePage.Root}/conflicts/{list}">{view.T("最初のページ", "First page")}</a></p>
        """);

    /// <summary>Links to the first page of a list (when this is not it) and the next (when there is one).</summary>
    private static string Pages<T>(ConsoleView view, string list, ConflictPage<T> page)
    {
        string Link(string? after) => $"{ConsolePage.Root}/conflicts/{list}" + (after is null ? "" : "?" + ConsolePage.Query(("after", after)));
        return ConsolePage.PageLinks(view, page.After is not null, page.Next, Link);
    }

    private static async Task<IResult> DecideAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var approvals = context.RequestServices.GetRequiredService<ManageApprovals>();
        var decision = new ApprovalDecision(form[ApprovalDecision.AlumnusField], form[ApprovalDecision.SubjectField], form[ApprovalDecision.DecisionField], form[ApprovalDecision.ReasonField]);
        return await approvals.DecideAsync(decision, AdminActor.IdOf(context.User)!, context.RequestAborted) switch
        {
            AdminOutcome<Approval>.Done => Results.Redirect($"{ConsolePage.Root}/conflicts/approvals?saved=decided"),
            AdminOutcome<Approval>.Invalid invalid => Refused(view, invalid.Errors, decision),
            // Decided the other way already: the posted decision is the opposite of the one that stands.
            AdminOutcome<Approval>.Conflict { Code: ConflictCode.AlreadyDecided } => NotRecorded(view, decision.Decision == "approve"
                ? view.T("この件はすでに「承認しない」と判断されています。判断は変更できないため、この判断は記録されていません。",
                    "It was rejected already, and a decision is final, so this decision was not recorded.")
                : view.T("この件はすでに承認されています。判断は変更できないため、この判断は記録されていません。",
                    "It was approved already, and a decision is final, so this decision was not recorded.")),
            AdminOutcome<Approval>.Conflict => NotRecorded(view, view.T("他の判断か変更が先に保存されたため、この判断は記録されていません。判断は最初に保存されたものが有効です。",
                "Another decision or change was saved first, so this decision was not recorded: the first decision saved stands.")),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    /// <summary>The decision's form again, with the reason as typed, so a refusal never costs the officer their text.</summary>
    private static IResult Refused(ConsoleView view, IReadOnlyList<FieldError> errors, ApprovalDecision decision)
    {
        var title = view.T("判断を記録できませんでした", "The decision was not recorded");
        return view.Render(StatusCodes.Status400BadRequest, title, $"""
            <h1>{E(title)}</h1>
            {ConsolePage.Errors(view, errors)}
            <section class="hr-only">
            <h2>{E(decision.Subject)} — <code>{E(decision.AlumnusId)}</code></h2>
            {DecisionFields(view, decision.AlumnusId, decision.Subject, decision.Reason)}
            </section>
            <p><a href="{ConsolePage.Root}/conflicts/approvals">{view.T("承認待ちに戻る", "Back to the approval queue")}</a></p>
            """);
    }

    private static IResult NotRecorded(ConsoleView view, string why) => view.Render(StatusCodes.Status409Conflict, view.T("記録できませんでした", "Not recorded"), $"""
        <h1>{view.T("記録できませんでした", "Not recorded")}</h1>
        <div class="errors" role="alert"><p>{E(why)}</p></div>
        <p><a href="{ConsolePage.Root}/conflicts/approvals">{view.T("承認待ちを開き直す", "Reload the approval queue")}</a></p>
        """);

    private static async Task<IResult> FlaggedAsync(HttpContext context, string? after, AdminActor actor, ManageConflictRegister register, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("フラグの付いたアルムナイ", "Flagged alumni");
        var outcome = await register.FlaggedAsync(after, actor.Id, cancellationToken);
        if (outcome is not AdminOutcome<ConflictPage<ConflictAssessment>>.Done { Value: var page })
        {
            return NoSuchPage(view, title, "flagged", outcome is AdminOutcome<ConflictPage<ConflictAssessment>>.Invalid invalid ? invalid.Errors : []);
        }

        var flagged = page.Items;
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{view.T("フラグの付いたアルムナイ", "Flagged alumni")}</h1>
            {Navigation(view)}
            <p class="secondary">{view.T("この一覧の閲覧は監査ログに記録されます。", "Reading this list is recorded in the audit log.")}</p>
            {ConsolePage.Table(view.T($"このページに {flagged.Count} 名", $"{flagged.Count} alumni on this page"),
                [view.T("アルムナイ", "Alumnus"), view.T("理由", "Why"), view.T("区分", "Category"), view.T("開始", "Since"), view.T("クーリングオフ終了", "Cooling-off ends")],
                flagged.Select(a => new[]
                {
                    $"""<code>{E(a.AlumnusId.Value)}</code>""",
                    E(view.T($"現在の勤務先「{a.Employer}」が登録簿の「{a.EntryName}」（照合した名称: {a.MatchedName}）と一致",
                        $"Current employer “{a.Employer}” matches “{a.EntryName}” in the register (by the name “{a.MatchedName}”)")),
                    E(CategoryLabel(view, a.Category.ToString())), ConsolePage.Instant(a.Since), ConsolePage.Instant(a.CoolingOffUntil),
                }))}
            {Pages(view, "flagged", page)}
            """);
    }

    /// <param name="version">The version of the entry the form edits (<see cref="RecordVersion"/>); null on the form that adds one.</param>
    /// <param name="key">The add form's one-time key (ADR 0037); null on the form that edits one.</param>
    private static string EntryForm(ConsoleView view, string action, RegisterForm? values, string? version, string? key = null)
    {
        var categories = string.Concat(Enum.GetValues<ConflictCategory>().Select(c =>
            $"""<option value="{c}"{(values?.Category == c.ToString() ? " selected" : "")}>{E(CategoryLabel(view, c.ToString()))}</option>"""));
        return $"""
            <form method="post" action="{action}">
            {ConsoleForms.TokenField(view.Context)}
            {ConsoleForms.VersionField(version)}
            {ConsoleForms.KeyField(key)}
            <p><label>{view.T("名称", "Name")} <input type="text" name="{RegisterForm.NameField}" value="{E(values?.Name)}" maxlength="{RegisterEntry.MaxNameLength}" required></label></p>
            <p><label>{view.T("区分", "Category")} <select name="{RegisterForm.CategoryField}" required><option value="">{view.T("選んでください", "Choose one")}</option>{categories}</select></label></p>
            <p><label>{view.T("別名（1行に1つ、最大20）", "Aliases (one a line, at most 20)")}<br>
            <textarea name="{RegisterForm.AliasesField}" rows="4" cols="50">{E(values?.Aliases)}</textarea></label></p>
            <p><label>{view.T("クーリングオフ（日数、任意）", "Cooling-off (days, optional)")} <input type="number" name="{RegisterForm.CoolingOffField}" min="1" max="{RegisterEntry.MaxCoolingOffDays}" value="{E(values?.CoolingOffDays)}"></label>
            <span class="secondary">{view.T("勤務先が一致しなくなってからも、この日数はフラグが残ります。", "Alumni stay flagged this long after their employer stops matching.")}</span></p>
            <p><button type="submit">{view.T("保存", "Save")}</button></p>
            </form>
            """;
    }

    private static string DecisionForm(ConsoleView view, Approval a) => $"""
        <section class="hr-only">
        <h2>{E(a.Request.Subject)} — <code>{E(a.Request.AlumnusId.Value)}</code></h2>
        <p style="white-space: pre-line;">{E(a.Request.Summary)}</p>
        <p class="secondary">{view.T("依頼日時", "Asked")} {ConsolePage.Instant(a.Request.RequestedAt)}</p>
        {DecisionFields(view, a.Request.AlumnusId.Value, a.Request.Subject, null)}
        </section>
        """;

    /// <param name="reason">The reason as typed, when the form comes back refused; null on the queue.</param>
    private static string DecisionFields(ConsoleView view, string? alumnusId, string? subject, string? reason) => $"""
        <form method="post" action="{ConsolePage.Root}/conflicts/approvals">
        {ConsoleForms.TokenField(view.Context)}
        <input type="hidden" name="{ApprovalDecision.AlumnusField}" value="{E(alumnusId)}">
        <input type="hidden" name="{ApprovalDecision.SubjectField}" value="{E(subject)}">
        <p><label>{view.T("理由（判断とともに保存。監査ログには文字数のみ）", "Reason (kept with the decision; only its length goes to the audit log)")}<br>
        <textarea name="{ApprovalDecision.ReasonField}" rows="2" cols="60" maxlength="{ApprovalDecision.MaxReasonLength}" required>{E(reason)}</textarea></label></p>
        <p><button type="submit" name="{ApprovalDecision.DecisionField}" value="approve">{view.T("承認する", "Approve")}</button>
        <button type="submit" name="{ApprovalDecision.DecisionField}" value="reject">{view.T("承認しない", "Reject")}</button></p>
        </form>
        """;

    private static string Navigation(ConsoleView view) => $"""
        <p><a href="{ConsolePage.Root}/conflicts">{view.T("登録簿", "Register")}</a> |
        <a href="{ConsolePage.Root}/conflicts/approvals">{view.T("承認待ち", "Approval queue")}</a> |
        <a href="{ConsolePage.Root}/conflicts/flagged">{view.T("フラグの付いたアルムナイ", "Flagged alumni")}</a></p>
        """;

    private static string Saved(ConsoleView view, string? saved) => saved switch
    {
        "added" => $"""<p class="status" role="status">{view.T("追加しました。全員の照合をやり直します。", "Added. Everyone is being checked again.")}</p>""",
        "changed" => $"""<p class="status" role="status">{view.T("保存しました。全員の照合をやり直します。", "Saved. Everyone is being checked again.")}</p>""",
        "removed" => $"""<p class="status" role="status">{view.T("削除しました。全員の照合をやり直します。", "Removed. Everyone is being checked again.")}</p>""",
        "decided" => $"""<p class="status" role="status">{view.T("判断を記録しました。", "The decision is recorded.")}</p>""",
        _ => "",
    };

    private static string CoolingOff(ConsoleView view, int? days) => days is { } d
        ? view.T(string.Create(CultureInfo.InvariantCulture, $"{d} 日"), string.Create(CultureInfo.InvariantCulture, $"{d} days"))
        : "—";

    public static string CategoryLabel(ConsoleView view, string category) => category switch
    {
        nameof(ConflictCategory.Competitor) => view.T("競合", "Competitor"),
        nameof(ConflictCategory.ClientUnderEngagement) => view.T("契約中の顧客", "Client under engagement"),
        nameof(ConflictCategory.AuditClient) => view.T("監査クライアント（独立性）", "Audit client (independence)"),
        nameof(ConflictCategory.Regulator) => view.T("規制当局", "Regulator"),
        _ => category,
    };

    private static async Task<IResult> ConflictAsync(HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        return view.Render(StatusCodes.Status409Conflict, view.T("保存できませんでした", "Not saved"),
            $"<h1>{view.T("他の更新と重なったため何も変更していません。もう一度お試しください。", "Another change got there first; nothing changed. Please try again.")}</h1>");
    }
}
