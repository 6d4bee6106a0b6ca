using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.EditProfile;

public static class ProfilePage
{
    public static IResult Render(ProfileView view, string? token, AlumniLinks links)
    {
        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var a = view.Access.Required;
        var l = a.Locale;
        var p = view.Profile;
        var errors = view.Errors.Count == 0 ? "" : $"""
            <div role="alert"><p><strong>{T(l, "入力内容を確認してください。保存されていません。", "Please check your entries. Nothing was saved.")}</strong></p><ul>
            {string.Concat(view.Errors.Select(e => $"<li>{E(Label(Enum.TryParse<ProfileField>(e.Field.Split('.')[0], out var f) ? f : ProfileField.Location, l))}: {E(RuleText(e, l))}</li>"))}
            </ul></div>
            """;
        var notice = view.Saved ? $"""<p role="status"><strong>{T(l, "プロフィールを保存しました。", "Your profile is saved.")}</strong></p>""" : "";
        var fields = string.Concat(Profile.TextFields.Select(f => $"""
            <p><label for="{f}">{E(Label(f, l))}</label><br>
            {(f == ProfileField.CareerSinceLeaving
                ? $"""<textarea id="{f}" name="{f}" rows="5" maxlength="{Profile.MaxLength(f)}" style="width: 100%">{E(view.TextOf(f))}</textarea>"""
                : $"""<input id="{f}" name="{f}" maxlength="{Profile.MaxLength(f)}" value="{E(view.TextOf(f))}" style="width: 100%">""")}
            {VisibilitySelect(f, p.VisibilityOf(f), l)}</p>
            """));
        var returning = string.Concat(Enum.GetValues<ReturnInterest>().Select(r => $"""
            <label><input type="radio" name="{ProfileField.OpenToReturning}" value="{r}"{(p.OpenToReturning == r ? " checked" : "")}> {E(ReturnLabel(r, l))}</label><br>
            """));
        return AlumniPage.Render(a, view.Errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, T(l, "プロフィール", "Your profile"), $"""
            {errors}{notice}
            <form method="post" action="{AlumniPage.FormAction(EditProfileFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            {fields}
            <fieldset><legend>{E(Label(ProfileField.OpenToReturning, l))}</legend>{returning}
            {VisibilitySelect(ProfileField.OpenToReturning, p.VisibilityOf(ProfileField.OpenToReturning), l)}</fieldset>
            <p><button type="submit">{T(l, "保存する", "Save")}</button></p>
            </form>
            """, links);
    }

    private static string RuleText(Core.Validation.FieldError error, Locale l) => l == Locale.English ? error.Rule : error.Rule switch
    {
        var r when r.StartsWith("must be at most", StringComparison.Ordinal) => $"{new string(r.Where(char.IsAsciiDigit).ToArray())}文字以内で入力してください",
        var r when r.Contains("control characters", StringComparison.Ordinal) => "使用できない文字が含まれています",
        Core.Validation.FreeText.MisleadingRule => "文字の向きを変える制御文字や行区切り文字は使用できません",
        _ => "選択肢から選んでください",
    };

    private static string VisibilitySelect(ProfileField field, FieldVisibility current, Locale l) => $"""
        <label for="{field}.visibility">{T(l, "公開範囲", "Visible to")}</label>
        <select id="{field}.visibility" name="{field}.visibility">
        {string.Concat(Enum.GetValues<FieldVisibility>().Select(v => $"""<option value="{v}"{(v == current ? " selected" : "")}>{E(VisibilityLabel(v, l))}</option>"""))}
        </select>
        """;

    private static string Label(ProfileField field, Locale l) => field switch
    {
        ProfileField.CareerSinceLeaving => T(l, "退職後のご経歴", "Career since leaving"),
        ProfileField.CurrentEmployer => T(l, "現在の勤務先", "Current employer"),
        ProfileField.CurrentBusiness => T(l, "現在の事業・お仕事（協業のご相談のため）", "Current business (for collaboration)"),
        ProfileField.Skills => T(l, "スキル", "Skills"),
        ProfileField.Interests => T(l, "関心のある分野", "Interests"),
        ProfileField.Location => T(l, "所在地", "Location"),
        _ => T(l, "当社への復帰について", "Would you return?"),
    };

    public static string ReturnLabel(ReturnInterest r, Locale l) => r switch
    {
        ReturnInterest.FullTime => T(l, "正社員として復帰を検討したい", "Yes, full-time"),
        ReturnInterest.ProjectWork => T(l, "プロジェクト単位なら関わりたい", "Yes, for project work"),
        ReturnInterest.No => T(l, "今は考えていない", "Not at the moment"),
        _ => T(l, "回答しない", "Prefer not to say"),
    };

    private static string VisibilityLabel(FieldVisibility v, Locale l) => v switch
    {
        FieldVisibility.Alumni => T(l, "アルムナイにも公開", "Other alumni too"),
        FieldVisibility.Employees => T(l, "現役社員にも公開", "Current employees too"),
        _ => T(l, "アルムナイ担当のみ", "Only the alumni team"),
    };
}
