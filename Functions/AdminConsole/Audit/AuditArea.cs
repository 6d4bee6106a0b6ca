using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Security;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Audit;

/// <summary>The audit log, filtered by actor, action and period, through the same use case as the JSON API (reading it is audited too).</summary>
public sealed class AuditArea : IConsoleArea
{
    public string Segment => "audit";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 90;

    public string Label(Locale locale) => AlumniPage.T(locale, "監査ログ", "Audit log");

    public void Map(RouteGroupBuilder area) => area.MapGet("", QueryAsync);

    private static async Task<IResult> QueryAsync(
        HttpContext context, string? from, string? to, string? actor, string? action, string? limit, string? cursor, AdminActor admin, Core.Admin.QueryAuditLog query, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        // A date picked as "to" means the whole of that day, its last second included.
        var until = to is { Length: 10 } ? to + "T23:59:59.9999999Z" : to;
        var outcome = await query.HandleAsync(new AuditQueryRequest(from, until, limit, actor, action, cursor), admin.Id, cancellationToken);
        var form = Form(view, from, to, actor, action);
        if (outcome is AdminOutcome<AuditLogPage>.Invalid invalid)
        {
            return view.Render(StatusCodes.Status400BadRequest, view.T("監査ログ", "Audit log"), form + ConsolePage.Errors(view, invalid.Errors));
        }

        var page = ((AdminOutcome<AuditLogPage>.Done)outcome).Value;
        var rows = page.Entries.Select(e => new[]
        {
            ConsolePage.Instant(e.At), E(e.Actor), E(e.Action),
            AlumnusId.TryParse(e.Subject, out var subject) ? $"""<a href="{ConsolePage.Root}/alumni/{subject.Value}">{subject.Value}</a>""" : E(e.Subject),
            E(e.Detail),
        });
        var caption = view.T(
            $"{page.From.UtcDateTime:yyyy-MM-dd HH:mm} から {page.To.UtcDateTime:yyyy-MM-dd HH:mm} (UTC) まで、新しい順に {page.Entries.Count} 件",
            $"{page.Entries.Count} entries from {page.From.UtcDateTime:yyyy-MM-dd HH:mm} to {page.To.UtcDateTime:yyyy-MM-dd HH:mm} (UTC), newest first");
        return view.Render(StatusCodes.Status200OK, view.T("監査ログ", "Audit log"), form + ConsolePage.Table(caption,
            [view.T("日時", "When"), view.T("操作者", "Actor"), view.T("操作", "Action"), view.T("対象", "Subject"), view.T("詳細", "Detail")], rows)
            + Older(view, page, actor, action, limit));
    }

    /// <summary>
    /// The link to the entries past this page: the same query, continued from the page's cursor. It names the range this
    /// page resolved, not the one asked for: a range left to its default moves with the clock between page loads.
    /// </summary>
    private static string Older(ConsoleView view, AuditLogPage page, string? actor, string? action, string? limit)
    {
        if (page.Next is not { } next)
        {
            return "";
        }

        var query = QueryString.Create(new[] { ("from", page.From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("to", page.To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)), ("actor", actor), ("action", action), ("limit", limit), ("cursor", next) }
            .Where(p => !string.IsNullOrEmpty(p.Item2))
            .Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2)));
        return $"""<p><a href="{ConsolePage.Root}/audit{E(query.ToUriComponent())}" rel="next">{view.T("古い記録", "Older entries")}</a></p>""";
    }

    private static string Form(ConsoleView view, string? from, string? to, string? actor, string? action) => $"""
        <h1>{view.T("監査ログ", "Audit log")}</h1>
        <form method="get" action="{ConsolePage.Root}/audit" role="search">
        <p><label>{view.T("開始日", "From")} <input type="date" name="from" value="{E(DayOf(from))}"></label>
        <label>{view.T("終了日", "To")} <input type="date" name="to" value="{E(DayOf(to))}"></label></p>
        <p><label>{view.T("操作者 (ID)", "Actor (id)")} <input type="text" name="actor" value="{E(actor)}" maxlength="{Core.Admin.QueryAuditLog.MaxFilterLength}"></label>
        <label>{view.T("操作", "Action")} <input type="text" name="action" list="audit-actions" value="{E(action)}" maxlength="{Core.Admin.QueryAuditLog.MaxFilterLength}"></label>
        <datalist id="audit-actions">{string.Concat(AdminAuditActions.Known.Select(a => $"""<option value="{E(a)}">"""))}</datalist>
        <button type="submit">{view.T("絞り込む", "Filter")}</button></p>
        <p class="secondary">{view.T(
            string.Create(CultureInfo.InvariantCulture, $"期間を指定しない場合は直近 {Core.Admin.QueryAuditLog.DefaultRange.TotalDays:0} 日間です。"),
            string.Create(CultureInfo.InvariantCulture, $"Without dates, the last {Core.Admin.QueryAuditLog.DefaultRange.TotalDays:0} days."))}</p>
        </form>
        """;

    /// <summary>The day a date field shows: a link past the first page names its range by instants.</summary>
    private static string? DayOf(string? value) => value is { Length: > 10 } ? value[..10] : value;
}
