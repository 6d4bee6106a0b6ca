using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>
/// Optimistic concurrency of the JSON admin API (ADR 0032, RFC 9110 §8.8.3, §13.1.1): a record's read answers with
/// <c>ETag: "&lt;version&gt;"</c>, a strong tag whose value is its <see cref="RecordVersion"/>; a change of it may send that tag
/// back in <c>If-Match</c>, and is refused with 412 (nothing written, audited or sent) when the record changed since.
/// <c>If-Match: *</c> or no header: any version, as before. The console carries the version in a form field instead.
/// </summary>
public static class EntityTags
{
    public const string IfMatch = "If-Match";

    /// <summary>The version <c>If-Match</c> names (null: no header, or <c>*</c>); false with a 400 naming the header when it is not one strong tag of a version.</summary>
    public static bool TryReadIfMatch(HttpRequest request, out RecordVersion? seen, [NotNullWhen(false)] out IResult? refused)
    {
        seen = null;
        refused = null;
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return true;
        }

        var tag = values.Count == 1 ? values[0]?.Trim() : null;
        if (tag == "*")
        {
            return true;
        }

        if (tag is ['"', .. var inner, '"'] && long.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks > 0)
        {
            seen = new RecordVersion(ticks);
            return true;
        }

        refused = Problems.Invalid([new FieldError(IfMatch, "must be * or one strong entity tag (\"…\", not W/) as the ETag of the record's last read answered")]);
        return false;
    }

    /// <summary>
    /// <see cref="AdminResults.ToHttp{T}"/>, and on success the record's version as <c>ETag</c>, so the next change can send it back.
    /// </summary>
    public static IResult ToHttp<T>(this AdminOutcome<T> outcome, HttpContext context, string subject, Func<T, DateTimeOffset> updatedAt)
    {
        if (outcome is AdminOutcome<T>.Done done)
        {
            context.Response.Headers.ETag = Of(RecordVersion.Of(updatedAt(done.Value)));
        }

        return outcome.ToHttp(subject);
    }

    /// <summary>The strong entity tag of a version: its value quoted.</summary>
    public static string Of(RecordVersion version) => new EntityTagHeaderValue($"\"{version}\"").ToString();

    /// <summary>Describes the <c>ETag</c> of a success (a read's 200, a create's 201) (<paramref name="status"/>) in the admin API document.</summary>
    public static RouteHandlerBuilder AnswersWithETag(this RouteHandlerBuilder builder, int status = StatusCodes.Status200OK) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
    {
        DescribeETag(operation, status);
        return Task.CompletedTask;
    });

    /// <summary>Describes the optional <c>If-Match</c> of a change, its 400 and 412, and the <c>ETag</c> of its 200 in the admin API document.</summary>
    public static RouteHandlerBuilder AcceptsIfMatch(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IfMatch,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The ETag of the record's last read: the change is made only if the record is still that version, else 412 " +
                    "(nothing changed; read it again, then retry). * or no header: any version. Anything but * or one strong tag: 400.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            DescribeETag(operation, StatusCodes.Status200OK);
            return Task.CompletedTask;
        });

    private static void DescribeETag(OpenApiOperation operation, int status)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue(key, out var ok))
        {
            ok = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
            operation.Responses[key] = ok;
        }

        if (ok is OpenApiResponse response)
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[HeaderNames.ETag] = new OpenApiHeader
            {
                Description = "The record's version as a strong entity tag; send it back in If-Match to change the record only if nobody else did.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }
}
