using AlumniNetwork.Core.Validation;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>RFC 9457 problem details that name the field and the rule; never echo submitted values.</summary>
public static class Problems
{
    public static IResult Invalid(IReadOnlyList<FieldError> errors) =>
        Fields(StatusCodes.Status400BadRequest, "The request has invalid fields.", "https://tools.ietf.org/html/rfc9110#section-15.5.1", errors);

    /// <summary>409 for a well-formed field the record's present state refuses (not a race): named like an invalid one.</summary>
    public static IResult Conflict(FieldError error) =>
        Fields(StatusCodes.Status409Conflict, "Conflict.", "https://tools.ietf.org/html/rfc9110#section-15.5.10", [error]);

    /// <summary>401 for credentials the request carries wrongly or not at all (a webhook's signature headers), named like an invalid field.</summary>
    public static IResult Unauthorized(IReadOnlyList<FieldError> errors) =>
        Fields(StatusCodes.Status401Unauthorized, "Signature rejected.", "https://tools.ietf.org/html/rfc9110#section-15.5.2", errors);

    public static IResult Status(int statusCode, string title, string detail) =>
        Results.Problem(statusCode: statusCode, title: title, detail: detail);

    private static IResult Fields(int statusCode, string title, string type, IReadOnlyList<FieldError> errors) => Results.Problem(
        statusCode: statusCode,
        title: title,
        detail: string.Join("; ", errors.Select(e => $"{e.Field} {e.Rule}")),
        type: type,
        extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { field = e.Field, rule = e.Rule }).ToArray() });
}
