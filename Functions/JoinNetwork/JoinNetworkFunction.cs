using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.JoinNetwork;

/// <summary>Join page behind the signed link in the welcome invitation: GET shows the offer, POST records consent.</summary>
public static class JoinNetworkFunction
{
    public const string Route = "/api/alumni/join";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, Core.Alumni.JoinNetwork join, AlumniLinks links, CancellationToken cancellationToken) =>
            JoinPage.Render(await join.ShowAsync(token, cancellationToken), token, links));

        app.MapFormPost(Route, async (form, context) =>
        {
            if (AlumniPage.TickedPurposes(form) is not { } ticked)
            {
                return AlumniPage.UnknownPurpose("purpose");
            }

            var join = context.RequestServices.GetRequiredService<Core.Alumni.JoinNetwork>();
            var token = form["token"].ToString();
            var result = await join.JoinAsync(token, ticked, context.RequestAborted);
            return JoinPage.Render(result, token, context.RequestServices.GetRequiredService<AlumniLinks>());
        });
    }
}
