using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Sends;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.Hosting.Http;

namespace AlumniNetwork.Functions.SendGridEvents;

/// <summary>SendGrid Event Webhook (signed). Transport checks here; what each event means lives in Core.</summary>
public static class SendGridEventsFunction
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/sendgrid/events", async (
        HttpRequest request, SendGridEventSignature signature, ReceiveEmailEvents events, IEventWebhookHeartbeat heartbeat, CancellationToken cancellationToken) =>
    {
        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var verification = signature.Verify(request.Headers[SignatureHeader], request.Headers[TimestampHeader], body);
        if (verification != WebhookVerification.Valid)
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, "Signature rejected.", $"SendGrid event webhook verification failed: {verification}.");
        }

        var outcome = await events.HandleAsync(body, cancellationToken);
        if (outcome is EmailEventsOutcome.Applied)
        {
            // Only a post applied whole counts: the silence about a request means something only while posts are accepted.
            await heartbeat.NoteAcceptedAsync(cancellationToken);
        }

        return outcome switch
        {
            EmailEventsOutcome.Invalid invalid => Problems.Invalid(invalid.Errors),
            EmailEventsOutcome.Applied applied => Results.Ok(applied.Report),
            _ => throw new InvalidOperationException("Unknown event batch outcome."),
        };
    }).DisableAntiforgery();
}
