using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.ManagePreferences;

/// <summary>
/// Every consent purpose on one page; save the ticks, or unsubscribe from every email at once. Every alumni page's
/// request to mail an export or erase link posts here too, with a preferences token (ADR 0007).
/// </summary>
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

            var token = form["token"].ToString();
            if (form["action"] is [AlumniPage.ExportLinkAction or AlumniPage.EraseLinkAction] action)
            {
                var kind = action == AlumniPage.ExportLinkAction ? LinkPurpose.Export : LinkPurpose.Erase;
                return PreferencesPage.RenderPrivacyLink(await context.RequestServices.GetRequiredService<SendPrivacyLink>().SendAsync(token, kind, context.RequestAborted),
                    context.RequestServices.GetRequiredService<AlumniLinks>());
            }

            var consent = context.RequestServices.GetRequiredService<ManageConsent>();
            var view = form["action"] == "unsubscribe-all"
                ? await consent.UnsubscribeAsync(token, LinkPurpose.Preferences, category: null, context.RequestAborted)
                : await consent.SaveAsync(token, ticked, context.RequestAborted);
            return PreferencesPage.Render(view, token, context.RequestServices.GetRequiredService<AlumniLinks>(), saved: true);
        });
    }
}
