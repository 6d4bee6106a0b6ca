using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.PublishCollaborationCard;

/// <summary>The alumnus's collaboration card, from their profile: write it, choose who sees it, pause requests, withdraw it.</summary>
public static class PublishCollaborationCardFunction
{
    public const string Route = "/api/alumni/collaboration/card";
    public const string ActionField = "action";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, PublishCard cards, AlumniLinks links, CancellationToken cancellationToken) =>
            CardPage.Render(await cards.ShowAsync(token, cancellationToken), token, links));

        app.MapFormPost(Route, async (form, context) =>
        {
            var token = form["token"].ToString();
            var cards = context.RequestServices.GetRequiredService<PublishCard>();
            var links = context.RequestServices.GetRequiredService<AlumniLinks>();
            return form[ActionField].ToString() switch
            {
                "" or "save" => CardPage.Render(await cards.SaveAsync(token, new CardForm(form.Keys.ToDictionary(k => k, k => (string?)form[k].ToString())), context.RequestAborted), token, links),
                "withdraw" => CardPage.Render(await cards.WithdrawAsync(token, context.RequestAborted), token, links),
                _ => CardPage.Render(await cards.ShowAsync(token, context.RequestAborted), token, links, unknownAction: true),
            };
        });
    }
}
