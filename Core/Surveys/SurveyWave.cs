using System.Globalization;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// One wave of one survey version: a lifecycle wave (<c>w01</c>, <c>w02</c>… counted from the last working day) or an
/// ad-hoc wave an admin started (<c>a</c> + its name). Answers are kept per wave; a person answers each wave once.
/// </summary>
public sealed partial record SurveyWave(string SurveyId, int Version, string Wave)
{
    public const string ScopePrefix = "survey:";

    /// <summary>What the survey's signed links are bound to: the survey, its version and the wave.</summary>
    public string Scope => string.Create(CultureInfo.InvariantCulture, $"{ScopePrefix}{SurveyId}:{Version}:{Wave}");

    public bool IsLifecycle => Wave[0] == 'w';

    /// <summary>The lifecycle wave's number, or 0 for an ad-hoc wave.</summary>
    public int LifecycleNumber => IsLifecycle ? int.Parse(Wave.AsSpan(1), CultureInfo.InvariantCulture) : 0;

    public static string LifecycleKey(int number) => string.Create(CultureInfo.InvariantCulture, $"w{number:D2}");

    /// <summary>An ad-hoc wave's key from the name an admin gives it (1-10 lower-case letters and digits).</summary>
    public static string AdHocKey(string name) => "a" + name;

    public static bool IsAdHocName(string? name) => name is not null && AdHocName().IsMatch(name);

    public static bool IsWaveKey(string? wave) => wave is not null && WaveKey().IsMatch(wave);

    public static SurveyWave? FromScope(string? scope)
    {
        var parts = scope?.Split(':');
        return parts is { Length: 4 } && parts[0] + ":" == ScopePrefix && Survey.IsId(parts[1]) &&
            int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version is >= 1 and <= SurveyCampaigns.MaxVersion &&
            IsWaveKey(parts[3])
            ? new SurveyWave(parts[1], version, parts[3])
            : null;
    }

    [GeneratedRegex("^[a-z0-9]{1,10}$")]
    private static partial Regex AdHocName();

    [GeneratedRegex("^(w[0-9]{2}|a[a-z0-9]{1,10})$")]
    private static partial Regex WaveKey();
}

/// <summary>
/// The survey's campaigns: one per lifecycle wave and company-local day, <c>survey-{id}-v{n}-w{k}-{yyyyMMdd}</c>, one per
/// ad-hoc wave, <c>survey-{id}-v{n}-a{name}</c>, and each one's reminder, the same id with <c>-r</c>. Stable ids make
/// every start idempotent (the engine starts a campaign id once), and the id is the campaign's source: the composer
/// reads the wave back from it. At most 60 characters, as the engine requires.
/// </summary>
public static partial class SurveyCampaigns
{
    public const int MaxVersion = 999;
    public const string ReminderSuffix = "-r";

    public static string IdOf(SurveyWave wave, DateOnly? day = null, bool reminder = false) => string.Create(CultureInfo.InvariantCulture,
        $"survey-{wave.SurveyId}-v{wave.Version}-{wave.Wave}{(day is { } d ? "-" + d.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : "")}{(reminder ? ReminderSuffix : "")}");

    public static string ReminderOf(string campaignId) => campaignId + ReminderSuffix;

    /// <returns>The wave, its day (lifecycle waves) and whether it is the reminder; null for any other campaign id.</returns>
    public static (SurveyWave Wave, DateOnly? Day, bool Reminder)? Parse(string? campaignId)
    {
        var match = campaignId is null ? Match.Empty : CampaignId().Match(campaignId);
        if (!match.Success || !int.TryParse(match.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ||
            version is < 1 or > MaxVersion)
        {
            return null;
        }

        DateOnly? day = null;
        if (match.Groups["day"].Success)
        {
            if (!DateOnly.TryParseExact(match.Groups["day"].Value, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return null;
            }

            day = parsed;
        }

        var wave = new SurveyWave(match.Groups["survey"].Value, version, match.Groups["wave"].Value);
        return wave.IsLifecycle == day.HasValue ? (wave, day, match.Groups["reminder"].Success) : null;
    }

    /// <summary>The survey a campaign id belongs to, for people's exports ("which surveys they were sent").</summary>
    public static string? SurveyOf(string? campaignId) => Parse(campaignId)?.Wave.SurveyId;

    [GeneratedRegex("^survey-(?<survey>[0-9a-f]{32})-v(?<version>[0-9]{1,3})-(?<wave>w[0-9]{2}|a[a-z0-9]{1,10})(-(?<day>[0-9]{8}))?(?<reminder>-r)?$")]
    private static partial Regex CampaignId();
}
