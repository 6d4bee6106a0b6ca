using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Http;
using static AlumniNetwork.Functions.Hosting.Http.HtmlPage;

namespace AlumniNetwork.Functions.DevSendGrid;

/// <summary>
/// Development only: a SendGrid v3 <c>mail/send</c>-compatible sink the app's own SendGrid client points at,
/// and an outbox to read what was sent (<c>/dev/outbox</c> in a browser, <c>/dev/outbox/messages</c> as JSON).
/// </summary>
public static class DevSendGridEndpoints
{
    public const string MailSendPath = "/dev/sendgrid/v3/mail/send";

    /// <summary>SendGrid's own limit on a whole request.</summary>
    public const int MaxMailBytes = 30 * 1024 * 1024;

    public static void MapDevSendGrid(this IEndpointRouteBuilder app)
    {
        app.MapPost(MailSendPath, async (HttpRequest request, DevOutbox outbox, TimeProvider time, CancellationToken cancellationToken) =>
        {
            if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return Errors(StatusCodes.Status401Unauthorized, [new SendGridError(null, "The provided authorization grant is invalid, expired, or revoked")]);
            }

            if (await BodyReader.ReadLimitedAsync(request, MaxMailBytes, cancellationToken) is not { } body)
            {
                return Errors(StatusCodes.Status413PayloadTooLarge, [new SendGridError(null, $"The request must be at most {MaxMailBytes} bytes.")]);
            }

            var (document, problems) = StrictJson.Parse(body, maxDepth: 64, "Bad Request");
            if (document is null)
            {
                return Errors(StatusCodes.Status400BadRequest, problems.Select(p => new SendGridError(p.Field == "$" ? null : p.Field, p.Rule)).ToArray());
            }

            using (document)
            {
                var errors = SendGridMailValidator.Validate(document.RootElement, time.GetUtcNow());
                if (errors.Count > 0)
                {
                    return Errors(StatusCodes.Status400BadRequest, errors);
                }

                var messageId = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                outbox.Accept(messageId, document.RootElement, time.GetUtcNow());
                request.HttpContext.Response.Headers["X-Message-Id"] = messageId;
                return Results.StatusCode(StatusCodes.Status202Accepted);
            }
        }).DisableAntiforgery();

        app.MapGet("/dev/outbox/messages", (DevOutbox outbox) => Results.Ok(outbox.All));
        app.MapGet("/dev/outbox/stats", (DevOutbox outbox) => Results.Ok(outbox.Stats));
        var metrics = app.ServiceProvider.GetRequiredService<DevMetrics>(); // listening from start-up, not from the first request
        app.MapGet("/dev/metrics", () => Results.Ok(metrics.Totals));
        app.MapGet("/dev/outbox/messages/{id}/html", (string id, DevOutbox outbox, HttpResponse response) =>
        {
            if (outbox.All.FirstOrDefault(m => m.Id == id) is not { Html: { } html })
            {
                return Results.NotFound();
            }

            // Opened on its own, a captured mail runs no script (nothing can reach this origin, where the development
            // console lives) and submits no form; its links still work, and it keeps its origin only so that browser
            // tests can read it (harmless when nothing in it can run). Nothing is fetched but images.
            response.Headers.ContentSecurityPolicy = "sandbox allow-same-origin; default-src 'none'; img-src * data:; style-src 'unsafe-inline'";
            return Results.Content(html, "text/html; charset=utf-8");
        });
        app.MapDelete("/dev/outbox/messages", (DevOutbox outbox) =>
        {
            outbox.Clear();
            return Results.NoContent();
        });
        app.MapGet("/dev/outbox", (DevOutbox outbox) => HtmlPage.Render(StatusCodes.Status200OK, "en", "Outbox (development)", $"""
            <h1>Outbox (development)</h1>
            <p class="secondary">Mails the app sent through its SendGrid client in Development, newest first: {outbox.Stats.Mails} mails in
            {outbox.Stats.Requests} requests (the newest {Math.Min(outbox.All.Count, ShownOnPage)} shown). JSON: <a href="/dev/outbox/messages">/dev/outbox/messages</a></p>
            {string.Concat(outbox.All.Reverse().Take(ShownOnPage).Select(Render))}
            """, contentSecurityPolicy: OutboxPolicy));
    }

    private const int ShownOnPage = 50;

    /// <summary>
    /// The page's strict policy, widened for the mails it shows: a srcdoc frame inherits the page's policy, so the mails'
    /// images (remote or data:) need <c>img-src</c>. Scripts stay blocked here and by the frames' sandbox.
    /// </summary>
    private const string OutboxPolicy = StrictContentSecurityPolicy + "; img-src * data:; frame-src 'self'";

    /// <summary>
    /// Each mail's HTML is rendered as the recipient would see it, inside a sandboxed frame (no scripts, no forms, no
    /// same-origin access), with the source and the text part beside it. Its links open in a new tab, as a mail client
    /// opens them (the app's own pages refuse to be framed): the appended <c>base</c> sets the target (a document's
    /// first <c>base</c> with a target counts wherever it stands, and at the end it leaves the doctype first), and the
    /// sandbox lets that tab open, outside the sandbox.
    /// </summary>
    private static string Render(OutboxMail mail) => $"""
        <article>
        <h2><a href="/dev/outbox/messages/{Uri.EscapeDataString(mail.Id)}/html">{E(mail.Subject)}</a></h2>
        <dl>
        <dt>To</dt><dd>{E(string.Join(", ", mail.To))}</dd>
        <dt>From</dt><dd>{E(mail.From)}</dd>
        <dt>Received</dt><dd>{E(mail.ReceivedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}</dd>
        <dt>Categories</dt><dd>{E(string.Join(", ", mail.Categories))}</dd>
        <dt>Headers</dt><dd>{E(string.Join("; ", mail.Headers.Select(h => $"{h.Key}: {h.Value}")))}</dd>
        </dl>
        {(mail.Attachments.Count == 0 ? "" : $"<p>Attachments: {E(string.Join(", ", mail.Attachments.Select(a => $"{a.FileName} ({a.Type})")))}</p>")}
        {(mail.Html is null ? "" : $"""<iframe title="{E(mail.Subject)}" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" style="width: 100%; height: 24rem; border: 1px solid #888888;" srcdoc="{E(mail.Html + "<base target=\"_blank\">")}"></iframe>""")}
        <details><summary>Text</summary><pre>{E(mail.Text)}</pre></details>
        <details><summary>HTML source</summary><pre>{E(mail.Html)}</pre></details>
        </article>
        <hr>
        """;

    private static IResult Errors(int status, IReadOnlyList<SendGridError> errors) =>
        Results.Json(new { errors = errors.Select(e => new { field = e.Field, message = e.Message, help = (string?)null }) }, statusCode: status);
}
