using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.ManagePreferences;

/// <summary>Every consent purpose on one page; save the ticks, or unsubscribe from every email at once.</summary>
public static class ManagePreferencesFunction
{
    public const string Route = "/api/alumni/preferences";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, ManageConsent consent, AlumniLinks links, CancellationToken cancellationToken) =>
            PreferencesPage.Render(await consent.ShowAsync(token, LinkPurpose.Preferences, cancellationToken), token, links, saved: false));

        app.MapFormPost(Route, async (form, context) =>
        {
            if (AlumniPage.TickedPurposes(form, ConsentPurposes.Optional) is not { } ticked)
            {
                return AlumniPage.UnknownPurpose("purpose", ConsentPurposes.Optional);
            }

            var consent = context.RequestServices.GetRequiredService<ManageConsent>();
            var token = form["token"].ToString();
            var view = form["action"] == "unsubscribe-all"
                ? await consent.UnsubscribeAsync(token, LinkPurpose.Preferences, category: null, context.RequestAborted)
                : await consent.SaveAsync(token, ticked, context.RequestAborted);
            return PreferencesPage.Render(view, token, context.RequestServices.GetRequiredService<AlumniLinks>(), saved: true);
        });
    }
}
