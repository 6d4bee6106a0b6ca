using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Consent;
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
            JoinPage.Render(await join.ShowAsync(token, cancellationToken), token, links, posted: false));

        app.MapFormPost(Route, async (form, context) =>
        {
            if (AlumniPage.TickedPurposes(form, ConsentPurposes.Optional) is not { } ticked)
            {
                return AlumniPage.UnknownPurpose("purpose", ConsentPurposes.Optional);
            }

            // Only the box's own value, once, is a tick: a missing field, "no" or anything else is not consent.
            var membership = form[JoinPage.MembershipField] is [JoinPage.MembershipValue];
            var token = form["token"].ToString();
            var result = await context.RequestServices.GetRequiredService<Core.Alumni.JoinNetwork>()
                .JoinAsync(token, new JoinChoice(membership, ticked), context.RequestAborted);
            return JoinPage.Render(result, token, context.RequestServices.GetRequiredService<AlumniLinks>(), posted: true);
        });
    }
}
