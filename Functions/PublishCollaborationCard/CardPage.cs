using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.PublishCollaborationCard;

/// <summary>
/// The card page: where the card stands (awaiting review, listed, or rejected with the reason), whether the alumnus
/// receives requests, and the form. A new card starts from the profile (company, business, skills, location).
/// </summary>
public static class CardPage
{
    /// <param name="unknownAction">The form named an action the page does not have: shown again (400), nothing changed.</param>
    public static IResult Render(CardView view, string? token, AlumniLinks links, bool unknownAction = false)
    {
        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var a = view.Access.Required;
        var l = a.Locale;
        var title = T(l, "協業カード", "Your collaboration card");
        if (view.Outcome == CardOutcome.NotMember)
        {
            return AlumniPage.Render(a, StatusCodes.Status403Forbidden, title,
                $"<p>{T(l, "協業カードを公開できるのは、アルムナイネットワークに参加された方です。", "Collaboration cards are for members of the alumni network; please join first.")}</p>", links);
        }

        var (status, notice) = (view.Outcome, unknownAction) switch
        {
            (_, true) => (StatusCodes.Status400BadRequest, T(l, "この操作は行えません。何も変更していません。", "That is not something this page can do; nothing changed.")),
            (CardOutcome.Invalid, _) => (StatusCodes.Status400BadRequest, T(l, "入力内容を確認してください。保存されていません。", "Please check your entries. Nothing was saved.")),
            (CardOutcome.Busy, _) => (StatusCodes.Status409Conflict, T(l, "カードが同時に更新されたため保存できませんでした。もう一度お試しください。", "The card changed while you saved it; nothing was saved. Please try again.")),
            (CardOutcome.Saved, _) when view.Card?.Status == CardStatus.PendingReview => (StatusCodes.Status200OK,
                T(l, "保存しました。アルムナイ担当の確認後に掲載されます。", "Saved. The alumni team will review the card before it is listed.")),
            (CardOutcome.Saved, _) => (StatusCodes.Status200OK, T(l, "保存しました。", "Saved.")),
            (CardOutcome.Unchanged, _) => (StatusCodes.Status200OK, T(l, "変更はありませんでした。", "Nothing changed.")),
            (CardOutcome.Withdrawn, _) => (StatusCodes.Status200OK, T(l, "協業カードを取り下げました。掲載されなくなり、ご依頼も届きません。", "Your card is withdrawn: it is no longer listed and no requests will reach you.")),
            _ => (StatusCodes.Status200OK, (string?)null),
        };
        var errors = view.Errors is { Count: > 0 } list
            ? $"""<ul role="alert">{string.Concat(list.Select(e => $"<li>{E(FieldLabel(e.Field, l))}: {E(RuleText(e, l))}</li>"))}</ul>"""
            : "";
        var body = $"""
            {(notice is null ? "" : $"""<p role="status"><strong>{E(notice)}</strong></p>""")}
            {errors}
            <p>{T(l, "現在のお仕事や事業、提供できること・探していることを公開し、アルムナイや当社と協業の機会を広げましょう。公開範囲はご自身で選べます。",
                "Share your business, what you offer and what you look for, so that alumni and the company can work with you. You choose who sees it.")}</p>
            {StatusSection(view, l)}
            {RequestsSection(view, a, links, l)}
            {Form(view, token, l)}
            {(view.Card is { ETag: not null } ? Withdraw(token, l) : "")}
            """;
        return AlumniPage.Render(a, status, title, body, links);
    }

    private static string StatusSection(CardView view, Locale l) => view.Card switch
    {
        null or { ETag: null } => $"<p>{T(l, "まだ協業カードはありません。", "You have no collaboration card yet.")}</p>",
        { Status: CardStatus.PendingReview } => $"<p><strong>{T(l, "状態: 確認待ち（まだ掲載されていません）", "Status: awaiting review (not listed yet)")}</strong></p>",
        { Status: CardStatus.Listed } card => $"<p><strong>{T(l, "状態: 掲載中", "Status: listed")}</strong> ({E(Audience(card, l))})</p>",
        var card => $"""
            <p><strong>{T(l, "状態: 掲載できませんでした", "Status: not listed")}</strong></p>
            <p>{T(l, "アルムナイ担当からのコメント", "The alumni team says")}: <span style="white-space: pre-line;">{E(card.RejectionReason)}</span></p>
            <p>{T(l, "内容を修正して保存すると、もう一度確認します。", "Change the card and save it to have it reviewed again.")}</p>
            """,
    };

    private static string RequestsSection(CardView view, Alumnus a, AlumniLinks links, Locale l)
    {
        var preferences = E(links.Relative(LinkPurpose.Preferences, a));
        return view.RequestsConsented
            ? $"<p>{T(l, "協業のご依頼をメールで受け取る設定になっています。", "You receive collaboration requests by email.")} <a href=\"{preferences}\">{T(l, "配信設定", "Email preferences")}</a></p>"
            : $"<p>{T(l, "協業のご依頼をメールで受け取るには、配信設定で「協業のご依頼を受け取る」を選んでください。", "To receive collaboration requests by email, tick “Receive collaboration requests” in your email preferences.")} <a href=\"{preferences}\">{T(l, "配信設定", "Email preferences")}</a></p>";
    }

    private static string Form(CardView view, string? token, Locale l)
    {
        var card = view.Card;
        var profile = view.Profile;
        string Value(CardField field) => view.TextOf(field) ?? field switch
        {
            CardField.Company => profile?.ValueOf(ProfileField.CurrentEmployer) ?? "",
            CardField.Business => profile?.ValueOf(ProfileField.CurrentBusiness) ?? "",
            CardField.Skills => profile?.ValueOf(ProfileField.Skills) ?? "",
            CardField.Location => profile?.ValueOf(ProfileField.Location) ?? "",
            _ => "",
        };
        var fields = string.Concat(Enum.GetValues<CardField>().Select(f =>
        {
            var max = Core.Collaboration.CollaborationCard.MaxLength(f);
            var required = Core.Collaboration.CollaborationCard.IsRequired(f) ? " required" : "";
            var input = max > 200
                ? $"""<textarea id="{f}" name="{f}" rows="4" maxlength="{max}" style="width: 100%"{required}>{E(Value(f))}</textarea>"""
                : $"""<input id="{f}" name="{f}" maxlength="{max}" value="{E(Value(f))}" style="width: 100%"{required}>""";
            return $"""<p><label for="{f}">{E(CardLabels.Field(f, l))}{(required.Length > 0 ? T(l, "（必須）", " (required)") : "")}</label><br>{input}</p>""";
        }));
        var industries = string.Concat(Enum.GetValues<Industry>().Select(i =>
            $"""<option value="{i}"{(card?.Industry == i ? " selected" : "")}>{E(CardLabels.Industry(i, l))}</option>"""));
        string Box(string name, bool ticked, string label) =>
            $"""<p><label><input type="checkbox" name="{name}" value="{CardForm.Yes}"{(ticked ? " checked" : "")}> {label}</label></p>""";
        return $"""
            <form method="post" action="{AlumniPage.FormAction(PublishCollaborationCardFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            {fields}
            <p><label for="{CardForm.IndustryField}">{T(l, "業界（必須）", "Industry (required)")}</label><br>
            <select id="{CardForm.IndustryField}" name="{CardForm.IndustryField}" required><option value="">{T(l, "選んでください", "Choose one")}</option>{industries}</select></p>
            <fieldset><legend>{T(l, "公開範囲（1つ以上）", "Who may see it (at least one)")}</legend>
            {Box(CardForm.MembersField, card?.VisibleToMembers ?? false, T(l, "アルムナイネットワークのメンバー", "Members of the alumni network"))}
            {Box(CardForm.EmployeesField, card?.VisibleToEmployees ?? false, T(l, "当社の現役社員（社員から協業のご依頼が届くことがあります）", "The company's current employees (they may send you collaboration requests)"))}
            </fieldset>
            {Box(CardForm.PausedField, card?.RequestsPaused ?? false, T(l, "協業のご依頼の受付を一時停止する", "Pause collaboration requests"))}
            <p><button type="submit" name="{PublishCollaborationCardFunction.ActionField}" value="save">{T(l, "保存する", "Save")}</button></p>
            </form>
            """;
    }

    private static string Withdraw(string? token, Locale l) => $"""
        <form method="post" action="{AlumniPage.FormAction(PublishCollaborationCardFunction.Route, token)}">
        <input type="hidden" name="token" value="{E(token)}">
        <p><button type="submit" name="{PublishCollaborationCardFunction.ActionField}" value="withdraw" class="secondary">{T(l, "協業カードを取り下げる", "Withdraw my card")}</button></p>
        </form>
        """;

    private static string Audience(Core.Collaboration.CollaborationCard card, Locale l) => (card.VisibleToMembers, card.VisibleToEmployees) switch
    {
        (true, true) => T(l, "メンバーと現役社員に公開", "shown to members and current employees"),
        (true, false) => T(l, "メンバーに公開", "shown to members"),
        _ => T(l, "現役社員に公開", "shown to current employees"),
    };

    /// <summary>The rule a field broke, in the alumnus's language (Core states it in English, as the API does).</summary>
    private static string RuleText(Core.Validation.FieldError error, Locale l) => l == Locale.English ? error.Rule : error.Rule switch
    {
        "is required" => "入力してください",
        var r when r.StartsWith("must be at most", StringComparison.Ordinal) => $"{new string(r.Where(char.IsAsciiDigit).ToArray())}文字以内で入力してください",
        var r when r.Contains("control characters", StringComparison.Ordinal) => "使用できない文字が含まれています",
        Core.Validation.FreeText.MisleadingRule => "文字の向きを変える制御文字や行区切り文字は使用できません",
        var r when r.StartsWith("choose who may see", StringComparison.Ordinal) => "公開範囲を1つ以上選んでください",
        _ => "選択肢から選んでください",
    };

    private static string FieldLabel(string field, Locale l) =>
        Enum.TryParse<CardField>(field, out var f) && Enum.IsDefined(f) ? CardLabels.Field(f, l)
        : field == CardForm.IndustryField ? T(l, "業界", "Industry")
        : T(l, "公開範囲", "Who may see it");
}

/// <summary>The card's words in both languages, shared by the card page, the directory and the console.</summary>
public static class CardLabels
{
    public static string Field(CardField field, Locale l) => field switch
    {
        CardField.Company => T(l, "現在の所属（会社名）", "Current company"),
        CardField.Business => T(l, "事業・お仕事の内容", "Your business"),
        CardField.Offer => T(l, "提供できること", "What you offer"),
        CardField.LookingFor => T(l, "探していること", "What you look for"),
        CardField.Skills => T(l, "スキル", "Skills"),
        _ => T(l, "所在地", "Location"),
    };

    public static string Industry(Core.Collaboration.Industry industry, Locale l) => industry switch
    {
        Core.Collaboration.Industry.Finance => T(l, "金融", "Finance"),
        Core.Collaboration.Industry.Consulting => T(l, "コンサルティング", "Consulting"),
        Core.Collaboration.Industry.Technology => T(l, "IT・テクノロジー", "Technology"),
        Core.Collaboration.Industry.Manufacturing => T(l, "製造", "Manufacturing"),
        Core.Collaboration.Industry.Healthcare => T(l, "医療・ヘルスケア", "Healthcare"),
        Core.Collaboration.Industry.Retail => T(l, "小売・流通", "Retail"),
        Core.Collaboration.Industry.Energy => T(l, "エネルギー", "Energy"),
        Core.Collaboration.Industry.RealEstate => T(l, "不動産", "Real estate"),
        Core.Collaboration.Industry.Media => T(l, "メディア", "Media"),
        Core.Collaboration.Industry.Education => T(l, "教育", "Education"),
        Core.Collaboration.Industry.PublicSector => T(l, "公共", "Public sector"),
        _ => T(l, "その他", "Other"),
    };
}
