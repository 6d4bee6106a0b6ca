using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.AdminConsole.Insights;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Surveys;

/// <summary>
/// Survey results: the list of surveys, each survey's report (response rate, eNPS, each question's distribution and mean,
/// the trend across waves, breakdowns by cohort, one cohort filter at a time), its free-text answers and a CSV of the
/// aggregates. Everything comes from <see cref="SurveyResults"/>, which suppresses every group under the survey's
/// threshold and every group subtraction would reveal, so the area is open to viewers: aggregates only, no person.
/// Charts are server-drawn SVG with a text alternative, every value printed, and the same figures as a table.
/// </summary>
public sealed class SurveysArea : IConsoleArea
{
    public string Segment => "surveys";

    public AdminCapability Capability => AdminCapability.Insights;

    public int Order => 55;

    public string Label(Locale locale) => AlumniPage.T(locale, "アンケート結果", "Survey results");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", ListAsync);
        area.MapGet("/{id:length(32)}", ReportAsync);
        area.MapGet("/{id:length(32)}/results.csv", CsvAsync);
        area.MapGet("/{id:length(32)}/comments", CommentsAsync);
    }

    /// <summary>A person's answers to attributed surveys, for their page (anonymous answers are nobody's).</summary>
    public static string AttributedAnswers(ConsoleView view, IReadOnlyList<AttributedAnswer> answers) => $"""
        <h2>{view.T("記名式アンケートへの回答", "Answers to attributed surveys")}</h2>
        {ConsolePage.Table(view.T("記名式アンケートへの回答 (本人同意のもの)", "Answers to attributed surveys (given with consent)"),
            [view.T("アンケート", "Survey"), view.T("版・回", "Version, wave"), view.T("回答日時", "Answered"), view.T("回答", "Answers")],
            answers.Select(a => new[]
            {
                E(a.Content?.Title.In(view.Locale) ?? a.SurveyId), E($"{a.Response.Wave.Version} / {a.Response.Wave.Wave}"), ConsolePage.Instant(a.Response.AnsweredAt),
                string.Join("<br>", a.Response.Answers.Values.Select(v => a.Content?.Question(v.Key) is { } q
                    ? $"{E(q.Text.In(view.Locale))}: {E(string.Join(", ", v.Value.Select(x => SurveyReport.LabelOf(q, x).In(view.Locale))))}"
                    : E($"{v.Key}: {string.Join(", ", v.Value)}"))),
            }))}
        """;

    private static async Task<IResult> ListAsync(HttpContext context, ManageSurveys surveys, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("アンケート結果", "Survey results");
        var rows = (await surveys.ListAsync(cancellationToken)).Select(s => (IReadOnlyList<string>)
        [
            s.Version > 0 ? $"""<a href="{ConsolePage.Root}/surveys/{E(s.Id)}">{E((s.Current ?? s.Draft)!.Title.In(view.Locale))}</a>""" : E((s.Current ?? s.Draft)!.Title.In(view.Locale)),
            E(StatusLabel(view, s.Status)), E(ModeLabel(view, s.Mode)), s.Version.ToString(CultureInfo.InvariantCulture), ConsolePage.Instant(s.PublishedAt),
        ]);
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{title}</h1>
            {ConsolePage.Table(view.T("アンケート", "Surveys"), [view.T("タイトル", "Title"), view.T("状態", "Status"), view.T("方式", "Mode"), view.T("版", "Version"), view.T("公開", "Published")], rows)}
            """);
    }

    private static async Task<IResult> ReportAsync(
        HttpContext context, string id, string? version, string? wave, string? by, string? value, SurveyResults results, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await LoadAsync(view, id, version, wave, by, value, results, cancellationToken) is not { } r)
        {
            return await ProblemAsync(context, view, id, version, wave, by, value, results, cancellationToken);
        }

        var l = view.Locale;
        var title = r.Title.In(l);
        var query = Query(r.Query);
        var questions = string.Concat(r.Selected.Questions.Select((q, i) => QuestionSection(view, r, q, i + 1)));
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{E(title)}</h1>
            <p>{E(ModeLabel(view, r.Mode))} · {E(StatusLabel(view, r.Status))} · {view.T($"第{r.Version}版", $"Version {r.Version}")}</p>
            <p class="secondary">{view.T($"回答が{r.K}件未満の集団、および差し引きで{r.K}件未満の集団が分かってしまう数値は表示しません。",
                $"No figure is shown for a group of fewer than {r.K} answers, nor any figure that would reveal such a group by subtraction.")}</p>
            {Released(view, r)}
            {Filters(view, r)}
            {Summary(view, r)}
            <p><a href="{ConsolePage.Root}/surveys/{E(r.SurveyId)}/results.csv{(query.Length == 0 ? "" : "?" + query)}" download>{view.T("集計を CSV でダウンロード", "Download the aggregates as CSV")}</a></p>
            {Trend(view, r)}
            {(r.WaveHidden ? HiddenWave(view, r) : questions + string.Concat(r.Breakdowns.Select(b => BreakdownSection(view, r, b))))}
            """);
    }

    private static async Task<IResult> CsvAsync(
        HttpContext context, string id, string? version, string? wave, string? by, string? value, SurveyResults results, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await LoadAsync(view, id, version, wave, by, value, results, cancellationToken) is not { } r)
        {
            return await ProblemAsync(context, view, id, version, wave, by, value, results, cancellationToken);
        }

        // UTF-8 with a byte order mark, so Excel reads the Japanese labels.
        return Results.Text("\uFEFF" + SurveyResults.Csv(r, view.Locale), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> CommentsAsync(
        HttpContext context, string id, string? version, string? wave, string? by, string? value, string? question, string? after, SurveyResults results,
        CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var (query, errors) = ResultsQuery.Parse(version, wave, by, value);
        var outcome = query is null ? new AdminOutcome<CommentsView>.Invalid(errors) : await results.CommentsAsync(id, query, question, after, cancellationToken);
        switch (outcome)
        {
            case AdminOutcome<CommentsView>.Invalid invalid:
                return ConsolePage.Invalid(view, invalid.Errors, view.T("表示できません", "Cannot show this"));
            case AdminOutcome<CommentsView>.Done { Value: var comments }:
                var l = view.Locale;
                var back = $"{ConsolePage.Root}/surveys/{E(comments.Results.SurveyId)}{(Query(comments.Results.Query) is { Length: > 0 } q ? "?" + q : "")}";
                var title = view.T("自由記述の回答", "Free-text answers");
                var body = comments.Suppressed
                    ? $"<p role=\"status\">{view.T($"この集団の回答は{comments.Results.K}件未満のため表示しません。", $"Fewer than {comments.Results.K} answers in this group: none are shown.")}</p>"
                    : $"""
                        <p>{view.T($"{comments.Total}件 (このページに{comments.Texts.Count}件、順序は回答順ではありません)", $"{comments.Total} answers ({comments.Texts.Count} on this page, in no particular order)")}</p>
                        <ul>{string.Concat(comments.Texts.Select(t => $"<li style=\"white-space: pre-line;\">{E(t)}</li>"))}</ul>
                        {CommentPages(view, comments)}
                        """;
                return view.Render(StatusCodes.Status200OK, title, $"""
                    <h1>{title}</h1>
                    <p><strong>{E(comments.Question.Text.In(l))}</strong> · {E(comments.Results.Title.In(l))} · {E(FilterLabel(view, comments.Results.Query))}</p>
                    {body}
                    <p><a href="{back}">{view.T("レポートに戻る", "Back to the report")}</a></p>
                    """);
            default:
                return await ProblemAsync(context, view, id, version, wave, by, value, results, cancellationToken);
        }
    }

    /// <summary>Links to the first page (when this is not it) and the next (when this one is full).</summary>
    private static string CommentPages(ConsoleView view, CommentsView c)
    {
        string Link(string? after) => $"{ConsolePage.Root}/surveys/{E(c.Results.SurveyId)}/comments?" +
            ConsolePage.Query(("question", c.Question.Id), ("version", c.Results.Version.ToString(CultureInfo.InvariantCulture)), ("wave", c.Results.Query.Wave),
                ("by", c.Results.Query.Dimension?.ToString()), ("value", c.Results.Query.Value), ("after", after));
        return ConsolePage.PageLinks(view, c.After is not null, c.Next, Link);
    }

    private static async Task<SurveyResultsView?> LoadAsync(
        ConsoleView view, string id, string? version, string? wave, string? by, string? value, SurveyResults results, CancellationToken cancellationToken)
    {
        var (query, _) = ResultsQuery.Parse(version, wave, by, value);
        return query is not null && await results.GetAsync(id, query, cancellationToken) is AdminOutcome<SurveyResultsView>.Done { Value: var r } ? r : null;
    }

    /// <summary>The page for a request that shows no report: a bad query (400), no such survey (404), not yet published (409).</summary>
    private static async Task<IResult> ProblemAsync(
        HttpContext context, ConsoleView view, string id, string? version, string? wave, string? by, string? value, SurveyResults results, CancellationToken cancellationToken)
    {
        var (query, errors) = ResultsQuery.Parse(version, wave, by, value);
        var outcome = query is null ? new AdminOutcome<SurveyResultsView>.Invalid(errors) : await results.GetAsync(id, query, cancellationToken);
        return outcome switch
        {
            AdminOutcome<SurveyResultsView>.Invalid invalid => ConsolePage.Invalid(view, invalid.Errors, view.T("表示できません", "Cannot show this")),
            AdminOutcome<SurveyResultsView>.Conflict => view.Render(StatusCodes.Status409Conflict, view.T("結果はまだありません", "No results yet"),
                $"<h1>{view.T("結果はまだありません", "No results yet")}</h1><p>{view.T("このアンケートはまだ公開されていません。", "This survey is not published yet.")}</p>"),
            _ => await ConsolePage.NotFoundAsync(context),
        };
    }

    /// <summary>When the figures were released and what waits (ADR 0035): why one more answer does not change them.</summary>
    private static string Released(ConsoleView view, SurveyResultsView r)
    {
        if (r.Release is not { } release)
        {
            return "";
        }

        var at = release.ReleasedAt is { } released
            ? view.T($"最終更新: {ConsolePage.Instant(released)}。", $"Last updated {ConsolePage.Instant(released)}.")
            : view.T("まだ一度も更新されていません。", "Not updated yet.");
        return $"""
            <p role="status" class="release">{E(view.T(
                $"集計は回答{release.Step}件ごと (回答の変更は{release.Step}件ごと)、およびアンケートの終了時に更新されます。",
                $"The figures update after every {release.Step} answers (or {release.Step} changed answers) and when the survey closes."))}
            {E(at)} {E(view.T($"次の更新を待つ回答: 新規 {release.Waiting} 件、変更 {release.ChangesWaiting} 件。",
                $"Waiting for the next update: {release.Waiting} new, {release.ChangesWaiting} changed."))}</p>
            """;
    }

    private static string Filters(ConsoleView view, SurveyResultsView r)
    {
        static string Option(string value, string label, string? selected) =>
            $"""<option value="{E(value)}"{(value == selected ? " selected" : "")}>{E(label)}</option>""";
        return $"""
            <form method="get" action="{ConsolePage.Root}/surveys/{E(r.SurveyId)}">
            <p><label>{view.T("版", "Version")} <select name="version">{string.Concat(r.Versions.Select(v => Option(v.ToString(CultureInfo.InvariantCulture), v.ToString(CultureInfo.InvariantCulture), r.Version.ToString(CultureInfo.InvariantCulture))))}</select></label>
            <label>{view.T("回", "Wave")} <select name="wave"><option value="">{view.T("すべての回", "All waves")}</option>{string.Concat(r.Waves.Select(w => Option(w, WaveLabel(view, r.Content, w), r.Query.Wave)))}</select></label></p>
            <p><label>{view.T("絞り込み", "Filter by")} <select name="by"><option value="">{view.T("なし", "None")}</option>{string.Concat(Enum.GetValues<CohortDimension>().Select(d => Option(d.ToString(), DimensionLabel(view, d), r.Query.Dimension?.ToString())))}</select></label>
            <label>{view.T("値", "Value")} <input type="text" name="value" value="{E(r.Query.Value)}" maxlength="100"></label>
            <button type="submit">{view.T("表示", "Show")}</button></p>
            </form>
            <p><strong>{E(FilterLabel(view, r.Query))}</strong></p>
            """;
    }

    private static string Summary(ConsoleView view, SurveyResultsView r)
    {
        string Count(long? n) => n is { } v ? SvgChart.Value(v) : E(view.T($"{r.K}件未満などのため非表示", "Hidden (small group)"));
        var rows = new List<IReadOnlyList<string>> { new[] { E(view.T("回答数", "Responses")), Count(r.Selected.Responses) } };
        if (r.Sent is { } sent)
        {
            rows.Add([E(view.T("依頼数 (送信)", "Asked (emails sent)")), SvgChart.Value(sent)]);
            rows.Add([E(view.T("回答率", "Response rate")), r.ResponseRate is { } rate ? SvgChart.Value(Math.Round(rate * 100, 1)) + "%" : "—"]);
        }

        if (r.Query.IsFiltered)
        {
            rows.Add([E(view.T("全体の回答数 (比較)", "All responses (for comparison)")),
                r.Overall?.Responses is { } all ? SvgChart.Value(all) : E(view.T("差し引きで小さな集団が分かるため非表示", "Hidden: with this group it would reveal a small one"))]);
        }

        return ConsolePage.Table(view.T("概要", "Summary"), [view.T("項目", "Figure"), view.T("値", "Value")], rows);
    }

    private static string Trend(ConsoleView view, SurveyResultsView r)
    {
        if (r.Trend.Count == 0)
        {
            return $"<p>{view.T("まだ回答はありません。", "No answers yet.")}</p>";
        }

        var hidden = view.T("非表示", "hidden");
        var labels = r.Trend.Select(p => WaveLabel(view, r.Content, p.Wave)).ToArray();
        var title = view.T("回ごとの推移", "Trend across waves");
        return $"""
            <section class="dashboard" aria-labelledby="trend-heading"><h2 id="trend-heading">{title}</h2>
            {SvgChart.Bars("trend-rate", view.T("回ごとの回答率", "Response rate by wave"), r.Trend.Select((p, i) => new ChartPoint(labels[i], p.ResponseRate is { } x ? Math.Round(x * 100, 1) : null)).ToArray(), hidden, "%")}
            {(r.Content.EnpsQuestion is null ? "" : SvgChart.Lines("trend-enps", view.T("回ごとの eNPS", "eNPS by wave"), labels, [new ChartSeries("eNPS", r.Trend.Select(p => p.Enps).ToArray())], hidden))}
            {ConsolePage.Table(title, [view.T("回", "Wave"), view.T("回答数", "Responses"), view.T("依頼数", "Asked"), view.T("回答率", "Response rate"), "eNPS"],
                r.Trend.Select((p, i) => (IReadOnlyList<string>)[E(labels[i]), p.Responses is { } n ? SvgChart.Value(n) : E(hidden), p.Sent is { } s ? SvgChart.Value(s) : "—",
                    p.ResponseRate is { } x ? SvgChart.Value(Math.Round(x * 100, 1)) + "%" : "—", p.Enps is { } e ? SvgChart.Value(e) : "—"]))}
            </section>
            """;
    }

    /// <summary>A wave the trend hides has no figures at all: one line says why, where its questions and breakdowns would be.</summary>
    private static string HiddenWave(ConsoleView view, SurveyResultsView r) =>
        $"""<p role="status">{view.T($"この回は回答が少ない (回答が{r.K}件未満、または差し引きで少数の回答が分かる) ため、結果を表示しません。",
            $"This wave has too few responses to show: fewer than {r.K}, or few enough to be revealed by subtraction.")}</p>""";

    private static string QuestionSection(ConsoleView view, SurveyResultsView r, QuestionResult q, int number)
    {
        var l = view.Locale;
        var id = "q-" + q.Question.Id;
        var heading = $"{number}. {q.Question.Text.In(l)}";
        if (q.Suppressed)
        {
            return $"""
                <section class="dashboard" aria-labelledby="{E(id)}-heading"><h2 id="{E(id)}-heading">{E(heading)}</h2>
                <p role="status">{view.T($"この集団の回答が{r.K}件未満、または差し引きで小さな集団が分かるため、表示しません。", $"Not shown: fewer than {r.K} answers in this group, or a small group would be revealed by subtraction.")}</p>
                </section>
                """;
        }

        var figures = new List<IReadOnlyList<string>>
        {
            new[] { E(view.T("回答数", "Answers")), SvgChart.Value(q.Answered!.Value) },
            new[] { E(view.T("回答率 (回答者に対する)", "Answered by (share of respondents)")), q.AnswerRate is { } a ? SvgChart.Value(Math.Round(a * 100, 1)) + "%" : "—" },
        };
        if (q.Mean is { } mean)
        {
            figures.Add([E(view.T("平均", "Mean")), SvgChart.Value(mean)]);
        }

        if (q.Enps is { } enps)
        {
            figures.Add([E(view.T("eNPS (推奨者 9–10 の割合 − 批判者 0–6 の割合)", "eNPS (promoters 9–10 minus detractors 0–6, in points)")), SvgChart.Value(enps)]);
        }

        var distribution = q.Distribution is not { } values ? "" :
            SvgChart.Bars(id + "-chart", view.T($"質問{number}の回答の分布", $"Answers to question {number}"), values.Select(v => new ChartPoint(v.Label.In(l), v.Count)).ToArray(), "") +
            ConsolePage.Table(view.T($"質問{number}の回答の分布", $"Answers to question {number}"), [view.T("回答", "Answer"), view.T("件数", "Count"), view.T("割合", "Share")],
                values.Select(v => (IReadOnlyList<string>)[E(v.Label.In(l)), SvgChart.Value(v.Count), SvgChart.Value(Math.Round(100.0 * v.Count / q.Answered!.Value, 1)) + "%"]));
        // Comments are never listed by group (ADR 0026): a filtered page links to those of its version and wave.
        var ofWave = Query(r.Query with { Dimension = null, Value = null });
        var comments = q.Question.Kind != QuestionKind.FreeText ? "" :
            $"""<p><a href="{ConsolePage.Root}/surveys/{E(r.SurveyId)}/comments?{ConsolePage.Query(("question", q.Question.Id))}{(ofWave.Length == 0 ? "" : "&amp;" + ofWave)}">{(r.Query.IsFiltered
                ? view.T("自由記述の回答を読む (集団で絞り込まず、すべての回答者の分)", "Read the free-text answers (of all respondents: they are never filtered by group)")
                : view.T("自由記述の回答を読む", "Read the free-text answers"))}</a></p>""";
        return $"""
            <section class="dashboard" aria-labelledby="{E(id)}-heading"><h2 id="{E(id)}-heading">{E(heading)}</h2>
            {ConsolePage.Table(view.T($"質問{number}の集計", $"Question {number}"), [view.T("項目", "Figure"), view.T("値", "Value")], figures)}
            {distribution}
            {comments}
            </section>
            """;
    }

    private static string BreakdownSection(ConsoleView view, SurveyResultsView r, Breakdown b)
    {
        var hidden = view.T("非表示", "hidden");
        var label = DimensionLabel(view, b.Dimension);
        string Value(BreakdownRow row) =>
            $"""<a href="{ConsolePage.Root}/surveys/{E(r.SurveyId)}?{ConsolePage.Query(("version", r.Version.ToString(CultureInfo.InvariantCulture)), ("wave", r.Query.Wave), ("by", b.Dimension.ToString()), ("value", row.Value))}">{E(ValueLabel(view, b.Dimension, row.Value))}</a>""";

        // Suppressed groups are one line, without their names: that a group answered at all can say who did.
        var rows = b.Rows.Select(row => (IReadOnlyList<string>)[Value(row), SvgChart.Value(row.Responses), row.Enps is { } e ? SvgChart.Value(e) : E(hidden)]).ToList();
        if (b.HiddenGroups > 0)
        {
            rows.Add([E(view.T("その他 (小さな集団)", "Others (small groups)")), E(hidden), E(hidden)]);
        }

        return $"""
            <section class="dashboard" aria-labelledby="by-{b.Dimension}-heading"><h2 id="by-{b.Dimension}-heading">{E(view.T($"{label}別", $"By {label.ToLowerInvariant()}"))}</h2>
            {ConsolePage.Table(E(view.T($"{label}別の回答数と eNPS", $"Responses and eNPS by {label.ToLowerInvariant()}")), [E(label), view.T("回答数", "Responses"), "eNPS"], rows)}
            </section>
            """;
    }

    private static string Query(ResultsQuery q) => ConsolePage.Query(
        ("version", q.Version?.ToString(CultureInfo.InvariantCulture)), ("wave", q.Wave), ("by", q.Dimension?.ToString()), ("value", q.Value));

    private static string FilterLabel(ConsoleView view, ResultsQuery q) => q.Dimension is { } d
        ? view.T($"絞り込み: {DimensionLabel(view, d)} = {ValueLabel(view, d, q.Value!)}", $"Filtered: {DimensionLabel(view, d)} = {ValueLabel(view, d, q.Value!)}")
        : view.T("全回答者", "All respondents");

    private static string WaveLabel(ConsoleView view, SurveyContent content, string wave) =>
        wave[0] == 'w' && content.Lifecycle.OffsetOf(int.Parse(wave.AsSpan(1), CultureInfo.InvariantCulture)) is { } offset
            ? $"{wave} ({offset.Label(view.Locale == Locale.Japanese)})"
            : view.T($"{wave[1..]} (随時)", $"{wave[1..]} (ad hoc)");

    private static string DimensionLabel(ConsoleView view, CohortDimension d) => d switch
    {
        CohortDimension.DepartureYear => view.T("退職年", "Year left"),
        CohortDimension.Department => view.T("部署", "Department"),
        CohortDimension.Reason => view.T("退職理由", "Reason"),
        _ => view.T("在籍期間", "Tenure"),
    };

    private static string ValueLabel(ConsoleView view, CohortDimension d, string value) => d switch
    {
        CohortDimension.Department when value.Length == 0 => view.T("(部署なし)", "(no department)"),
        CohortDimension.Reason => value switch
        {
            nameof(DepartureReason.Voluntary) => view.T("自己都合", "Voluntary"),
            nameof(DepartureReason.Retirement) => view.T("定年", "Retirement"),
            nameof(DepartureReason.ContractEnd) => view.T("契約満了", "Contract end"),
            nameof(DepartureReason.Involuntary) => view.T("会社都合", "Involuntary"),
            _ => view.T("その他", "Other"),
        },
        CohortDimension.Tenure => value switch
        {
            nameof(TenureBand.UnderOneYear) => view.T("1年未満", "Under 1 year"),
            nameof(TenureBand.OneToThreeYears) => view.T("1〜3年", "1 to 3 years"),
            nameof(TenureBand.ThreeToFiveYears) => view.T("3〜5年", "3 to 5 years"),
            nameof(TenureBand.FiveToTenYears) => view.T("5〜10年", "5 to 10 years"),
            nameof(TenureBand.TenYearsOrMore) => view.T("10年以上", "10 years or more"),
            _ => view.T("不明", "Unknown"),
        },
        _ => value,
    };

    private static string StatusLabel(ConsoleView view, SurveyStatus status) => status switch
    {
        SurveyStatus.Draft => view.T("下書き", "Draft"),
        SurveyStatus.Published => view.T("実施中", "Open"),
        _ => view.T("終了", "Closed"),
    };

    private static string ModeLabel(ConsoleView view, SurveyMode mode) =>
        mode == SurveyMode.Anonymous ? view.T("匿名", "Anonymous") : view.T("記名 (本人同意)", "Attributed (with consent)");
}
