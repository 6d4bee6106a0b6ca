namespace AlumniNetwork.Functions.Hosting.Edge;

/// <summary>Endpoint metadata: the response holds personal data and must never be cached or sniffed.</summary>
public sealed class PersonalDataResponse
{
    public static readonly PersonalDataResponse Instance = new();

    private PersonalDataResponse()
    {
    }
}

/// <summary>
/// Headers set on the way out, whatever produced the response (a handler, a problem, the exception handler):
/// <c>Strict-Transport-Security</c> everywhere outside Development, and <c>Cache-Control: no-store</c> with
/// <c>X-Content-Type-Options: nosniff</c> on endpoints marked <see cref="HoldsPersonalData"/>.
/// </summary>
public static class ResponseHeaders
{
    /// <summary>One year, with subdomains: the app is only ever served over https (<c>httpsOnly</c> in infra/).</summary>
    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public static TBuilder HoldsPersonalData<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(PersonalDataResponse.Instance);

    /// <remarks>
    /// Not <c>UseHsts</c>: it writes the header only on requests that arrived over https and not for localhost, and
    /// behind the Functions host every request reaches this app as plain http on 127.0.0.1, while the platform in
    /// front serves https only.
    /// </remarks>
    public static void UseResponseHeaders(this WebApplication app)
    {
        var hsts = !app.Environment.IsDevelopment();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (hsts)
                {
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                }

                if (context.GetEndpoint()?.Metadata.GetMetadata<PersonalDataResponse>() is not null)
                {
                    headers.CacheControl = "no-store";
                    headers.XContentTypeOptions = "nosniff";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
