using AlumniNetwork.Core.Collaboration;
using AlumniNetwork.Core.Links;

namespace AlumniNetwork.Functions.BrowseCollaborationDirectory;

/// <summary>The members' directory of collaboration cards behind a signed link: search by industry, skills, location and offer.</summary>
public static class BrowseCollaborationDirectoryFunction
{
    public const string Route = "/api/alumni/collaboration/directory";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Route, async (
        string? token, string? industry, string? skills, string? location, string? offer,
        Core.Collaboration.CollaborationDirectory directory, AlumniLinks links, CancellationToken cancellationToken) =>
        DirectoryPage.Render(await directory.BrowseAsync(token, new DirectoryQuery(industry, skills, location, offer), cancellationToken),
            token, new DirectoryQuery(industry, skills, location, offer), links));
}
