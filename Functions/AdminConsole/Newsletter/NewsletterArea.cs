using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Newsletters;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.AdminConsole.Campaigns;
using AlumniNetwork.Functions.AlumniPages;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Newsletter;

/// <summary>
/// The newsletter: its news items (create, edit, delete, with the admin API's body built from the form), the issue the
/// timer would send now as its recipients would see it (sandboxed), and a test send to one address. The same use cases
/// as the JSON API (ManageNewsItems, SendNewsletterTest), audited alike.
/// </summary>
public sealed class NewsletterArea : IConsoleArea
{
    public const string Root = ConsolePage.Root + "/newsletter";

    /// <summary>The fields a <c>datetime-local</c> control fills, in the company's time zone.</summary>
    private static readonly string[] LocalTimes = ["publishFrom", "publishUntil"];

    private static readonly FormField[] NewsFields = [.. NewsItemDraft.Fields.Select(f => new FormField(f))];

    public string Segment => "newsletter";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 40;

    public string Label(Locale locale) => AlumniPage.T(locale, "ニュースレター", "Newsletter");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", ListAsync);
        // A Delegate, not a RequestDelegate: that overload would drop the page the lambda returns.
        area.MapGet("/news/new", (Delegate)(async (HttpContext context) => NewsPage(await ConsoleView.ForAsync(context), StatusCodes.Status200OK, null, ConsoleFormValues.NewCreate(), [])));
        area.MapGet("/news/{newsId:length(32)}", EditAsync);
        area.MapGet("/preview", async (HttpContext context, string? locale, string? sent) => await PreviewAsync(await ConsoleView.ForAsync(context), locale, sent == "1", "", IdempotencyKey.NewValue(), []));
        area.MapConsoleForm("/news", SaveAsync);
        area.MapConsoleForm("/news/{newsId:length(32)}", SaveAsync);
        area.MapConsoleForm("/news/{newsId:length(32)}/delete", DeleteAsync);
        area.MapConsoleForm("/test", SendTestAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? saved, ManageNewsItems news, IOptions<CompanyOptions> company, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var zone = company.Value.ResolveTimeZone();
        var title = view.T("ニュースレター", "Newsletter");
        var items = await news.ListAsync(cancellationToken);
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{title}</h1>
            {ConsoleOutcomes.Saved(saved switch
            {
                "created" => view.T("お知らせを追加しました。", "The news item is added."),
                "updated" => view.T("お知らせを保存しました。変更は送信中の号のまだ送っていないメールと次に送られる号に載りますが、変更だけでは号は送られません。変更を知らせるには、お知らせを追加してください。",
                    "The news item is saved. The edit appears in the mail not yet sent of an issue still going out and in the next issue that goes out, but an edit alone does not make an issue go out: to announce a change, add a news item."),
                "deleted" => view.T("お知らせを削除しました。送信中の号でも、まだ送っていないメールからは外れます。", "The news item is deleted; an issue still going out leaves it out of the mail not yet sent."),
                _ => null,
            })}
            <p><a href="{Root}/preview">{view.T("今送られる号のプレビューとテスト送信", "Preview and test-send the issue as it would go out now")}</a>
            · <a href="{Root}/news/new">{view.T("お知らせを追加", "Add a news item")}</a></p>
            <p>{view.T("号は毎月タイマーが作成し、配信します。作成済みの号の配信状況は", "The timer composes and sends an issue each month; the issues composed so far are in")}
            <a href="{CampaignsArea.Root}">{view.T("配信の一覧", "Campaigns")}</a>{view.T("にあります。", ".")}</p>
            <p class="secondary">{view.T($"掲載期間の日時は {company.Value.TimeZone} の時刻です。", $"Publish times are in {company.Value.TimeZone}.")}</p>
            {ConsolePage.Table(view.T("お知らせ (掲載開始の新しい順)", "News items (latest publish date first)"),
                [view.T("タイトル", "Title"), view.T("掲載開始", "Published from"), view.T("掲載終了", "Published until"), view.T("更新", "Updated")],
                items.Select(i => new[]
                {
                    $"""<a href="{Root}/news/{E(i.Id)}">{E(view.T(i.TitleJa, i.TitleEn))}</a>""",
                    E(ConsoleFormValues.InstantToLocal(i.PublishFrom, zone).Replace('T', ' ')), E(i.PublishUntil is null ? "—" : ConsoleFormValues.InstantToLocal(i.PublishUntil, zone).Replace('T', ' ')),
                    ConsolePage.Instant(i.UpdatedAt),
                }))}
            """);
    }

    private static async Task<IResult> EditAsync(HttpContext context, string newsId, ManageNewsItems news, IOptions<CompanyOptions> company, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await news.GetAsync(newsId, cancellationToken) is not AdminOutcome<NewsItem>.Done { Value: var item })
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var zone = company.Value.ResolveTimeZone();
        var values = ConsoleFormValues.Of(new Dictionary<string, StringValues>
        {
            ["titleJa"] = item.TitleJa, ["titleEn"] = item.TitleEn, ["bodyJa"] = item.BodyJa, ["bodyEn"] = item.BodyEn, ["link"] = item.Link?.AbsoluteUri,
            ["publishFrom"] = ConsoleFormValues.InstantToLocal(item.PublishFrom, zone), ["publishUntil"] = ConsoleFormValues.InstantToLocal(item.PublishUntil, zone),
            [RecordVersion.Field] = RecordVersion.Of(item.UpdatedAt).ToString(),
        });
        return NewsPage(view, StatusCodes.Status200OK, newsId, values, []);
    }

    /// <param name="id">The item being edited; null for a new one.</param>
    private static IResult NewsPage(ConsoleView view, int status, string? id, ConsoleFormValues values, IReadOnlyList<FieldError> errors)
    {
        var f = new ConsoleFields(values, errors);
        var zone = view.Context.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value.TimeZone;
        var title = id is null ? view.T("お知らせを追加", "Add a news item") : view.T("お知らせを編集", "Edit the news item");
        var delete = id is null ? "" : $"""
            <h2>{view.T("削除", "Delete")}</h2>
            <form method="post" action="{Root}/news/{E(id)}/delete">{ConsoleForms.TokenField(view.Context)}
            <p class="secondary">{view.T("今後の号に載らなくなります。作成済みの号はそのままです。", "It will be in no future issue; issues already composed keep their copy.")}</p>
            <p><button type="submit">{view.T("このお知らせを削除", "Delete this news item")}</button></p></form>
            """;
        return view.Render(status, title, $"""
            <p><a href="{Root}">{view.T("← ニュースレター", "← Newsletter")}</a></p>
            <h1>{title}</h1>
            {ConsolePage.Errors(view, errors)}
            <form method="post" action="{Root}/news{(id is null ? "" : "/" + E(id))}">
            {ConsoleForms.TokenField(view.Context)}
            {ConsoleForms.VersionField(id is null ? null : values[RecordVersion.Field])}
            {ConsoleForms.KeyField(id is null ? values[IdempotencyKey.Field] : null)}
            {f.Text("titleJa", view.T("タイトル (日本語)", "Title (Japanese)"), NewsItem.MaxTitleLength, required: true)}
            {f.Text("titleEn", view.T("タイトル (英語)", "Title (English)"), NewsItem.MaxTitleLength, required: true)}
            {f.TextArea("bodyJa", view.T("本文 (日本語)", "Text (Japanese)"), NewsItem.MaxBodyLength, 6)}
            {f.TextArea("bodyEn", view.T("本文 (英語)", "Text (English)"), NewsItem.MaxBodyLength, 6)}
            {f.Text("link", view.T("リンク (任意)", "Link (optional)"), NewsItem.MaxLinkLength, "url")}
            {f.Text("publishFrom", view.T("掲載開始", "Publish from"), 0, "datetime-local", zone, required: true)}
            {f.Text("publishUntil", view.T("掲載終了 (任意)", "Publish until (optional)"), 0, "datetime-local", zone)}
            <p><button type="submit">{view.T("保存", "Save")}</button></p>
            </form>
            {delete}
            """);
    }

    /// <summary>Create (no id in the route) or replace: the form's local times become instants in the company's time zone, the rest is the API's body as it is.</summary>
    private static async Task<IResult> SaveAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var id = context.Request.RouteValues["newsId"] as string;
        var title = view.T("お知らせを保存できませんでした", "The news item was not saved");
        var versionErrors = new List<FieldError>();
        var seen = id is null ? null : ConsoleOutcomes.PostedVersion(form, versionErrors);
        if (versionErrors.Count > 0)
        {
            return ConsolePage.Invalid(view, versionErrors, title);
        }

        IdempotencyKey? key = null;
        if (id is null && !ConsoleForms.TryPostedKey(view, form, title, out key, out var refused))
        {
            return refused;
        }

        var zone = context.RequestServices.GetRequiredService<IOptions<CompanyOptions>>().Value.ResolveTimeZone();
        var values = ConsoleFormValues.From(form);
        var body = values.With(LocalTimes.Select(f => KeyValuePair.Create(f, new StringValues(ConsoleFormValues.LocalToInstant(values[f], zone)))))
            .ToJson(NewsFields);
        var news = context.RequestServices.GetRequiredService<ManageNewsItems>();
        var actor = ConsoleOutcomes.Actor(context);
        var outcome = id is null ? await news.CreateAsync(body, actor, key, context.RequestAborted) : await news.ReplaceAsync(id, body, seen, actor, context.RequestAborted);
        return outcome switch
        {
            // A double click or a resubmit of the new-item form finds the item its first post created: the same answer.
            AdminOutcome<NewsItem>.Done or AdminOutcome<NewsItem>.Repeated => Results.Redirect($"{Root}?saved={(id is null ? "created" : "updated")}"),
            AdminOutcome<NewsItem>.Invalid invalid => NewsPage(view, StatusCodes.Status400BadRequest, id, values, invalid.Errors),
            AdminOutcome<NewsItem>.Conflict { Code: ConflictCode.TooManyLiveNewsItems } => NewsPage(view, StatusCodes.Status409Conflict, id, values, [ManageNewsItems.TooManyLive]),
            AdminOutcome<NewsItem>.Stale => ConsoleOutcomes.Stale(view, title, $"{Root}/news/{id}"),
            _ => await ConsoleOutcomes.RefusedAsync(view, outcome, title),
        };
    }

    private static async Task<IResult> DeleteAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var news = context.RequestServices.GetRequiredService<ManageNewsItems>();
        var outcome = await news.DeleteAsync((string)context.Request.RouteValues["newsId"]!, ConsoleOutcomes.Actor(context), context.RequestAborted);
        return outcome is AdminOutcome<string>.Done
            ? Results.Redirect($"{Root}?saved=deleted")
            : await ConsoleOutcomes.RefusedAsync(view, outcome, view.T("お知らせを削除できませんでした", "The news item was not deleted"));
    }

    /// <param name="key">The test-send form's one-time key: a double click or a resubmit mails once (ADR 0037).</param>
    private static async Task<IResult> PreviewAsync(ConsoleView view, string? locale, bool sent, string email, string key, IReadOnlyList<FieldError> errors)
    {
        var title = view.T("ニュースレターのプレビュー", "Newsletter preview");
        if (!Locales.TryParse(string.IsNullOrEmpty(locale) ? view.Lang : locale, out var chosen))
        {
            return ConsolePage.Invalid(view, [new FieldError("locale", $"must be {Locales.JapaneseTag} or {Locales.EnglishTag}")], title);
        }

        var newsletter = view.Context.RequestServices.GetRequiredService<Core.Newsletters.SendNewsletterTest>();
        var mail = (await newsletter.PreviewAsync(chosen, PreviewRecipient.Nobody, view.Context.RequestAborted))!;
        var f = new ConsoleFields(ConsoleFormValues.Of([KeyValuePair.Create("email", new StringValues(email)), KeyValuePair.Create("locale", new StringValues(chosen.ToTag()))]), errors);
        return view.Render(errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, title, $"""
            <p><a href="{Root}">{view.T("← ニュースレター", "← Newsletter")}</a></p>
            <h1>{title}</h1>
            <p>{view.T("今このときタイマーが送るとしたらこの内容です。前号から新しい項目がなければ送られません。",
                "This is the issue the timer would send now. It is not sent when nothing is new since the last issue.")}</p>
            {MailPreview.Render(view, mail, chosen, Root + "/preview")}
            <h2>{view.T("テスト送信", "Test send")}</h2>
            {ConsoleOutcomes.Saved(sent ? view.T("テストメールを送りました。", "The test mail is sent.") : null)}
            {ConsolePage.Errors(view, errors)}
            <form method="post" action="{Root}/test">{ConsoleForms.TokenField(view.Context)}
            {ConsoleForms.KeyField(key)}
            {f.Text("email", view.T("送信先のメールアドレス", "Send to (email address)"), 254, "email", required: true)}
            {f.Select("locale", view.T("言語", "Language"), [(Locales.JapaneseTag, "日本語"), (Locales.EnglishTag, "English")])}
            <p class="secondary">{view.T("会社のメールドメインのアドレスにだけ送れます。件名に [TEST] が付き、配信停止ヘッダーは付きません。監査ログには送信先そのものではなく、その仮名（鍵付きハッシュ）を記録します。",
                "Only to an address at the company's mail domains. The subject starts with [TEST] and the mail carries no unsubscribe header. The audit log records a keyed pseudonym of the address, not the address.")}</p>
            <p><button type="submit">{view.T("テスト送信", "Send a test")}</button></p>
            </form>
            """);
    }

    private static async Task<IResult> SendTestAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("テストメールを送れませんでした", "The test mail was not sent");
        if (!ConsoleForms.TryPostedKey(view, form, title, out var key, out var refused))
        {
            return refused;
        }

        var newsletter = context.RequestServices.GetRequiredService<Core.Newsletters.SendNewsletterTest>();
        var (email, locale) = (form["email"].ToString(), form["locale"].ToString());
        return await newsletter.SendAsync(email, locale, ConsoleOutcomes.Actor(context), key, context.RequestAborted) switch
        {
            // A double click or a resubmit of the form finds the first send: the same answer, no second mail.
            AdminOutcome<string>.Done or AdminOutcome<string>.Repeated => Results.Redirect($"{Root}/preview?locale={Uri.EscapeDataString(locale)}&sent=1"),
            // Nothing was sent or recorded under the key: the form shown again keeps it.
            AdminOutcome<string>.Invalid invalid => await PreviewAsync(view, Locales.TryParse(locale, out _) ? locale : null, false, email, key?.Value ?? IdempotencyKey.NewValue(), invalid.Errors),
            var other => await ConsoleOutcomes.RefusedAsync(view, other, title),
        };
    }
}
