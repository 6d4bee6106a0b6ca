using System.Diagnostics.CodeAnalysis;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Security;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// What a console form answers when its use case did not do the thing: the same statuses as the JSON API
/// (<c>AdminResults.ToHttp</c>) as pages: 400 naming each field, 404, 409 with the reason, 503 when the email provider
/// did not do its part. Nothing was changed in any of them (a 503 says whether the mail may have gone all the same).
/// </summary>
public static class ConsoleOutcomes
{
    /// <summary>The signed-in admin as the audit log names them (the console's policies admit nobody without a subject id).</summary>
    public static string Actor(HttpContext context) => AdminActor.IdOf(context.User)!;

    public static async Task<IResult> RefusedAsync<T>(ConsoleView view, AdminOutcome<T> outcome, string title) => outcome switch
    {
        AdminOutcome<T>.Invalid invalid => ConsolePage.Invalid(view, invalid.Errors, title),
        AdminOutcome<T>.Conflict conflict => view.Render(StatusCodes.Status409Conflict, title, $"""
            <h1>{E(title)}</h1>
            <p role="alert">{(conflict.Reason is null
                ? view.T("他の更新と重なったため、何も変更しませんでした。もう一度お試しください。", "Another change got there first; nothing was changed. Please try again.")
                : view.T("現在の状態ではこの操作はできないため、何も変更しませんでした。", "This cannot be done in the current state; nothing was changed."))}</p>
            {(conflict.Reason is { } reason ? $"""<p class="secondary" lang="en">{E(reason)}</p>""" : "")}
            """),
        AdminOutcome<T>.Unavailable unavailable => view.Render(StatusCodes.Status503ServiceUnavailable, title, $"""
            <h1>{E(title)}</h1>
            <p role="alert">{(unavailable.MayHaveHappened
                ? view.T("メール配信サービスからの返事が届きませんでした。メールは送られたかもしれません。受信箱を確かめてから、必要ならもう一度お試しください。",
                    "The email provider's answer did not arrive: the mail may have been sent. Check the inbox before trying again.")
                : view.T("メール配信サービスが受け付けなかったため、メールは送られていません。少し時間をおいてもう一度お試しください。",
                    "The email provider did not accept the mail; it was not sent. Please try again later."))}</p>
            <p class="secondary" lang="en">{E(unavailable.Reason)}</p>
            """),
        // Every edit form posts to the path of the page it is on, so that path reloads it.
        AdminOutcome<T>.Stale => Stale(view, title, view.Context.Request.Path),
        _ => await ConsolePage.NotFoundAsync(view.Context),
    };

    /// <summary>
    /// What an edit form answers when the record changed after its page was loaded (<see cref="AdminOutcome{T}.Stale"/>):
    /// 409, nothing saved, and a link that reloads the page to show the record as it is now.
    /// </summary>
    /// <param name="reload">The page the form came from.</param>
    public static IResult Stale(ConsoleView view, string title, string reload) => view.Render(StatusCodes.Status409Conflict, title, $"""
        <h1>{E(title)}</h1>
        <div class="errors" role="alert"><p>{view.T("このページを開いた後に、内容が変更されました（他の人の変更か、先に送った保存によるものです）。何も保存していません。",
            "This was changed after you opened the page (by someone else, or by a save you sent earlier). Nothing was saved.")}</p>
        <p>{view.T("ページを開き直して今の内容を確かめてから、もう一度変更してください。", "Reload the page to see it as it is now, then make your change again.")}</p></div>
        <p><a href="{E(reload)}">{view.T("ページを開き直す", "Reload the page")}</a></p>
        """);

    /// <summary>The version an edit form carries back, or null with an error naming the field (ADR 0032).</summary>
    public static RecordVersion? PostedVersion(IFormCollection form, List<FieldError> errors) => RecordVersion.Parse(form[RecordVersion.Field], errors);

    /// <summary>The version a form that changes one record carries back; false with its 400 page when it is missing or not one.</summary>
    public static bool TryPostedVersion(ConsoleView view, IFormCollection form, string title, out RecordVersion seen, [NotNullWhen(false)] out IResult? refused)
    {
        var errors = new List<FieldError>();
        var posted = PostedVersion(form, errors);
        seen = posted.GetValueOrDefault();
        refused = posted is null ? ConsolePage.Invalid(view, errors, title) : null;
        return posted is not null;
    }

    /// <summary>The note a page shows after a form redirected back to it (<c>?saved=…</c>), or nothing.</summary>
    public static string Saved(string? text) => text is null ? "" : $"""<p class="status" role="status">{E(text)}</p>""";
}
