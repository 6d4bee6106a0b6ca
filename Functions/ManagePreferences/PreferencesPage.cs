using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.ManagePreferences;

public static class PreferencesPage
{
    public static IResult Render(ConsentView view, string? token, AlumniLinks links, bool saved)
    {
        if (view.Access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(view.Access.Status, view.Access.Alumnus?.Locale);
        }

        var a = view.Access.Required;
        var l = a.Locale;
        var notice = saved ? $"""<p role="status"><strong>{T(l, "設定を保存しました。", "Your preferences are saved.")}</strong></p>""" : "";
        return AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "配信設定・同意の管理", "Email preferences and consent"), $"""
            {notice}
            <form method="post" action="{AlumniPage.FormAction(ManagePreferencesFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            <fieldset><legend>{T(l, "受け取る内容と公開範囲", "What you receive and who sees your profile")}</legend>
            {PurposeCheckboxes(ConsentPurposes.Optional, view.State.Has, l)}
            </fieldset>
            <p><button type="submit" name="action" value="{ManagePreferencesFunction.SaveAction}">{T(l, "保存する", "Save")}</button></p>
            <p><button type="submit" name="action" value="{ManagePreferencesFunction.UnsubscribeAllAction}">{T(l, "すべてのメール配信を停止する", "Unsubscribe from all emails")}</button></p>
            </form>
            """, links);
    }

    /// <summary>
    /// The answer to a request for an export or erase link: the same words whether this request sent it or an earlier
    /// one in the window did, never the address; an erased person is answered as erased; do-not-contact is sent to HR.
    /// </summary>
    public static IResult RenderPrivacyLink(PrivacyLinkResult result, AlumniLinks links)
    {
        var access = result.Access;
        if (result.Status == PrivacyLinkStatus.Gone || access.Status != LinkAccessStatus.Valid)
        {
            return LinkProblem(result.Status == PrivacyLinkStatus.Gone ? LinkAccessStatus.Gone : access.Status, access.Alumnus?.Locale);
        }

        var a = access.Required;
        var l = a.Locale;
        return result.Status == PrivacyLinkStatus.Sent
            ? AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "メールをお送りしました", "Check your email"), $"""
                <p role="status">{T(l, "ご登録のメールアドレスにリンクをお送りしました。届くまで数分かかることがあります。",
                    "We sent a link to your address on file. It may take a few minutes to arrive.")}</p>
                """, links)
            : AlumniPage.Render(a, StatusCodes.Status503ServiceUnavailable, T(l, "メールをお送りできませんでした", "We could not send the email"), $"""
                <p role="alert">{T(l, "ご登録のメールアドレスにリンクをお送りできませんでした。お手数ですが、人事部のアルムナイ担当までご連絡ください。",
                    "We could not send a link to your address on file. Please contact the alumni team in HR.")}</p>
                """, links);
    }
}
