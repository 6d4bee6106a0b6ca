using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>RFC 9457 problem details that name the field and the rule; never echo submitted values.</summary>
public static class Problems
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request has invalid fields.",
        detail: string.Join("; ", errors.Select(e => $"{e.Field} {e.Rule}")),
        type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { field = e.Field, rule = e.Rule }).ToArray() });

    public static IResult Status(int statusCode, string title, string detail) =>
        Results.Problem(statusCode: statusCode, title: title, detail: detail);
}
