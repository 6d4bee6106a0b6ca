using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.JoinNetwork;

/// <summary>
/// The join page. Nothing is ticked in advance: joining is an affirmative act, so the membership box and every optional
/// purpose start empty, and a form sent without the membership box comes back (400) with the reason in the alumnus's
/// language and their own ticks kept. A person the company has rehired is told the network is not for them while they
/// work there (409 to a form sent anyway; nothing is recorded).
/// </summary>
public static class JoinPage
{
    public const string MembershipField = "membership";
    public const string MembershipValue = "yes";

    /// <param name="posted">True when answering the form, false when showing it.</param>
    public static IResult Render(JoinResult result, string? token, AlumniLinks links, bool posted)
    {
        if (result.Alumnus is not { } a || result.Status is JoinStatus.Invalid or JoinStatus.Expired or JoinStatus.Gone)
        {
            return LinkProblem(result.Status switch
            {
                JoinStatus.Expired => LinkAccessStatus.Expired,
                JoinStatus.Gone => LinkAccessStatus.Gone,
                _ => LinkAccessStatus.Invalid,
            }, result.Alumnus?.Locale);
        }

        var l = a.Locale;
        return result.Status switch
        {
            JoinStatus.Ready => Form(a, token, result.Ticked, StatusCodes.Status200OK),
            JoinStatus.MembershipNotTicked => Form(a, token, result.Ticked, StatusCodes.Status400BadRequest),
            JoinStatus.Returned => AlumniPage.Render(a, posted ? StatusCodes.Status409Conflict : StatusCodes.Status200OK, T(l, "現在は社員として在籍されています", "You work at the company again"),
                result.ConsentWithdrawn
                    ? $"<p>{T(l, "おかえりなさい。現在は再び当社に在籍されているため、アルムナイネットワークへのご参加は受け付けていません。参加の登録は行っておらず、送信時に記録した同意は取り消しました。",
                        "Welcome back. As you currently work at the company again, the alumni network is not for you now. You have not been registered, and the consent recorded as you sent the form has been withdrawn.")}</p>"
                    : $"<p>{T(l, "おかえりなさい。現在は再び当社に在籍されているため、アルムナイネットワークへのご参加は受け付けていません。参加の登録や同意の記録は行っていません。",
                        "Welcome back. As you currently work at the company again, the alumni network is not for you now. You have not been registered and no consent was recorded.")}</p>", links),
            JoinStatus.Joined => AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "ご参加ありがとうございます", "Welcome to the network"),
                $"<p>{T(l, "アルムナイネットワークへの参加を受け付けました。", "You are now a member of the alumni network.")}</p>", links),
            _ => AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "すでに参加されています", "You are already a member"),
                $"<p>{T(l, "アルムナイネットワークへの参加は登録済みです。ご案内の設定は配信設定のページで変更できます。", "Your membership is already recorded. You can change what you receive on the preferences page.")}</p>", links),
        };
    }

    private static IResult Form(Alumnus a, string? token, IReadOnlySet<ConsentPurpose>? ticked, int statusCode)
    {
        var l = a.Locale;
        var refused = statusCode != StatusCodes.Status200OK;
        var error = refused ? $"""
            <div role="alert" id="membership-error"><p><strong>{T(l, "参加への同意のチェックがないため、登録していません。参加される場合は「アルムナイネットワークに参加することに同意します」にチェックを入れて、もう一度送信してください。",
                "You have not been registered, because the box to agree to join was not ticked. To join, tick \u201cI agree to join the alumni network\u201d and send the form again.")}</strong></p></div>
            """ : "";
        return Hosting.Http.HtmlPage.Render(statusCode, l.ToTag(), T(l, "アルムナイネットワークへの参加", "Join the alumni network"), $"""
            <h1>{T(l, "アルムナイネットワークへの参加", "Join the alumni network")}</h1>
            <p>{NameOf(a)}</p>
            {error}
            <p>{T(l, "参加すると、アルムナイネットワークのメンバーとして登録されます。参加される場合は、下の同意欄にチェックを入れてください。ご案内は、ご希望のものだけを選んでください。選ばなかった内容のご案内はお送りしません。後からいつでも変更できます。",
                "Joining registers you as a member of the alumni network. To join, tick the box below to agree. Then choose only what you want; we send nothing you do not choose, and you can change this at any time.")}</p>
            <form method="post" action="{AlumniPage.FormAction(JoinNetworkFunction.Route, token)}">
            <input type="hidden" name="token" value="{E(token)}">
            <fieldset><legend>{T(l, "参加", "Membership")}</legend>
            <p><label><input type="checkbox" name="{MembershipField}" value="{MembershipValue}"{(refused ? " aria-invalid=\"true\" aria-describedby=\"membership-error\"" : "")}> {T(l, "アルムナイネットワークに参加することに同意します", "I agree to join the alumni network")}</label></p>
            </fieldset>
            <fieldset><legend>{T(l, "ご希望の内容（任意）", "What you would like (optional)")}</legend>
            {PurposeCheckboxes(ConsentPurposes.Optional, p => ticked?.Contains(p) == true, l)}
            </fieldset>
            <p><button type="submit">{T(l, "参加する", "Join")}</button></p>
            </form>
            """);
    }
}
