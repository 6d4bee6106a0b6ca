using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.AdminConsole.Surveys;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Security;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Alumni;

/// <summary>
/// Alumni: search and filter, a person's page, setting the HR-only flags, and the CSV export. Each page calls the same
/// Core use case as its JSON endpoint (SearchAlumni, GetAlumnusDetails, SetAlumnusFlags, ExportAlumniCsv), so the rules
/// and the audit entries are the same whichever way an admin comes.
/// </summary>
public sealed class AlumniArea : IConsoleArea
{
    public string Segment => "alumni";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 10;

    public string Label(Locale locale) => AlumniPage.T(locale, "アルムナイ", "Alumni");

    /// <summary>The search form's controls, named by the fields of the JSON API's body they fill (ADR 0032).</summary>
    private static readonly FormField[] SearchFields =
    [
        new(AlumniSearchBody.QField), new(AlumniSearchBody.DepartmentField), new(AlumniSearchBody.StatusField), new(AlumniSearchBody.ConsentField),
        new(AlumniSearchBody.PageField, FormFieldKind.WholeNumber),
    ];

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", SearchPageAsync);
        area.MapConsoleForm("", SearchAsync);
        area.MapGet("/export.csv", (AdminActor actor, Core.Admin.ExportAlumniCsv export, CancellationToken cancellationToken) =>
            Results.Stream(body => export.WriteAsync(body, actor.Id, cancellationToken), Core.Admin.ExportAlumniCsv.ContentType, export.FileName()));
        area.MapGet("/{id:length(32)}", PersonAsync);
        area.MapConsoleForm("/{id:length(32)}/flags", SetFlagsAsync);
    }

    /// <summary>
    /// The empty search page: the form and the first page of everyone. Criteria come only by the form's POST, so the
    /// search text (a name or an email address) is never in a URL the Functions host records (ADR 0005); a query string,
    /// from an old bookmark (or added to the form's address), is dropped by a redirect before a page that could copy it
    /// into a link (the language switch's way back) is rendered.
    /// </summary>
    private static async Task<IResult> SearchPageAsync(HttpContext context, AdminActor actor, Core.Admin.SearchAlumni search, CancellationToken cancellationToken) =>
        context.Request.QueryString.HasValue
            ? Results.Redirect($"{ConsolePage.Root}/alumni")
            : await ResultsAsync(context, ConsoleFormValues.Empty, actor, search, cancellationToken);

    private static async Task<IResult> SearchAsync(IFormCollection form, HttpContext context) => context.Request.QueryString.HasValue
        ? Results.Redirect($"{ConsolePage.Root}/alumni")
        : await ResultsAsync(context, ConsoleFormValues.From(form), new AdminActor(AdminActor.IdOf(context.User)!), context.RequestServices.GetRequiredService<Core.Admin.SearchAlumni>(), context.RequestAborted);

    /// <summary>The form as typed and the results, rendered in the answer; paging posts the criteria again in hidden fields.</summary>
    private static async Task<IResult> ResultsAsync(HttpContext context, ConsoleFormValues values, AdminActor actor, Core.Admin.SearchAlumni search, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("アルムナイを探す", "Find alumni");
        var outcome = await search.HandleAsync(values.ToJson(SearchFields), actor.Id, cancellationToken);
        if (outcome is AdminOutcome<AlumniSearchPage>.Invalid invalid)
        {
            return view.Render(StatusCodes.Status400BadRequest, title, SearchForm(view, values) + ConsolePage.Errors(view, invalid.Errors));
        }

        var results = ((AdminOutcome<AlumniSearchPage>.Done)outcome).Value;
        var rows = string.Concat(results.Items.Select(a => $"""
            <tr><td><a href="{ConsolePage.Root}/alumni/{E(a.Id)}">{E(a.FamilyName)} {E(a.GivenName)}</a></td><td>{E(a.PersonalEmail)}</td>
            <td>{E(a.Department)}</td><td>{StatusLabel(view, a.Status)}</td><td>{a.LastWorkingDay:yyyy-MM-dd}</td><td>{E(a.EmployeeId)}</td></tr>
            """));
        string PageButton(int number, string label) => $"""
            <form method="post" action="{ConsolePage.Root}/alumni" class="inline">{ConsoleForms.TokenField(context)}
            {string.Concat(SearchFields.Where(f => f.Name != AlumniSearchBody.PageField).Select(f => $"""<input type="hidden" name="{f.Name}" value="{E(values[f.Name])}">"""))}
            <input type="hidden" name="{AlumniSearchBody.PageField}" value="{number.ToString(CultureInfo.InvariantCulture)}"><button type="submit" class="link">{label}</button></form>
            """;
        var paging = string.Join(" ", new[]
        {
            results.Page > 1 ? PageButton(results.Page - 1, view.T("前の100件", "Previous 100")) : null,
            results.NextPage is { } next ? PageButton(next, view.T("次の100件", "Next 100")) : null,
        }.OfType<string>());
        return view.Render(StatusCodes.Status200OK, title, $"""
            {SearchForm(view, values)}
            <p><a href="{ConsolePage.Root}/alumni/export.csv" download>{view.T("全員を CSV でダウンロード", "Download everyone as CSV")}</a>
            <span class="secondary">{view.T("(ダウンロードは監査ログに記録されます)", "(downloads are recorded in the audit log)")}</span></p>
            <table><caption>{view.T($"検索結果 {results.Page} ページ目: {results.Items.Count} 件", $"Results, page {results.Page}: {results.Items.Count}")}</caption>
            <thead><tr><th scope="col">{view.T("氏名", "Name")}</th><th scope="col">{view.T("個人メール", "Personal email")}</th><th scope="col">{view.T("部署", "Department")}</th>
            <th scope="col">{view.T("状態", "Status")}</th><th scope="col">{view.T("最終出社日", "Last working day")}</th><th scope="col">{view.T("社員番号", "Employee id")}</th></tr></thead>
            <tbody>{rows}</tbody></table>
            <div>{paging}</div>
            """);
    }

    private static string SearchForm(ConsoleView view, ConsoleFormValues values) => $"""
        <h1>{view.T("アルムナイを探す", "Find alumni")}</h1>
        <form method="post" action="{ConsolePage.Root}/alumni" role="search">
        {ConsoleForms.TokenField(view.Context)}
        <p><label>{view.T("氏名またはメール", "Name or email")} <input type="search" name="{AlumniSearchBody.QField}" value="{E(values[AlumniSearchBody.QField])}" maxlength="{AlumniSearchCriteria.MaxTextLength}"></label>
        <label>{view.T("部署", "Department")} <input type="text" name="{AlumniSearchBody.DepartmentField}" value="{E(values[AlumniSearchBody.DepartmentField])}" maxlength="{AlumniSearchCriteria.MaxTextLength}"></label></p>
        <p><label>{view.T("状態", "Status")} <select name="{AlumniSearchBody.StatusField}"><option value="">{view.T("すべて", "Any")}</option>
        {string.Concat(Enum.GetNames<AlumnusStatus>().Select(s => Option(s, StatusLabel(view, s), values[AlumniSearchBody.StatusField])))}</select></label>
        <label>{view.T("同意している目的", "Consents to")} <select name="{AlumniSearchBody.ConsentField}"><option value="">{view.T("指定しない", "Any")}</option>
        {string.Concat(ConsentPurposes.All.Select(p => Option(p.ToString(), AlumniPage.PurposeLabel(p, view.Locale), values[AlumniSearchBody.ConsentField])))}</select></label>
        <button type="submit">{view.T("検索", "Search")}</button></p>
        </form>
        """;

    private static async Task<IResult> PersonAsync(
        HttpContext context, string id, string? saved, AdminActor actor, GetAlumnusDetails details, SurveyRecords surveys, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await details.HandleAsync(id, actor.Id, cancellationToken) is not AdminOutcome<AlumnusDetails>.Done { Value: var a })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var name = $"{a.FamilyName} {a.GivenName}";
        var savedNote = saved == "flags" ? $"""<p class="status" role="status">{view.T("フラグを保存しました。", "The flags are saved.")}</p>""" : "";
        return view.Render(StatusCodes.Status200OK, name, $"""
            <p><a href="{ConsolePage.Root}/alumni">{view.T("← 検索に戻る", "← Back to search")}</a></p>
            <h1>{E(name)}</h1>
            {savedNote}
            <table><caption>{view.T("基本情報", "Record")}</caption><tbody>
            {Row(view.T("個人メール", "Personal email"), E(a.PersonalEmail))}
            {Row(view.T("社員番号", "Employee id"), E(a.EmployeeId))}
            {Row(view.T("部署・役職", "Department and title"), $"{E(a.Department)} / {E(a.JobTitle)}")}
            {Row(view.T("入社日・最終出社日", "Hired and last working day"), $"{a.HireDate:yyyy-MM-dd} / {a.LastWorkingDay:yyyy-MM-dd}")}
            {Row(view.T("退職理由", "Reason for leaving"), E(a.Reason))}
            {Row(view.T("状態", "Status"), StatusLabel(view, a.Status))}
            {Row(view.T("言語", "Language"), E(a.Locale))}
            {Row(view.T("記録・招待・参加", "Recorded, invited, joined"), $"{ConsolePage.Instant(a.RecordedAt)} / {ConsolePage.Instant(a.InvitedAt)} / {ConsolePage.Instant(a.JoinedAt)}")}
            {Conflicts.ConflictsArea.FlagRow(view, a.ConflictOfInterest)}
            {WithdrawalRow(view, a.DepartureWithdrawnAt)}
            </tbody></table>
            {FlagsForm(view, a)}
            <h2>{view.T("社員に公開しているプロフィール", "Profile as shared with employees")}</h2>
            {(a.SharedProfile.Count == 0
                ? $"<p>{view.T("社員に公開している項目はありません。", "Nothing is shared with employees.")}</p>"
                : ConsolePage.Table(view.T("社員に公開している項目", "Fields shared with employees"), [view.T("項目", "Field"), view.T("内容", "Value")], a.SharedProfile.Select(f => new[] { E(f.Field), E(f.Value) })))}
            <h2>{view.T("同意", "Consent")}</h2>
            {ConsolePage.Table(view.T("現在の同意", "Consent now"), [view.T("目的", "Purpose"), view.T("同意", "Granted")],
                a.CurrentConsent.Select(c => new[] { PurposeName(view, c.Purpose), YesNo(view, c.Granted) }))}
            {ConsolePage.Table(view.T("同意の履歴 (古い順)", "Consent history (oldest first)"), [view.T("日時", "When"), view.T("目的", "Purpose"), view.T("同意・撤回", "Given or withdrawn"), view.T("方法", "How"), view.T("文言の版", "Wording version")],
                a.Consents.Select(c => new[] { ConsolePage.Instant(c.At), PurposeName(view, c.Purpose), c.Granted ? view.T("同意", "Given") : view.T("撤回", "Withdrawn"), E(c.Method), E(c.WordingVersion) }))}
            <h2>{view.T("配信の判断 (過去1年)", "Outreach decisions (last year)")}</h2>
            {ConsolePage.Table(view.T("配信の判断と理由 (新しい順)", "Decisions and reasons (newest first)"), [view.T("日時", "When"), view.T("キャンペーン", "Campaign"), view.T("目的", "Purpose"), view.T("送信", "Sent"), view.T("理由", "Reason")],
                a.OutreachDecisions.Select(d => new[] { ConsolePage.Instant(d.At), E(d.Campaign), d.Purpose is null ? view.T("連絡事項", "transactional") : PurposeName(view, d.Purpose), YesNo(view, d.Allowed), E(d.Reason) }))}
            <h2>{view.T("送信したメール", "Emails sent")}</h2>
            {ConsolePage.Table(view.T("送信したメール (新しい順)", "Emails sent (newest first)"), [view.T("日時", "When"), view.T("キャンペーン", "Campaign")], a.Sends.Select(s => new[] { ConsolePage.Instant(s.SentAt), E(s.Campaign) }))}
            {SurveysArea.AttributedAnswers(view, await surveys.AttributedAnswersAsync(AlumnusId.Parse(a.Id), cancellationToken))}
            """);
    }

    /// <summary>The hidden fields that carry back the flags as the form showed them, so only what the admin changed is set.</summary>
    private const string ShownRehireEligibleField = "shown." + FlagChanges.RehireEligibleField;

    private const string ShownDoNotContactField = "shown." + FlagChanges.DoNotContactField;

    /// <summary>HR withdrew the departure of someone already invited or joined (ADR 0041): the record waits for an admin's decision.</summary>
    private static string WithdrawalRow(ConsoleView view, DateTimeOffset? withdrawnAt) => withdrawnAt is null ? "" : $"""
        <tr><th scope="row"><span class="badge">{view.T("人事のみ", "HR only")}</span> {view.T("退職の取り消し", "Departure withdrawn")}</th>
        <td>{view.T("人事が退職を取り消しました", "HR withdrew the departure")} ({ConsolePage.Instant(withdrawnAt)}) — {view.T("招待済みまたは参加済みのため記録は残しています。連絡停止や削除を判断してください。", "the record is kept because the person was invited or joined; decide on do-not-contact or erasure.")}</td></tr>
        """;

    private static string FlagsForm(ConsoleView view, AlumnusDetails a)
    {
        string Radio(string name, string value, string label, bool isChecked) =>
            $"""<label><input type="radio" name="{name}" value="{value}"{(isChecked ? " checked" : "")}> {label}</label>""";
        return $"""
            <section class="hr-only" aria-labelledby="hr-only-title">
            <h2 id="hr-only-title"><span class="badge">{view.T("人事のみ", "HR only")}</span> {view.T("フラグ", "Flags")}</h2>
            <p>{view.T("これらのフラグは本人には一切表示されません。", "These flags are never shown to the alumnus.")}</p>
            <form method="post" action="{ConsolePage.Root}/alumni/{E(a.Id)}/flags">
            {ConsoleForms.TokenField(view.Context)}
            <input type="hidden" name="{ShownRehireEligibleField}" value="{FlagValue(a.RehireEligible)}">
            <input type="hidden" name="{ShownDoNotContactField}" value="{FlagValue(a.DoNotContact)}">
            <fieldset><legend>{view.T("再雇用の可否", "Eligible for rehire")}</legend>
            {Radio("rehireEligible", "true", view.T("可", "Yes"), a.RehireEligible == true)}
            {Radio("rehireEligible", "false", view.T("不可", "No"), a.RehireEligible == false)}
            {Radio("rehireEligible", "unknown", view.T("未確認", "Unknown"), a.RehireEligible is null)}
            </fieldset>
            <fieldset><legend>{view.T("連絡停止 (メールを一切送らない)", "Do not contact (no email of any kind)")}</legend>
            {Radio("doNotContact", "true", view.T("停止する", "Yes"), a.DoNotContact)}
            {Radio("doNotContact", "false", view.T("停止しない", "No"), !a.DoNotContact)}
            </fieldset>
            <p><button type="submit">{view.T("フラグを保存", "Save flags")}</button></p>
            </form>
            </section>
            """;
    }

    /// <summary>
    /// The form posts both flags as chosen and both as shown; only the ones the admin changed are set, and only while they
    /// still hold the shown value (<see cref="FlagChanges.Edited"/>), so another admin's or the HR system's change since
    /// the page was loaded is never silently undone.
    /// </summary>
    private static async Task<IResult> SetFlagsAsync(IFormCollection form, HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var view = await ConsoleView.ForAsync(context);
        var errors = new List<FieldError>();
        var rehire = ReadFlag(form, FlagChanges.RehireEligibleField, allowsUnknown: true, errors);
        var doNotContact = ReadFlag(form, FlagChanges.DoNotContactField, allowsUnknown: false, errors);
        var shownRehire = ReadFlag(form, ShownRehireEligibleField, allowsUnknown: true, errors);
        var shownDoNotContact = ReadFlag(form, ShownDoNotContactField, allowsUnknown: false, errors);
        if (errors.Count > 0)
        {
            return ConsolePage.Invalid(view, errors, view.T("フラグを保存できません", "The flags were not saved"));
        }

        var flags = context.RequestServices.GetRequiredService<Core.Admin.SetAlumnusFlags>();
        var actor = AdminActor.IdOf(context.User)!;
        var changes = FlagChanges.Edited(new AlumnusFlags(shownRehire, shownDoNotContact!.Value), rehire, doNotContact!.Value);
        return await flags.HandleAsync(id, changes, actor, context.RequestAborted) switch
        {
            AdminOutcome<AlumnusFlags>.Done => Results.Redirect($"{ConsolePage.Root}/alumni/{id}?saved=flags"),
            AdminOutcome<AlumnusFlags>.Invalid invalid => ConsolePage.Invalid(view, invalid.Errors, view.T("フラグを保存できません", "The flags were not saved")),
            // The erasure's code: a page of its own. Another reason: a flag the admin changed no longer holds the value shown.
            // None: every ETag round was lost to other writes to the record (consent, intake), which say nothing about the flags.
            AdminOutcome<AlumnusFlags>.Conflict { Code: ConflictCode.ErasurePending } => view.Render(StatusCodes.Status409Conflict, view.T("保存できません", "Not saved"), $"""
                <h1>{view.T("フラグを保存できません", "The flags were not saved")}</h1>
                <div class="errors" role="alert"><p>{view.T("この方はご自身のデータの削除を依頼しており、その削除がまだ終わっていません。削除が終わるまで「連絡停止」は解除できません。何も保存していません。",
                    "This person asked for their data to be erased and the erasure is not finished yet. 'Do not contact' cannot be cleared until it is. Nothing was saved.")}</p></div>
                <p><a href="{ConsolePage.Root}/alumni/{E(id)}">{view.T("ページを開き直す", "Reload the page")}</a></p>
                """),
            AdminOutcome<AlumnusFlags>.Conflict { Reason: { } } => ConsoleOutcomes.Stale(view, view.T("フラグを保存できません", "The flags were not saved"), $"{ConsolePage.Root}/alumni/{id}"),
            AdminOutcome<AlumnusFlags>.Conflict => view.Render(StatusCodes.Status409Conflict, view.T("保存できません", "Not saved"), $"""
                <h1>{view.T("フラグを保存できません", "The flags were not saved")}</h1>
                <div class="errors" role="alert"><p>{view.T("この方の記録が他の処理（同意の反映、人事システムからの取り込みなど）で更新中だったため、保存できませんでした。何も保存していません。",
                    "The record was busy with other updates (consent changes, the HR system's intake) and the flags could not be saved. Nothing was saved.")}</p>
                <p>{view.T("少し待ってから、もう一度保存してください。", "Wait a moment, then try again.")}</p></div>
                <p><a href="{ConsolePage.Root}/alumni/{E(id)}">{view.T("ページを開き直す", "Reload the page")}</a></p>
                """),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    private static string FlagValue(bool? value) => value switch { true => "true", false => "false", null => "unknown" };

    /// <summary>A flag posted as <c>true</c>, <c>false</c> or (where allowed) <c>unknown</c>; anything else is an error naming the field.</summary>
    private static bool? ReadFlag(IFormCollection form, string field, bool allowsUnknown, List<FieldError> errors)
    {
        switch (form[field].ToString())
        {
            case "true":
                return true;
            case "false":
                return false;
            case "unknown" when allowsUnknown:
                return null;
            default:
                errors.Add(new FieldError(field, allowsUnknown ? "must be true, false or unknown" : "must be true or false"));
                return null;
        }
    }

    public static string StatusLabel(ConsoleView view, string status) => status switch
    {
        nameof(AlumnusStatus.Departed) => view.T("退職済み (未招待)", "Departed (not yet invited)"),
        nameof(AlumnusStatus.Invited) => view.T("招待済み", "Invited"),
        nameof(AlumnusStatus.Joined) => view.T("参加", "Joined"),
        nameof(AlumnusStatus.Returned) => view.T("再入社", "Returned"),
        _ => E(status),
    };

    private static string PurposeName(ConsoleView view, string purpose) =>
        Enum.TryParse<ConsentPurpose>(purpose, out var p) && Enum.IsDefined(p) ? AlumniPage.PurposeLabel(p, view.Locale) : E(purpose);

    private static string YesNo(ConsoleView view, bool value) => value ? view.T("はい", "Yes") : view.T("いいえ", "No");

    private static string Row(string header, string valueHtml) => $"""<tr><th scope="row">{header}</th><td>{valueHtml}</td></tr>""";

    private static string Option(string value, string label, string? selected) =>
        $"""<option value="{E(value)}"{(string.Equals(value, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{label}</option>""";
}
