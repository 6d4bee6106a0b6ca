using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.JoinNetwork;

/// <summary>Join page behind the signed link in the welcome invitation: GET shows the offer, POST records consent.</summary>
public static class JoinNetworkFunction
{
    public const string Route = "/api/alumni/join";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, HttpRequest request, Core.Alumni.JoinNetwork join, CancellationToken cancellationToken) =>
            JoinPage.Render(await join.ShowAsync(token, cancellationToken), token, request));

        app.MapPost(Route, async (HttpRequest request, Core.Alumni.JoinNetwork join, CancellationToken cancellationToken) =>
        {
            var token = request.HasFormContentType ? (await request.ReadFormAsync(cancellationToken))["token"].ToString() : null;
            return JoinPage.Render(await join.JoinAsync(token, cancellationToken), token, request);
        }).DisableAntiforgery();
    }
}
