using AlumniNetwork.Core.Admin;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Functions.AdminConsole;

/// <summary>
/// A part of the console with its own pages under <c>/api/console/&lt;Segment&gt;</c> and its own entry in the navigation,
/// open to the roles that hold <see cref="Capability"/>. A feature adds its console pages by writing one class and
/// registering it with <see cref="ConsoleAreas.AddConsoleArea{T}"/>; the shell, the navigation and the authorization
/// follow from it. The console is one function (<c>console/{*path}</c>), so no function.json changes.
/// </summary>
public interface IConsoleArea
{
    /// <summary>The path segment, e.g. <c>alumni</c>.</summary>
    string Segment { get; }

    AdminCapability Capability { get; }

    /// <summary>Position in the navigation, lowest first.</summary>
    int Order { get; }

    string Label(Locale locale);

    /// <summary>Maps the area's pages on <paramref name="area"/>, whose prefix is the segment and which already requires the capability.</summary>
    void Map(RouteGroupBuilder area);
}

public static class ConsoleAreas
{
    public static IServiceCollection AddConsoleArea<T>(this IServiceCollection services)
        where T : class, IConsoleArea => services.AddSingleton<IConsoleArea, T>();
}
