using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Campaigns;
using AlumniNetwork.Core.Messaging;
using AlumniNetwork.Core.Scheduling;
using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.AlumniPages;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.AdminConsole.Campaigns;

/// <summary>
/// Campaigns: the list with each one's progress, one campaign's progress with the people skipped by reason, the mail as a
/// recipient gets it (sandboxed), and what could not be delivered: dead-lettered messages to re-drive and failed work to
/// retry. The same Core use cases as the JSON API (ICampaigns, ListDeadLetters, RedriveDeadLetters, ListFailedWork,
/// RetryFailedWork), so reading and re-driving are audited alike.
/// </summary>
public sealed class CampaignsArea : IConsoleArea
{
    public const string Root = ConsolePage.Root + "/campaigns";

    /// <summary>The most recent campaigns the list shows, as the JSON API's list does.</summary>
    public const int Listed = ListCampaigns.ListCampaignsFunction.Limit;

    public string Segment => "campaigns";

    public AdminCapability Capability => AdminCapability.PersonalData;

    public int Order => 30;

    public string Label(Locale locale) => AlumniPage.T(locale, "配信", "Campaigns");

    public void Map(RouteGroupBuilder area)
    {
        area.MapGet("", ListAsync);
        area.MapGet("/dead-letters", ProblemsAsync);
        area.MapGet("/{campaignId}", ShowAsync);
        area.MapGet("/{campaignId}/preview", PreviewAsync);
        area.MapConsoleForm("/dead-letters/{queue}/redrive", RedriveAsync);
        area.MapConsoleForm("/failed-work/retry", RetryAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ICampaigns campaigns, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var list = await campaigns.ListAsync(Listed, cancellationToken);
        var title = view.T("配信", "Campaigns");
        return view.Render(StatusCodes.Status200OK, title, $"""
            <h1>{title}</h1>
            <p><a href="{Root}/dead-letters">{view.T("配信できなかったメッセージと失敗した処理", "Dead letters and failed work")}</a></p>
            {ConsolePage.Table(view.T($"新しい順に最大 {Listed} 件", $"Newest first, at most {Listed}"),
                [view.T("配信", "Campaign"), view.T("種類", "Kind"), view.T("状態", "Status"), view.T("開始", "Started"), view.T("対象", "Audience"),
                 view.T("除外", "Skipped"), view.T("送信", "Sent"), view.T("到達", "Delivered"), view.T("開封", "Opened"), view.T("クリック", "Clicked"),
                 view.T("失敗", "Failed"), view.T("未完了", "Pending")],
                list.Select(p => new[]
                {
                    $"""<a href="{Root}/{Uri.EscapeDataString(p.CampaignId)}">{E(p.CampaignId)}</a>""", E(KindLabel(view, p.Kind)), E(StatusLabel(view, p.Status)),
                    ConsolePage.Instant(p.StartedAt), N(p.AudienceSize), N(p.Skipped.Values.Sum()), N(p.Sent), N(p.Delivered), N(p.Opened), N(p.Clicked), N(p.Failed), N(p.Pending),
                }))}
            """);
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string campaignId, ICampaigns campaigns, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        if (await campaigns.GetProgressAsync(campaignId, cancellationToken) is not { } p)
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        var source = p.Kind == CampaignKind.EventInvitation
            ? $"""<a href="{Events.EventsArea.Root}/{Uri.EscapeDataString(p.SourceId)}">{E(p.SourceId)}</a>"""
            : E(p.SourceId);
        return view.Render(StatusCodes.Status200OK, p.CampaignId, $"""
            <p><a href="{Root}">{view.T("← 配信の一覧", "← All campaigns")}</a></p>
            <h1>{E(p.CampaignId)}</h1>
            <p>{E(KindLabel(view, p.Kind))} · {view.T("対象", "About")} {source} · {view.T("開始", "Started")} {ConsolePage.Instant(p.StartedAt)}</p>
            <p><a href="{Root}/{Uri.EscapeDataString(p.CampaignId)}/preview?locale={Locales.JapaneseTag}">{view.T("メールを見る (日本語)", "See the mail (Japanese)")}</a>
            · <a href="{Root}/{Uri.EscapeDataString(p.CampaignId)}/preview?locale={Locales.EnglishTag}">{view.T("メールを見る (英語)", "See the mail (English)")}</a></p>
            {Progress(view, p)}
            <p><a href="{Root}/dead-letters">{view.T("配信できなかったメッセージと失敗した処理", "Dead letters and failed work")}</a></p>
            """);
    }

    /// <summary>A campaign's progress: counts of people, then the skipped by reason. Shared with the event page.</summary>
    public static string Progress(ConsoleView view, CampaignProgress p) =>
        ConsolePage.Table(view.T("進捗 (人数)", "Progress (people)"), [view.T("項目", "Figure"), view.T("人数", "People")],
        [
            [view.T("状態", "Status"), E(StatusLabel(view, p.Status))],
            [view.T("対象 (セグメント内の会員)", "Audience (members in the segment)"), N(p.AudienceSize)],
            [view.T("除外 (配信ルールによる)", "Skipped (by the outreach rules)"), N(p.Skipped.Values.Sum())],
            [view.T("送信済み", "Sent"), N(p.Sent)],
            [view.T("到達", "Delivered"), N(p.Delivered)],
            [view.T("開封", "Opened"), N(p.Opened)],
            [view.T("クリック", "Clicked"), N(p.Clicked)],
            [view.T("失敗", "Failed"), N(p.Failed)],
            [view.T("未完了 (送信中・再送待ち)", "Pending (in flight or awaiting re-drive)"), N(p.Pending)],
            [view.T("バッチ (完了 / 全体)", "Batches (done / all)"), $"{N(p.BatchesDone)} / {N(p.Batches)}"],
        ]) +
        ConsolePage.Table(view.T("除外の理由", "Skipped by reason"), [view.T("理由", "Reason"), view.T("人数", "People")],
            p.Skipped.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => new[] { SkipLabel(view, s.Key), N(s.Value) }));

    private static async Task<IResult> PreviewAsync(HttpContext context, string campaignId, string? locale, ICampaigns campaigns, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("メールのプレビュー", "Mail preview");
        if (!Locales.TryParse(locale ?? view.Lang, out var chosen))
        {
            return ConsolePage.Invalid(view, [new FieldError("locale", $"must be {Locales.JapaneseTag} or {Locales.EnglishTag}")], title);
        }

        if (await campaigns.GetProgressAsync(campaignId, cancellationToken) is not { } p ||
            await campaigns.PreviewAsync(p.Kind, p.SourceId, PreviewRecipient.Of(chosen, PreviewRecipient.Nobody), cancellationToken) is not { } mail)
        {
            return await ConsolePage.NotFoundAsync(context);
        }

        return view.Render(StatusCodes.Status200OK, title, $"""
            <p><a href="{Root}/{Uri.EscapeDataString(p.CampaignId)}">{view.T("← 配信に戻る", "← Back to the campaign")}</a></p>
            <h1>{title}: {E(p.CampaignId)}</h1>
            {MailPreview.Render(view, mail, chosen, $"{Root}/{Uri.EscapeDataString(p.CampaignId)}/preview")}
            """);
    }

    private static async Task<IResult> ProblemsAsync(
        HttpContext context, string? redriven, string? retried, string? remaining, string? queue, MessageQueueNames queues, Core.Admin.ListDeadLetters deadLetters, Core.Admin.ListFailedWork failedWork, CancellationToken cancellationToken)
    {
        var view = await ConsoleView.ForAsync(context);
        var title = view.T("配信できなかったメッセージと失敗した処理", "Dead letters and failed work");
        var actor = ConsoleOutcomes.Actor(context);
        var letters = ((AdminOutcome<DeadLetterListing>.Done)await deadLetters.HandleAsync(null, null, actor, cancellationToken)).Value;
        var failed = ((AdminOutcome<FailedWorkListing>.Done)await failedWork.HandleAsync(null, null, actor, cancellationToken)).Value;
        var note = (Count(redriven), Count(retried), Count(remaining)) switch
        {
            ({ } moved, _, { } left) when queues.Names.Contains(queue, StringComparer.Ordinal) => view.T($"{queue} の {moved} 件をキューに戻しました (残り {left} 件)。", $"{moved} messages of {queue} went back onto their queue ({left} left)."),
            (_, { } again, { } left) => view.T($"失敗した処理 {again} 件を再実行待ちにしました (残り {left} 件)。", $"{again} failed work items will run again ({left} left)."),
            _ => null,
        };
        var perQueue = string.Concat(letters.Queues.Select(q => $"""
            <h3>{E(q.Queue)}: {view.T($"{q.Count} 件", $"{q.Count} dead-lettered")}</h3>
            {(q.Count == 0 ? "" : $"""
                <form method="post" action="{Root}/dead-letters/{Uri.EscapeDataString(q.Queue)}/redrive">{ConsoleForms.TokenField(context)}
                <label>{view.T("戻す件数 (古い順)", "How many (oldest first)")} <input type="number" name="limit" min="1" max="{Core.Admin.RedriveDeadLetters.MaxLimit}" value="{Core.Admin.RedriveDeadLetters.DefaultLimit}"></label>
                <button type="submit">{view.T($"{E(q.Queue)} をキューに戻す", $"Re-drive {E(q.Queue)}")}</button></form>
                """)}
            {(q.Messages.Count == 0 ? "" : ConsolePage.Table(view.T($"{E(q.Queue)} の古いメッセージ", $"Oldest messages of {E(q.Queue)}"),
                [view.T("メッセージ ID", "Message id"), view.T("投入", "Enqueued"), view.T("配信回数", "Deliveries"), view.T("理由", "Reason"), view.T("内容 (ID のみ)", "Body (ids only)")],
                q.Messages.Select(m => new[] { E(m.MessageId), ConsolePage.Instant(m.EnqueuedAt), N(m.DeliveryCount), $"{E(m.Reason)}<br><span class=\"secondary\">{E(m.Description)}</span>", $"<code>{E(m.Body)}</code>" })))}
            """));
        return view.Render(StatusCodes.Status200OK, title, $"""
            <p><a href="{Root}">{view.T("← 配信の一覧", "← All campaigns")}</a></p>
            <h1>{title}</h1>
            {ConsoleOutcomes.Saved(note)}
            <h2>{view.T("配信できなかったメッセージ (デッドレター)", "Dead-lettered messages")}</h2>
            <p class="secondary">{view.T("処理が何度も失敗したメッセージです。原因を直してからキューに戻してください。処理は重複しても安全です。",
                "Messages whose handling failed every time. Fix the cause, then put them back on their queue; handling one twice is safe.")}</p>
            {perQueue}
            <h2>{view.T($"失敗した処理: {failed.Total} 件", $"Failed work: {failed.Total}")}</h2>
            {ConsolePage.Table(view.T("待っても解決しない理由で失敗した処理 (期日の古い順)", "Work that failed for a cause waiting will not cure (oldest due first)"),
                [view.T("種類", "Kind"), view.T("対象", "Subject"), view.T("期日", "Due"), view.T("失敗", "Failed"), view.T("理由", "Reason"), view.T("試行", "Attempts")],
                failed.Items.Select(i => new[] { E(i.Kind), E(i.SubjectId), ConsolePage.Instant(i.DueAt), ConsolePage.Instant(i.FailedAt), E(i.Reason), N(i.Attempts) }))}
            {(failed.Total == 0 ? "" : $"""
                <form method="post" action="{Root}/failed-work/retry">{ConsoleForms.TokenField(context)}
                <label>{view.T("種類", "Kind")} <select name="kind"><option value="">{view.T("すべて", "All")}</option>
                {string.Concat(WorkKinds.All.Select(k => $"""<option value="{E(k)}">{E(k)}</option>"""))}</select></label>
                <button type="submit">{view.T("失敗した処理を再実行する", "Retry failed work")}</button></form>
                """)}
            """);
    }

    private static async Task<IResult> RedriveAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var queue = (string)context.Request.RouteValues["queue"]!;
        var redrive = context.RequestServices.GetRequiredService<Core.Admin.RedriveDeadLetters>();
        var outcome = await redrive.HandleAsync(queue, form["limit"].ToString(), ConsoleOutcomes.Actor(context), context.RequestAborted);
        return outcome is AdminOutcome<RedriveResult>.Done { Value: var r }
            ? Results.Redirect($"{Root}/dead-letters?redriven={I(r.Redriven)}&remaining={I(r.Remaining)}&queue={Uri.EscapeDataString(r.Queue)}")
            : await ConsoleOutcomes.RefusedAsync(view, outcome, view.T("キューに戻せませんでした", "Nothing was re-driven"));
    }

    private static async Task<IResult> RetryAsync(IFormCollection form, HttpContext context)
    {
        var view = await ConsoleView.ForAsync(context);
        var retry = context.RequestServices.GetRequiredService<Core.Admin.RetryFailedWork>();
        var outcome = await retry.HandleAsync(form["kind"].ToString(), form["limit"].ToString(), ConsoleOutcomes.Actor(context), context.RequestAborted);
        return outcome is AdminOutcome<RetriedWork>.Done { Value: var r }
            ? Results.Redirect($"{Root}/dead-letters?retried={I(r.Retried)}&remaining={I(r.Remaining)}")
            : await ConsoleOutcomes.RefusedAsync(view, outcome, view.T("再実行できませんでした", "Nothing was retried"));
    }

    public static string KindLabel(ConsoleView view, CampaignKind kind) => kind switch
    {
        CampaignKind.EventInvitation => view.T("イベント招待", "Event invitation"),
        CampaignKind.Newsletter => view.T("ニュースレター", "Newsletter"),
        CampaignKind.Survey => view.T("アンケート", "Survey"),
        CampaignKind.Opening => view.T("求人・案件", "Opening"),
        _ => kind.ToString(),
    };

    public static string StatusLabel(ConsoleView view, CampaignStatus status) => status switch
    {
        CampaignStatus.Planning => view.T("対象を準備中", "Planning"),
        CampaignStatus.Sending => view.T("送信中", "Sending"),
        CampaignStatus.Completed => view.T("完了", "Completed"),
        CampaignStatus.Stopped => view.T("停止", "Stopped"),
        _ => status.ToString(),
    };

    /// <summary>The outreach rules' reason codes (OutreachPolicy), in words; the code itself stays visible for support.</summary>
    private static string SkipLabel(ConsoleView view, string reason)
    {
        var (code, detail) = reason.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (reason[..colon], reason[(colon + 1)..]) : (reason, "");
        var words = code switch
        {
            "do-not-contact" => view.T("連絡停止 (人事のフラグ)", "Do not contact (HR flag)"),
            "suppressed" => view.T("配信停止中のアドレス", "Suppressed address"),
            "not-a-member" => view.T("ネットワーク未参加", "Not a member"),
            "no-consent" => Enum.TryParse<Core.Consent.ConsentPurpose>(detail, out var purpose) && Enum.IsDefined(purpose)
                ? view.T($"同意なし: {AlumniPage.PurposeLabel(purpose, view.Locale)}", $"No consent: {AlumniPage.PurposeLabel(purpose, view.Locale)}")
                : view.T("同意なし", "No consent"),
            "quiet-period" => view.T("退職直後の配信休止期間", "Quiet period after leaving"),
            "cap" => view.T("宣伝メールの上限に達した", "Cap on promotional emails reached"),
            CampaignProgress.ErasedReason => view.T("送信前にデータを消去した", "Erased before the mail went"),
            CampaignProgress.StoppedReason => view.T("配信の停止で未送信", "Not sent: the campaign stopped"),
            _ => null,
        };
        return words is null ? $"<code>{E(reason)}</code>" : $"{E(words)} <code class=\"secondary\">{E(reason)}</code>";
    }

    private static int? Count(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
