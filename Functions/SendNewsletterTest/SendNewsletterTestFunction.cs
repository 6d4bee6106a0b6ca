using AlumniNetwork.Core.Validation;
using AlumniNetwork.Functions.Hosting.Http;
using AlumniNetwork.Functions.Hosting.Security;

namespace AlumniNetwork.Functions.SendNewsletterTest;

/// <summary>
/// Admin: mails the newsletter the timer would send now to one address at the company's mail domains
/// (<c>{"email": …, "locale": …}</c>), marked as a test. Audited; 503 when the email provider does not take it.
/// </summary>
public static class SendNewsletterTestFunction
{
    public const int MaxBodyBytes = 4 * 1024;
    private static readonly string[] Fields = ["email", "locale"];

    public static void Map(IEndpointRouteBuilder app) => app.MapPost("/api/manage/newsletter/test", async (
        HttpRequest request, AdminActor actor, Core.Newsletters.SendNewsletterTest newsletter, CancellationToken cancellationToken) =>
    {
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

        var outcome = await newsletter.SendAsync(fields.Text("email", 254, required: true), fields.Text("locale", 10, required: true), actor.Id, cancellationToken);
        return outcome is Core.Admin.AdminOutcome<string>.Done ? Results.Accepted() : outcome.ToHttp();
    }).RequireAuthorization(AdminAuthentication.PolicyName);
}
