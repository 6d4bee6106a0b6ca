using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Hosting.Http;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.JoinNetwork;

/// <summary>The join page in the alumnus's language; a link we cannot trust gets both languages.</summary>
public static class JoinPage
{
    public static IResult Render(JoinResult result, string? token, HttpRequest request)
    {
        if (result.Alumnus is not { } alumnus)
        {
            return HtmlPage.Render(StatusCodes.Status400BadRequest, Locales.JapaneseTag, "リンクが無効です / Invalid link", """
                <h1 lang="ja">このリンクは無効です</h1>
                <p lang="ja">リンクが途中で切れているか、変更されています。招待メールのリンクをもう一度お試しください。</p>
                <h1 lang="en">This link is not valid</h1>
                <p lang="en">The link is incomplete or has been changed. Please open the link in your invitation email again.</p>
                """);
        }

        var ja = alumnus.Locale == Locale.Japanese;
        var lang = alumnus.Locale.ToTag();
        var name = ja ? $"{E(alumnus.FamilyName)} {E(alumnus.GivenName)} 様" : $"{E(alumnus.GivenName)} {E(alumnus.FamilyName)}";
        return result.Status switch
        {
            JoinStatus.Ready => HtmlPage.Render(StatusCodes.Status200OK, lang, ja ? "アルムナイネットワークへの参加" : "Join the alumni network", $"""
                <h1>{(ja ? "アルムナイネットワークへの参加" : "Join the alumni network")}</h1>
                <p>{name}</p>
                <p>{(ja ? "参加すると、アルムナイネットワークのメンバーとして登録されます。ニュースレターやイベントなどのご案内は、この後ご自身で選べます。選ばない限りお送りしません。"
                        : "Joining registers you as a member of the alumni network. You will choose separately whether to receive the newsletter, events and other news; nothing is sent unless you choose it.")}</p>
                <form method="post" action="{Route(request)}">
                <input type="hidden" name="token" value="{E(token)}">
                <p><label><input type="checkbox" name="membership" value="yes" checked required> {(ja ? "アルムナイネットワークに参加することに同意します" : "I agree to join the alumni network")}</label></p>
                <button type="submit">{(ja ? "参加する" : "Join")}</button>
                </form>
                """),
            JoinStatus.Joined => HtmlPage.Render(StatusCodes.Status200OK, lang, ja ? "ご参加ありがとうございます" : "Welcome to the network", $"""
                <h1>{(ja ? "ご参加ありがとうございます" : "Welcome to the network")}</h1>
                <p>{name}</p>
                <p>{(ja ? "アルムナイネットワークへの参加を受け付けました。" : "You are now a member of the alumni network.")}</p>
                """),
            JoinStatus.AlreadyMember => HtmlPage.Render(StatusCodes.Status200OK, lang, ja ? "参加済みです" : "Already a member", $"""
                <h1>{(ja ? "すでに参加されています" : "You are already a member")}</h1>
                <p>{name}</p>
                <p>{(ja ? "アルムナイネットワークへの参加は登録済みです。" : "Your membership of the alumni network is already recorded.")}</p>
                """),
            _ => HtmlPage.Render(StatusCodes.Status410Gone, lang, ja ? "リンクの有効期限切れ" : "Link expired", $"""
                <h1>{(ja ? "このリンクは有効期限が切れています" : "This link has expired")}</h1>
                <p>{(ja ? "お手数ですが、人事部のアルムナイ担当までご連絡ください。新しい招待リンクをお送りします。"
                        : "Please contact the alumni team in HR and we will send you a new invitation link.")}</p>
                """),
        };
    }

    private static string Route(HttpRequest request) => E(request.PathBase + JoinNetworkFunction.Route);
}
