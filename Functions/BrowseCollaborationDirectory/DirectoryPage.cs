using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.PublishCollaborationCard;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.BrowseCollaborationDirectory;

/// <summary>The directory page: a search form (GET, so the link keeps working) and the cards members may see.</summary>
public static class DirectoryPage
{
    public static IResult Render(DirectoryView view, string? token, DirectoryQuery query, AlumniLinks links)
    {
        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var a = view.Access.Required;
        var l = a.Locale;
        var title = T(l, "協業ディレクトリ", "Collaboration directory");
        if (view.NotMember)
        {
            return AlumniPage.Render(a, StatusCodes.Status403Forbidden, title,
                $"<p>{T(l, "協業ディレクトリは、アルムナイネットワークのメンバーの方がご覧いただけます。", "The collaboration directory is for members of the alumni network; please join first.")}</p>", links);
        }

        var errors = view.Errors.Count == 0 ? "" : $"""
            <div role="alert"><p><strong>{T(l, "検索条件を確認してください。", "Please check your search.")}</strong></p>
            <ul>{string.Concat(view.Errors.Select(e => $"<li>{E(FieldLabel(e.Field, l))}: {E(RuleText(e, l))}</li>"))}</ul></div>
            """;
        var results = view.Page is not { } page ? "" : page.Cards.Count == 0
            ? $"<p>{T(l, "条件に合う協業カードはありません。", "No collaboration card matches.")}</p>"
            : $"""
                <h2>{T(l, $"{page.Cards.Count} 件の協業カード", $"{page.Cards.Count} collaboration cards")}</h2>
                {(page.More ? $"<p>{T(l, "表示しきれないため、条件を絞り込んでください。", "There are more: narrow your search to see them.")}</p>" : "")}
                {string.Concat(page.Cards.Select(c => Card(c, l)))}
                """;
        return AlumniPage.Render(a, view.Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, title, $"""
            <p>{T(l, "アルムナイが公開している協業カードです。連絡先は掲載していません。", "Collaboration cards alumni share with members. Contact details are not listed.")}</p>
            <p><a href="{E(links.Relative(LinkPurpose.CollaborationCard, a))}">{T(l, "自分の協業カードを作成・編集する", "Write or change your own card")}</a></p>
            {errors}
            {SearchForm(token, query, l)}
            {results}
            """, links);
    }

    private static string SearchForm(string? token, DirectoryQuery q, Locale l)
    {
        string Text(string name, string? value, string label) =>
            $"""<p><label for="{name}">{label}</label><br><input type="search" id="{name}" name="{name}" value="{E(value)}" maxlength="{DirectoryQuery.MaxTextLength}" style="width: 100%"></p>""";
        var industries = string.Concat(Enum.GetValues<Industry>().Select(i =>
            $"""<option value="{i}"{(q.Industry == i.ToString() ? " selected" : "")}>{E(CardLabels.Industry(i, l))}</option>"""));
        return $"""
            <form method="get" action="{BrowseCollaborationDirectoryFunction.Route}" role="search">
            <input type="hidden" name="token" value="{E(token)}">
            <p><label for="industry">{FieldLabel("industry", l)}</label><br>
            <select id="industry" name="industry"><option value="">{T(l, "すべて", "Any")}</option>{industries}</select></p>
            {Text("skills", q.Skills, FieldLabel("skills", l))}
            {Text("location", q.Location, FieldLabel("location", l))}
            {Text("offer", q.Offer, FieldLabel("offer", l))}
            <p><button type="submit">{T(l, "検索", "Search")}</button></p>
            </form>
            """;
    }

    /// <summary>A search field as the form labels it.</summary>
    private static string FieldLabel(string field, Locale l) => field switch
    {
        "industry" => T(l, "業界", "Industry"),
        "skills" => T(l, "スキル", "Skills"),
        "location" => T(l, "所在地", "Location"),
        "offer" => T(l, "提供できること・事業", "What they offer"),
        _ => field,
    };

    /// <summary>The rule a search field broke, in the alumnus's language (Core states it in English, as the API does).</summary>
    private static string RuleText(Core.Validation.FieldError error, Locale l) => l == Locale.English ? error.Rule : error.Field switch
    {
        "industry" => "選択肢から選ぶか、「すべて」にしてください",
        "skills" or "location" or "offer" => $"{DirectoryQuery.MaxTextLength}文字以内で、制御文字を含めずに入力してください",
        _ => "このページでは使えない検索条件です",
    };

    private static string Card(Core.Collaboration.CollaborationCard c, Locale l)
    {
        var name = l == Locale.Japanese ? $"{c.FamilyName} {c.GivenName}" : $"{c.GivenName} {c.FamilyName}";
        var rows = string.Concat(Enum.GetValues<CardField>().Where(f => c.ValueOf(f).Length > 0 && f != CardField.Company)
            .Select(f => $"""<dt>{E(CardLabels.Field(f, l))}</dt><dd style="white-space: pre-line;">{E(c.ValueOf(f))}</dd>"""));
        return $"""
            <article style="border-top: 1px solid #cccccc; padding-top: 0.5rem;">
            <h3>{E(name)} — {E(c.ValueOf(CardField.Company))}</h3>
            <dl><dt>{T(l, "業界", "Industry")}</dt><dd>{E(CardLabels.Industry(c.Industry, l))}</dd>{rows}</dl>
            </article>
            """;
    }
}
