using Microsoft.OpenApi;

namespace AlumniNetwork.Functions.AdminApiDocument;

/// <summary>
/// The OpenAPI document of the JSON admin API, generated from the endpoints themselves (Microsoft.AspNetCore.OpenApi) and
/// served by the app, so the published app always describes the code it runs. Behind the function key like the API;
/// the document itself holds no data. A test compares its paths with every admin function.json.
/// </summary>
public static class AdminApiDocumentFunction
{
    public const string Route = "/api/manage/openapi.json";
    /// <summary>The default document name: MapOpenApi serves it when the route names none.</summary>
    public const string DocumentName = "v1";

    public static void AddAdminApiDocument(this IServiceCollection services) => services.AddOpenApi(DocumentName, options =>
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/manage/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Alumni network admin API",
                Version = "1",
                Description = "Admin reads and changes of alumni data, for automation. Every call needs the function key (x-functions-key) " +
                    "and an Entra ID bearer token with an app role of the alumni team; every read or change of personal data is audited.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                ["bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT" },
                ["functionKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key" },
            };
            document.Security =
            [
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference("bearer", document)] = [],
                    [new OpenApiSecuritySchemeReference("functionKey", document)] = [],
                },
            ];
            return Task.CompletedTask;
        });
    });

    public static void Map(IEndpointRouteBuilder app) => app.MapOpenApi(Route).AllowAnonymous();
}
