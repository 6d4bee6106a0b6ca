using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.AlumniPages.AlumniPage;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.JoinNetwork;

/// <summary>The join page: membership ticked (they chose to join), every other purpose offered unticked.</summary>
public static class JoinPage
{
    public static IResult Render(JoinResult result, string? token, AlumniLinks links)
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
            JoinStatus.Ready => Hosting.Http.HtmlPage.Render(StatusCodes.Status200OK, l.ToTag(), T(l, "アルムナイネットワークへの参加", "Join the alumni network"), $"""
                <h1>{T(l, "アルムナイネットワークへの参加", "Join the alumni network")}</h1>
                <p>{NameOf(a)}</p>
                <p>{T(l, "参加すると、アルムナイネットワークのメンバーとして登録されます。下の項目は、ご希望のものだけを選んでください。選ばなかった内容のご案内はお送りしません。後からいつでも変更できます。",
                    "Joining registers you as a member of the alumni network. Below, choose only what you want; we send nothing you do not choose, and you can change this at any time.")}</p>
                <form method="post" action="{JoinNetworkFunction.Route}">
                <input type="hidden" name="token" value="{E(token)}">
                <fieldset><legend>{T(l, "参加", "Membership")}</legend>
                <p><label><input type="checkbox" name="membership" value="yes" checked required> {T(l, "アルムナイネットワークに参加することに同意します", "I agree to join the alumni network")}</label></p>
                </fieldset>
                <fieldset><legend>{T(l, "ご希望の内容（任意）", "What you would like (optional)")}</legend>
                {PurposeCheckboxes(ConsentPurposes.All.Where(p => p != ConsentPurpose.NetworkMembership), _ => false, l)}
                </fieldset>
                <p><button type="submit">{T(l, "参加する", "Join")}</button></p>
                </form>
                """),
            JoinStatus.Joined => AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "ご参加ありがとうございます", "Welcome to the network"),
                $"<p>{T(l, "アルムナイネットワークへの参加を受け付けました。", "You are now a member of the alumni network.")}</p>", links),
            _ => AlumniPage.Render(a, StatusCodes.Status200OK, T(l, "すでに参加されています", "You are already a member"),
                $"<p>{T(l, "アルムナイネットワークへの参加は登録済みです。ご案内の設定は配信設定のページで変更できます。", "Your membership is already recorded. You can change what you receive on the preferences page.")}</p>", links),
        };
    }
}
