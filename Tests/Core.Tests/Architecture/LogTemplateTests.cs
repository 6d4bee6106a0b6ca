using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Tests.Architecture;

/// <summary>
/// No personal data in logs: an alumnus id beside what they did or what became of them (applied interest, answered a
/// request or an RSVP, attended, were flagged, returned to the company) is personal data. An id beside an operation on
/// their record alone is the accepted handle for support. Every Core log template that names an alumnus is listed here,
/// with why, so a new one fails this test until someone has reviewed it and added it on purpose.
/// </summary>
public sealed partial class LogTemplateTests
{
    // Each names the alumnus beside an operation on their record and nothing about them: the id is how support finds
    // the person's work item or record. A line that says what they did or what became of them (an RSVP, attendance,
    // a flag change, a return, a privacy-link outcome) names events, campaigns, years, counts and outcomes only.
    private static readonly string[] ReviewedToNameAnAlumnus =
    [
        // An admin's reading of the record; the audit log holds who read it, this line nothing more.
        "Admin read alumnus {AlumnusId}",
        // The HRIS webhook's redelivery, found by its id: support traces the webhook to the record it made.
        "Departure for alumnus {AlumnusId} came under a webhook id applied before; not applied again",
        // An HRIS message older than one already applied (ADR 0040): support traces the late message to its record.
        "Departure for alumnus {AlumnusId} is older than one applied since; HR's fields not changed",
        // The record the HRIS webhook wrote: support's handle from the webhook to the person's work items.
        "Departure recorded for alumnus {AlumnusId}",
        // The webhook moved the welcome invitation's work item; no date or content rides along.
        "Last working day moved for alumnus {AlumnusId}; welcome invitation rescheduled",
        // HR withdrew a departure that had reached nobody (ADR 0041): like an erasure, the id maps to nothing once it ran,
        // and support traces the webhook to the record and welcome it removed.
        "Departure withdrawn: the record of alumnus {AlumnusId} and its welcome invitation removed",
        // The erasure itself: the id maps to nothing any more once it ran.
        "Alumnus {AlumnusId} erased",
        // An erasure kept for a retry: support must find the record that is still held.
        "Erasure of alumnus {AlumnusId} not finished: an event stayed busy; the record is kept for a retry",
    ];

    [Fact]
    public void OnlyReviewedLogTemplatesNameAnAlumnus()
    {
        var templates = Templates().ToArray();
        Assert.True(templates.Length > 50, $"Found only {templates.Length} log templates in Core: the scan misses them.");

        var naming = templates.Where(t => AlumnusPlaceholder().IsMatch(t)).Distinct(StringComparer.Ordinal).ToArray();

        Assert.Empty(naming.Except(ReviewedToNameAnAlumnus, StringComparer.Ordinal));
        // And no entry outlives its template: a line changed to leave the alumnus out leaves this list too.
        Assert.Empty(ReviewedToNameAnAlumnus.Except(naming, StringComparer.Ordinal));
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
