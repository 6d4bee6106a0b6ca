using System.Diagnostics.CodeAnalysis;
using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Validation;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AlumniNetwork.Functions.Hosting.Http;

/// <summary>
/// The optional <c>Idempotency-Key</c> of the admin API's creates (ADR 0037): the same create repeated with the same key
/// and body changes nothing and answers 200 with the record; the key with another body answers 409 naming the header.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The key the request carries (null: none); false with a 400 naming the header when it is not one.</summary>
    public static bool TryRead(HttpRequest request, out IdempotencyKey? key, [NotNullWhen(false)] out IResult? refused)
    {
        var errors = new List<FieldError>();
        key = IdempotencyKey.Parse(request.Headers[IdempotencyKey.Header], IdempotencyKey.Header, errors);
        refused = errors.Count > 0 ? Problems.Invalid(errors) : null;
        return refused is null;
    }

    /// <summary>Describes the header, the repeat's 200 and the misuse's 409 in the admin API document.</summary>
    /// <param name="matchedWithin">What a key is matched within, when narrower than the admin's creates of this kind.</param>
    public static RouteHandlerBuilder AcceptsIdempotencyKey<T>(this RouteHandlerBuilder builder, string? matchedWithin = null) => builder
        .Produces<T>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
        .AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKey.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "The client's name for this create, 1 to 100 characters of A-Z, a-z, 0-9, _ and -: sent again with the same body " +
                    "(a retry after a timeout), nothing is created, scheduled or mailed again and the answer is 200 with the record as it is now; " +
                    "sent again with another body: 409 naming the header, nothing changed. A malformed key: 400. No header: every request creates." +
                    (matchedWithin is null ? "" : $" The key is matched within {matchedWithin}."),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKey.MaxLength, Pattern = "^[A-Za-z0-9_-]+$" },
            });
            return Task.CompletedTask;
        });
}
