using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Surveys;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AnswerSurvey;

/// <summary>
/// The survey page: how answers are kept (said before anything is answered), then every question on one page as a
/// plain form (no script), each with its own validation message linked to it; a conditional question says when it
/// applies. A score clicked in the email opens the form with it chosen and says it is saved. Saved answers come back filled in and can be changed until the survey closes. A closed survey, an unknown
/// one and a busy moment each get their own page and status; nothing is ever said to be saved when it was not.
/// </summary>
public static class SurveyPage
{
    public const string FieldPrefix = "q-";

    public static bool IsAnswerField(string name) => name.StartsWith(FieldPrefix, StringComparison.Ordinal);

    /// <summary>Browsers that only prefetch a link say so; such a request must not record a score.</summary>
    public static bool IsPrefetch(HttpRequest request) =>
        request.Headers["Sec-Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase) ||
        request.Headers["Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase);

    /// <summary>The answers in a posted form: <c>q-{question}</c> fields, blanks left out (an unanswered question).</summary>
    public static SurveyAnswers AnswersIn(IFormCollection form) => new(form
        .Where(f => IsAnswerField(f.Key))
        .Select(f => (Id: f.Key[FieldPrefix.Length..], Values: f.Value.Select(v => (v ?? "").Trim()).Where(v => v.Length > 0).ToArray()))
        .Where(a => a.Values.Length > 0)
        .ToDictionary(a => a.Id, a => (IReadOnlyList<string>)a.Values, StringComparer.Ordinal));

    public static IResult Render(SurveyPageView view, string? token, AlumniLinks links, CompanyCalendar calendar)
    {
        switch (view.Status)
        {
            case SurveyPageStatus.InvalidLink:
                return LinkProblem(LinkAccessStatus.Invalid, null);
            case SurveyPageStatus.Gone:
                return LinkProblem(LinkAccessStatus.Gone, null);
            case SurveyPageStatus.Expired:
                return LinkProblem(LinkAccessStatus.Expired, view.Alumnus?.Locale);
        }

        var a = view.Alumnus!;
        var l = a.Locale;
        if (view.Status == SurveyPageStatus.NotFound || view.Content is not { } content)
        {
            return AlumniPage.Render(a, StatusCodes.Status404NotFound, T(l, "アンケートが見つかりません", "Survey not found"),
                $"<p>{T(l, "このリンクのアンケートは見つかりませんでした。", "We could not find the survey this link is for.")}</p>", links);
        }

        var title = content.Title.In(l);
        if (view.Status == SurveyPageStatus.Closed)
        {
            return AlumniPage.Render(a, StatusCodes.Status410Gone, title, $"""
                <p role="status"><strong>{T(l, "このアンケートの回答受付は終了しました。ご協力ありがとうございました。", "This survey has closed and no longer takes answers. Thank you for your interest.")}</strong></p>
                """, links);
        }

        if (view.Status == SurveyPageStatus.Saved)
        {
            return AlumniPage.Render(a, StatusCodes.Status200OK, title, $"""
                <p role="status"><strong>{T(l, "ご回答ありがとうございました。回答を保存しました。", "Thank you: your answers are saved.")}</strong></p>
                <p>{T(l, "アンケートの受付期間中は、同じリンクから回答を見直して変更できます (最後の回答が有効になります)。",
                    "Until the survey closes you can review and change your answers from the same link (the last answers count).")}</p>
                <p><a href="{E(AnswerSurveyFunction.Route + "?token=" + Uri.EscapeDataString(token ?? ""))}">{T(l, "回答を見直す", "Review my answers")}</a></p>
                """, links);
        }

        var (status, notice, role) = view.Status switch
        {
            SurveyPageStatus.Invalid => (StatusCodes.Status400BadRequest,
                T(l, "入力内容をご確認ください。ご回答はまだ保存されていません。", "Please check the answers marked below. Nothing has been saved yet."), "alert"),
            SurveyPageStatus.Busy => (StatusCodes.Status503ServiceUnavailable,
                T(l, "ただいま混み合っています。ご回答は保存されていません。少し時間をおいて、もう一度送信してください。",
                    "Many people are answering right now and your answers were not saved. Please send them again in a moment."), "alert"),
            SurveyPageStatus.ScoreSaved => (StatusCodes.Status200OK,
                T(l, "ありがとうございます。選んだ数字の回答を保存しました。よろしければ、残りの質問にもお答えください。",
                    "Thank you: the number you chose is saved as your answer. If you like, answer the rest of the survey below."), "status"),
            _ => (StatusCodes.Status200OK, (string?)null, ""),
        };
        var problems = view.ProblemsByQuestion;
        var body = $"""
            {(notice is null ? "" : $"<div role=\"{role}\"><p><strong>{E(notice)}</strong></p>{Summary(content, problems, l)}</div>")}
            {(content.Introduction.In(l).Length == 0 ? "" : $"<p style=\"white-space: pre-line;\">{E(content.Introduction.In(l))}</p>")}
            <p style="background: #f2f2f2; padding: 0.5rem;">{E(SurveyEmail.ModeNote(content, l))}</p>
            {(view.ClosesAt is { } closes ? $"<p>{E(SurveyEmail.Deadline(closes, calendar, l))}</p>" : "")}
            <p class="secondary">{T(l, "* は必須の質問です。", "Questions marked * must be answered.")}</p>
            <form method="post" action="{AlumniPage.FormAction(AnswerSurveyFunction.Route, token)}" novalidate>
            <input type="hidden" name="token" value="{E(token)}">
            {string.Concat(content.Questions.Select((q, i) => Question(content, q, i + 1, view.Given, problems.GetValueOrDefault(q.Id), problems.ContainsKey(q.Id), l)))}
            <p><button type="submit">{T(l, "回答を送信する", "Send my answers")}</button></p>
            </form>
            <style>fieldset {"{"} margin: 0 0 1.25rem; border: 1px solid #cccccc; {"}"} .scale label {"{"} display: inline-block; min-width: 2.4rem; margin: 0.2rem 0; {"}"} .error {"{"} color: #8a1c1c; font-weight: bold; {"}"} textarea {"{"} width: 100%; font-size: 1rem; {"}"}</style>
            """;
        return AlumniPage.Render(a, status, title, body, links);
    }

    private static string Summary(SurveyContent content, IReadOnlyDictionary<string, AnswerProblem> problems, Locale l) =>
        problems.Count == 0 ? "" : "<ul>" + string.Concat(content.Questions.Select((q, i) => (q, i)).Where(x => problems.ContainsKey(x.q.Id))
            .Select(x => $"""<li><a href="#{E(FieldPrefix + x.q.Id)}-legend">{T(l, $"質問 {x.i + 1}", $"Question {x.i + 1}")}: {E(Message(problems[x.q.Id], x.q, l))}</a></li>"""))
            + (problems.Keys.Any(k => content.Question(k) is null) ? $"<li>{E(Message(AnswerProblem.UnknownQuestion, null, l))}</li>" : "") + "</ul>";

    private static string Question(SurveyContent content, SurveyQuestion q, int number, SurveyAnswers given, AnswerProblem problem, bool hasProblem, Locale l)
    {
        var name = FieldPrefix + q.Id;
        var error = hasProblem ? $"""<p class="error" id="{E(name)}-error">{E(Message(problem, q, l))}</p>""" : "";
        var described = hasProblem ? $""" aria-describedby="{E(name)}-error" aria-invalid="true" """ : " ";
        var chosen = given.Of(q.Id);
        var condition = q.ShowIf is { } c && content.Question(c.QuestionId) is { } target
            ? $"""<p class="secondary">{E(T(l,
                $"質問 {content.Questions.ToList().IndexOf(target) + 1} で「{string.Join("」「", c.AnsweredAny.Select(v => SurveyReport.LabelOf(target, v).In(l)))}」と答えた方のみお答えください。",
                $"Answer only if you answered {string.Join(" or ", c.AnsweredAny.Select(v => $"\"{SurveyReport.LabelOf(target, v).In(l)}\""))} to question {content.Questions.ToList().IndexOf(target) + 1}."))}</p>"""
            : "";
        string Choice(string type, string value, string label) =>
            $"""<label><input type="{type}" name="{E(name)}" value="{E(value)}"{(chosen.Contains(value) ? " checked" : "")}{described}> {E(label)}</label>""";
        var inputs = q.Kind switch
        {
            QuestionKind.FreeText => $"""
                <p class="secondary" id="{E(name)}-hint">{T(l, $"{q.MaxLength}文字まで", $"Up to {q.MaxLength} characters")}{(content.Mode == SurveyMode.Anonymous ? T(l, "。", ". ") + E(SurveyEmail.FreeTextNote(l)) : "")}</p>
                <textarea id="{E(name)}" name="{E(name)}" rows="5" maxlength="{q.MaxLength}" aria-labelledby="{E(name)}-legend" aria-describedby="{E(name)}-hint{(hasProblem ? $" {E(name)}-error" : "")}"{(hasProblem ? " aria-invalid=\"true\"" : "")}>{E(chosen.Count > 0 ? chosen[0] : "")}</textarea>
                """,
            QuestionKind.Scale0To10 or QuestionKind.Rating1To5 =>
                $"""<p class="secondary">{E(SurveyEmail.Ends(q, l).Low)} / {E(SurveyEmail.Ends(q, l).High)}</p><div class="scale">""" +
                string.Concat(q.Values.Select(v => Choice("radio", v, v))) + "</div>",
            QuestionKind.MultipleChoice =>
                $"""<p class="secondary">{T(l, $"{q.MaxChoices}つまで選べます", $"Choose up to {q.MaxChoices}")}</p>""" +
                string.Concat(q.Values.Select(v => "<p>" + Choice("checkbox", v, SurveyReport.LabelOf(q, v).In(l)) + "</p>")),
            _ => string.Concat(q.Values.Select(v => "<p>" + Choice("radio", v, SurveyReport.LabelOf(q, v).In(l)) + "</p>")),
        };
        return $"""
            <fieldset id="{E(name)}-set">
            <legend id="{E(name)}-legend"><strong>{number}. {E(q.Text.In(l))}{(q.Required ? " *" : "")}</strong></legend>
            {condition}
            {error}
            {inputs}
            </fieldset>
            """;
    }

    private static string Message(AnswerProblem problem, SurveyQuestion? q, Locale l) => problem switch
    {
        AnswerProblem.Required => T(l, "この質問は必須です。", "This question must be answered."),
        AnswerProblem.OutOfRange => T(l, $"{q?.Range.Min}から{q?.Range.Max}の数字を選んでください。", $"Choose a number from {q?.Range.Min} to {q?.Range.Max}."),
        AnswerProblem.UnknownOption => T(l, "選択肢の中からお選びください。", "Choose one of the options shown."),
        AnswerProblem.TooManyChoices => q?.Kind == QuestionKind.MultipleChoice
            ? T(l, $"選べるのは{q.MaxChoices}つまでです。", $"Choose at most {q.MaxChoices}.")
            : T(l, "ひとつだけお選びください。", "Choose only one."),
        AnswerProblem.TooLong => T(l, $"{q?.MaxLength}文字以内でご記入ください。", $"Write at most {q?.MaxLength} characters."),
        AnswerProblem.NotText => T(l, "使用できない文字（制御文字、文字の向きを変える文字や行区切り文字）が含まれています。",
            "The answer holds characters that cannot be stored (control, text-direction or line-separator characters)."),
        AnswerProblem.NotApplicable => T(l, "前の質問へのご回答により、この質問にはお答えいただけません。回答を消してから送信してください。",
            "Given your earlier answer this question does not apply; clear it and send again."),
        _ => T(l, "このアンケートにない質問への回答が含まれています。", "The form held an answer to a question this survey does not have."),
    };
}
