using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.PublishCollaborationCard;
using AlumniNetwork.Functions.Hosting.Security;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Collaboration;

/// <summary>
/// Collaboration cards for the alumni team: the directory of every card (search by industry, skills, location and offer,
/// or by status: the review queue), one card with the requests its alumnus received, and the review (approve, or reject
/// with the reason the alumnus sees). Searches are audited with the alumni they show; reviews are audited.
/// </summary>
public sealed class CollaborationArea : IConsoleArea
{
    public string Segment => "collaboration";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 20;

    public string Label(Locale locale) => AlumniPage.T(locale, "協業", "Collaboration");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", SearchAsync);
        area.MapGet("/{id:length(32)}", CardAsync);
        area.MapConsoleForm("/{id:length(32)}/review", ReviewAsync);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, string? industry, string? skills, string? location, string? offer, string? status,
        string? after, AdminActor actor, Core.Collaboration.CollaborationDirectory directory, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var query = new DirectoryQuery(industry, skills, location, offer, status);
        var title = view.T("協業カード", "Collaboration cards");
        var outcome = await directory.SearchForAdminAsync(query, after, actor.Id, cancellationToken);
        if (outcome is not AdminOutcome<DirectoryPage>.Done { Value: var page })
        {
            var errors = outcome is AdminOutcome<DirectoryPage>.Invalid invalid ? invalid.Errors : [];
            return view.Render(StatusCodes.Status400BadRequest, title, SearchForm(view, query) + ConsolePage.Errors(view, errors));
        }

        var rows = page.Cards.Select(c => new[]
        {
            $"""<a href="{ConsolePage.Root}/collaboration/{E(c.AlumnusId.Value)}">{E(c.FamilyName)} {E(c.GivenName)}</a>""",
            E(c.ValueOf(CardField.Company)), E(CardLabels.Industry(c.Industry, view.Locale)), E(Shorten(c.ValueOf(CardField.Offer))),
            StatusLabel(view, c.Status), Audience(view, c), c.RequestsPaused ? view.T("停止中", "Paused") : "",
        });
        return view.Render(StatusCodes.Status200OK, title, $"""
            {SearchForm(view, query)}
            <p class="secondary">{view.T("検索は監査ログに記録されます。", "Searches are recorded in the audit log.")}</p>
            {ConsolePage.Table(view.T($"このページに {page.Cards.Count} 件", $"{page.Cards.Count} cards on this page"),
                [view.T("氏名", "Name"), view.T("所属", "Company"), view.T("業界", "Industry"), view.T("提供できること", "Offer"), view.T("状態", "Status"),
                    view.T("公開範囲", "Shown to"), view.T("依頼", "Requests")], rows)}
            {Pages(view, query, page)}
            """);
    }

    /// <summary>Links to the first page (when this is not it) and the next (when there is one), keeping the search.</summary>
    private static string Pages(ConsoleView view, DirectoryQuery q, DirectoryPage page)
    {
        string Link(string? after) => $"{ConsolePage.Root}/collaboration?" +
            ConsolePage.Query(("status", q.Status), ("industry", q.Industry), ("skills", q.Skills), ("location", q.Location), ("offer", q.Offer), ("after", after));
        return ConsolePage.PageLinks(view, page.After is not null, page.Next, Link);
    }

    private static async Task<IResult> CardAsync(HttpContext context, string id, string? saved, AdminActor actor, Core.Collaboration.CollaborationDirectory directory,
        CancellationToken cancellationToken)
    {
        if (await directory.ReadAsync(id, actor.Id, cancellationToken) is not AdminOutcome<CardDetails>.Done { Value: var (card, requests) })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var alumnusId = card.AlumnusId;
        var view = await ConsoleView.ForAsync(context);
        var fields = Enum.GetValues<CardField>().Select(f => new[] { E(CardLabels.Field(f, view.Locale)), $"""<span style="white-space: pre-line;">{E(card.ValueOf(f))}</span>""" })
            .Append([view.T("業界", "Industry"), E(CardLabels.Industry(card.Industry, view.Locale))])
            .Append([view.T("公開範囲", "Shown to"), Audience(view, card)])
            .Append([view.T("状態", "Status"), StatusLabel(view, card.Status) + (card.RejectionReason is { } reason ? $": {E(reason)}" : "")]);
        return view.Render(StatusCodes.Status200OK, $"{card.FamilyName} {card.GivenName}", $"""
            <p><a href="{ConsolePage.Root}/collaboration">{view.T("← 協業カードの一覧", "← All collaboration cards")}</a></p>
            <h1>{E(card.FamilyName)} {E(card.GivenName)}</h1>
            {(saved == "review" ? $"""<p class="status" role="status">{view.T("確認結果を保存しました。", "The review is saved.")}</p>""" : "")}
            <p><a href="{ConsolePage.Root}/alumni/{E(alumnusId.Value)}">{view.T("アルムナイの詳細", "The alumnus's record")}</a></p>
            {ConsolePage.Table(view.T("協業カード", "Collaboration card"), [view.T("項目", "Field"), view.T("内容", "Value")], fields)}
            {(card.Status == CardStatus.PendingReview ? ReviewForm(view, alumnusId.Value, RecordVersion.Of(card.SubmittedAt), null) : "")}
            {ConsolePage.Table(view.T("受け取った協業のご依頼（新しい順）", "Collaboration requests received (newest first)"),
                [view.T("日時", "When"), view.T("依頼者", "Requester"), view.T("機密", "Confidentiality"), view.T("状態", "Status")],
                requests.Select(r => new[] { ConsolePage.Instant(r.CreatedAt), $"{E(r.RequesterName)} ({E(r.RequesterDepartment)})", E(r.Confidentiality.ToString()), E(r.Status.ToString()) + (r.Outcome is { } o ? $": {E(o)}" : "") }))}
            """);
    }

    private static async Task<IResult> ReviewAsync(IFormCollection form, HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("確認結果を保存できませんでした", "The review was not saved");
        if (!ConsoleOutcomes.TryPostedVersion(view, form, title, out var seen, out var refused))
        {
            return refused;
        }

        var moderate = context.RequestServices.GetRequiredService<ModerateCards>();
        var review = new CardReview(form[CardReview.DecisionField], form[CardReview.ReasonField]);
        return await moderate.ReviewAsync(id, review, seen, ConsoleOutcomes.Actor(context), context.RequestAborted) switch
        {
            AdminOutcome<Core.Collaboration.CollaborationCard>.Done => Results.Redirect($"{ConsolePage.Root}/collaboration/{id}?saved=review"),
            AdminOutcome<Core.Collaboration.CollaborationCard>.Stale => ConsoleOutcomes.Stale(view, title, $"{ConsolePage.Root}/collaboration/{id}"),
            AdminOutcome<Core.Collaboration.CollaborationCard>.Invalid invalid => Refused(view, title, invalid.Errors, id, seen, review.Reason),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }

    private static string SearchForm(ConsoleView view, DirectoryQuery q)
    {
        string Select<T>(string name, string? selected, Func<T, string> label)
            where T : struct, Enum =>
            $"""<select name="{name}"><option value="">{view.T("すべて", "Any")}</option>{string.Concat(Enum.GetValues<T>().Select(v =>
                $"""<option value="{v}"{(selected == v.ToString() ? " selected" : "")}>{E(label(v))}</option>"""))}</select>""";
        string Text(string name, string? value) => $"""<input type="search" name="{name}" value="{E(value)}" maxlength="{DirectoryQuery.MaxTextLength}">""";
        return $"""
            <h1>{view.T("協業カード", "Collaboration cards")}</h1>
            <form method="get" action="{ConsolePage.Root}/collaboration" role="search">
            <p><label>{view.T("状態", "Status")} {Select<CardStatus>("status", q.Status, s => StatusText(view, s))}</label>
            <label>{view.T("業界", "Industry")} {Select<Industry>("industry", q.Industry, i => CardLabels.Industry(i, view.Locale))}</label></p>
            <p><label>{view.T("スキル", "Skills")} {Text("skills", q.Skills)}</label>
            <label>{view.T("所在地", "Location")} {Text("location", q.Location)}</label>
            <label>{view.T("提供できること", "Offer")} {Text("offer", q.Offer)}</label>
            <button type="submit">{view.T("検索", "Search")}</button></p>
            </form>
            """;
    }

    /// <summary>
    /// The review form again, with the reason as typed and the version the officer reviewed, so a refusal never costs them
    /// their text, and a card submitted again meanwhile is still refused as stale.
    /// </summary>
    private static IResult Refused(ConsoleView view, string title, IReadOnlyList<Core.Validation.FieldError> errors, string id, RecordVersion seen, string? reason) =>
        view.Render(StatusCodes.Status400BadRequest, title, $"""
            <h1>{E(title)}</h1>
            {ConsolePage.Errors(view, errors)}
            {ReviewForm(view, id, seen, reason)}
            <p><a href="{ConsolePage.Root}/collaboration/{E(id)}">{view.T("カードに戻る", "Back to the card")}</a></p>
            """);

    /// <param name="version">The submission reviewed (<see cref="RecordVersion"/> of its <c>SubmittedAt</c>).</param>
    /// <param name="reason">The reason as typed, when the form comes back refused; null on the card's page.</param>
    private static string ReviewForm(ConsoleView view, string alumnusId, RecordVersion version, string? reason) => $"""
        <section class="hr-only">
        <h2>{view.T("掲載前の確認", "Review before listing")}</h2>
        <form method="post" action="{ConsolePage.Root}/collaboration/{E(alumnusId)}/review">
        {ConsoleForms.TokenField(view.Context)}
        {ConsoleForms.VersionField(version.ToString())}
        <p><label>{view.T("掲載しない理由（本人に表示されます）", "Reason if not listed (shown to the alumnus)")}<br>
        <textarea name="{CardReview.ReasonField}" rows="3" cols="60" maxlength="{CardReview.MaxReasonLength}">{E(reason)}</textarea></label></p>
        <p><button type="submit" name="{CardReview.DecisionField}" value="approve">{view.T("掲載する", "Approve and list")}</button>
        <button type="submit" name="{CardReview.DecisionField}" value="reject">{view.T("掲載しない", "Reject")}</button></p>
        </form>
        </section>
        """;

    private static string StatusLabel(ConsoleView view, CardStatus status) => E(StatusText(view, status));

    private static string StatusText(ConsoleView view, CardStatus status) => status switch
    {
        CardStatus.PendingReview => view.T("確認待ち", "Awaiting review"),
        CardStatus.Listed => view.T("掲載中", "Listed"),
        _ => view.T("掲載せず", "Rejected"),
    };

    private static string Audience(ConsoleView view, Core.Collaboration.CollaborationCard c) => string.Join(", ", new[]
    {
        c.VisibleToMembers ? view.T("メンバー", "members") : null,
        c.VisibleToEmployees ? view.T("現役社員", "employees") : null,
    }.OfType<string>());

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
