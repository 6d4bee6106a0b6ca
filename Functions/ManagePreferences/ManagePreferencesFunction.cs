using AlumniNetwork.Core.Consent;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Privacy;
using AlumniNetwork.Functions.AlumniPages;
using AlumniNetwork.Functions.Hosting.Http;

namespace AlumniNetwork.Functions.ManagePreferences;

/// <summary>
/// Every consent purpose on one page; save the ticks, or unsubscribe from every email at once. Every alumni page's
/// request to mail an export or erase link posts here too, with a preferences token (ADR 0007).
/// </summary>
public static class ManagePreferencesFunction
{
    public const string Route = "/api/alumni/preferences";

    /// <summary>The page's buttons: save the ticks, or refuse every email.</summary>
    public const string SaveAction = "save";

    public const string UnsubscribeAllAction = "unsubscribe-all";

    /// <summary>
    /// Every <c>action</c> the form takes: its own two buttons and the privacy-link requests of every alumni page. Anything
    /// else (a missing one too: each button names itself) is refused rather than taken as a save, which could grant.
    /// </summary>
    public static IReadOnlyList<string> Actions { get; } = [SaveAction, UnsubscribeAllAction, AlumniPage.ExportLinkAction, AlumniPage.EraseLinkAction];

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

            if (form["action"] is not [{ } action] || !Actions.Contains(action, StringComparer.Ordinal))
            {
                return Problems.Invalid([new Core.Validation.FieldError("action", $"must be one of {string.Join(", ", Actions)}")]);
            }

            var token = form["token"].ToString();
            if (action is AlumniPage.ExportLinkAction or AlumniPage.EraseLinkAction)
            {
                var kind = action == AlumniPage.ExportLinkAction ? LinkPurpose.Export : LinkPurpose.Erase;
                return PreferencesPage.RenderPrivacyLink(await context.RequestServices.GetRequiredService<SendPrivacyLink>().SendAsync(token, kind, context.RequestAborted),
                    context.RequestServices.GetRequiredService<AlumniLinks>());
            }

            var consent = context.RequestServices.GetRequiredService<ManageConsent>();
            var view = action == UnsubscribeAllAction
                ? await consent.UnsubscribeAsync(token, LinkPurpose.Preferences, category: null, context.RequestAborted)
                : await consent.SaveAsync(token, ticked, context.RequestAborted);
            return PreferencesPage.Render(view, token, context.RequestServices.GetRequiredService<AlumniLinks>(), saved: true);
        });
    }
}
