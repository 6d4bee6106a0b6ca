using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SendNewsletterTest;

/// <summary>
/// Admin: mails the newsletter the timer would send now to one address at the company's mail domains
/// (<c>{"email": …, "locale": …}</c>), marked as a test. Audited; 503 when the email provider does not take it. An
/// optional <c>Idempotency-Key</c> (ADR 0037): sent again with the same body, nothing is mailed and the first answer
/// comes back (202, or its 503); with another body 409; malformed 400.
/// </summary>
public static class SendNewsletterTestFunction
{
    public const int MaxBodyBytes = 4 * 1024;
    private static readonly string[] Fields = ["email", "locale"];

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/manage/newsletter/test", async (
        HttpRequest request, AdminActor actor, Core.Newsletters.SendNewsletterTest newsletter, CancellationToken cancellationToken) =>
    {
        if (!IdempotencyKeys.TryRead(request, out var key, out var refused))
        {
            return refused;
        }

        var (body, problem) = await BodyReader.ReadJsonAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (fields, errors) = JsonFields.Read(body, Fields);
        if (fields is null || errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await newsletter.SendAsync(fields.Text("email", 254, required: true), fields.Text("locale", 10, required: true), actor.Id, key, cancellationToken);
        return outcome is Core.Admin.AdminOutcome<string>.Done or Core.Admin.AdminOutcome<string>.Repeated ? Results.Accepted() : outcome.ToHttp();
    }).RequireAuthorization(AdminAuthentication.PolicyName);
}
