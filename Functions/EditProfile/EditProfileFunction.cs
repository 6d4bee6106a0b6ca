using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Profiles;
using AlumniNetwork.Functions.AlumniPages;

namespace AlumniNetwork.Functions.EditProfile;

/// <summary>The alumnus's profile: career since leaving, employer, business, skills, interests, location, return interest.</summary>
public static class EditProfileFunction
{
    public const string Route = "/api/alumni/profile";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Route, async (string? token, Core.Profiles.EditProfile profiles, AlumniLinks links, CancellationToken cancellationToken) =>
            ProfilePage.Render(await profiles.ShowAsync(token, cancellationToken), token, links));

        app.MapFormPost(Route, async (form, context) =>
        {
            var token = form["token"].ToString();
            var fields = form.Keys.ToDictionary(k => k, k => (string?)form[k].ToString());
            var view = await context.RequestServices.GetRequiredService<Core.Profiles.EditProfile>()
                .SaveAsync(token, new ProfileForm(fields), context.RequestAborted);
            return ProfilePage.Render(view, token, context.RequestServices.GetRequiredService<AlumniLinks>());
        });
    }
}
