using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Functions.Tests.Telemetry;

/// <summary>
/// The twin of Core's LogTemplateTests for the Functions assembly: no log template here names an alumnus. The functions are
/// thin and log hosting facts (function, message and setting names); one that needs a person's id belongs in Core's
/// reviewed list, with its reason.
/// </summary>
public sealed partial class LogTemplateTests
{
    [Fact]
    public void NoFunctionsLogTemplateNamesAnAlumnus()
    {
        var templates = typeof(AlumniNetwork.Functions.Hosting.Invocation.InvocationEndpoints).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>()?.Message)
            .OfType<string>()
            .ToArray();
        Assert.True(templates.Length > 10, $"Found only {templates.Length} log templates in Functions: the scan misses them.");

        Assert.DoesNotContain(templates, t => AlumnusPlaceholder().IsMatch(t));
    }

    // As in Core: a placeholder whose name speaks of an alumnus or a person's id, or the raw subject of a work item.
    [GeneratedRegex(@"\{(?:[^}]*(?:alumn|person|member)[^}]*|SubjectId)\}", RegexOptions.IgnoreCase)]
    private static partial Regex AlumnusPlaceholder();
}
