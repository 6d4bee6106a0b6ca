using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Tests.Architecture;

/// <summary>
/// No personal data in logs: an alumnus id beside what they did (applied interest, answered a request, had a card rejected,
/// were flagged) is personal data. Every Core log template that names an alumnus is listed here, so a new one fails this
/// test until someone has reviewed it and added it on purpose.
/// </summary>
public sealed partial class LogTemplateTests
{
    // Present when this test was written; outside the clean-up that added it and not yet reviewed one by one.
    private static readonly string[] Reviewed =
    [
        "Attendance of alumnus {AlumnusId} at event {EventId} marked {Attended}",
        "RSVP to event {EventId} by alumnus {AlumnusId}: {Outcome} (after {Retries} retries)",
        "Admin read alumnus {AlumnusId}",
        "Admin set flags of alumnus {AlumnusId}: {Changed} changed",
        "Flags of alumnus {AlumnusId} not set: {Stale} of the flags changed were changed by someone else since the page was loaded",
        "Do-not-contact of alumnus {AlumnusId} not cleared: their erasure is not finished",
        "Flags of alumnus {AlumnusId} not set: the record changed under each of {Attempts} attempts",
        "Welcome invitation for alumnus {AlumnusId}: {Outcome}",
        "Departure for alumnus {AlumnusId} came under a webhook id applied before; not applied again",
        "Departure recorded for alumnus {AlumnusId}",
        "Last working day moved for alumnus {AlumnusId}; welcome invitation rescheduled",
        "Privacy link {CampaignId} for alumnus {AlumnusId}: {Status} ({Reason})",
        "Alumnus {AlumnusId} erased",
        "Erasure of alumnus {AlumnusId} not finished: an event stayed busy; the record is kept for a retry",
        "Alumnus {AlumnusId} returned to the company; promotional outreach stops",
    ];

    [Fact]
    public void OnlyReviewedLogTemplatesNameAnAlumnus()
    {
        var templates = Templates().ToArray();
        Assert.True(templates.Length > 50, $"Found only {templates.Length} log templates in Core: the scan misses them.");

        var naming = templates.Where(t => AlumnusPlaceholder().IsMatch(t)).Distinct(StringComparer.Ordinal);

        Assert.Empty(naming.Except(Reviewed, StringComparer.Ordinal));
    }

    private static IEnumerable<string> Templates() =>
        typeof(Core.Alumni.Alumnus).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>()?.Message)
            .OfType<string>();

    // A placeholder whose name speaks of an alumnus or a person's id, or the raw subject of a work item (which may hold one).
    [GeneratedRegex(@"\{(?:[^}]*(?:alumn|person|member)[^}]*|SubjectId)\}", RegexOptions.IgnoreCase)]
    private static partial Regex AlumnusPlaceholder();
}
