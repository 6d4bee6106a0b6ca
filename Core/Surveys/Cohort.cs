using System.Security.Cryptography;
using System.Text;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Surveys;

/// <summary>Time at the company, in bands coarse enough to say nothing about one person.</summary>
public enum TenureBand
{
    Unknown,
    UnderOneYear,
    OneToThreeYears,
    ThreeToFiveYears,
    FiveToTenYears,
    TenYearsOrMore,
}

/// <summary>The dimensions the results can be filtered by, one at a time (ADR 0026).</summary>
public enum CohortDimension
{
    DepartureYear,
    Department,
    Reason,
    Tenure,
}

/// <summary>
/// The group a respondent belongs to for the results: year of leaving, department, reason and tenure band, taken from
/// their record when they first answer. It is all an anonymous response says about its author, and only the results'
/// threshold lets it be seen (ADR 0025).
/// </summary>
public sealed record Cohort(int DepartureYear, string Department, DepartureReason Reason, TenureBand Tenure)
{
    public static Cohort Of(Alumnus alumnus) =>
        new(alumnus.LastWorkingDay.Year, alumnus.Department?.Trim() ?? "", alumnus.Reason, BandOf(alumnus.HireDate, alumnus.LastWorkingDay));

    /// <summary>A row-key-safe name of the group: its values hashed (department names may hold any character).</summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{DepartureYear}|{Department}|{Reason}|{Tenure}")))[..16];

    public string ValueOf(CohortDimension dimension) => dimension switch
    {
        CohortDimension.DepartureYear => DepartureYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CohortDimension.Department => Department,
        CohortDimension.Reason => Reason.ToString(),
        _ => Tenure.ToString(),
    };

    public static TenureBand BandOf(DateOnly? hired, DateOnly left)
    {
        if (hired is not { } start || start > left)
        {
            return TenureBand.Unknown;
        }

        var years = (left.DayNumber - start.DayNumber) / 365.25;
        return years switch
        {
            < 1 => TenureBand.UnderOneYear,
            < 3 => TenureBand.OneToThreeYears,
            < 5 => TenureBand.ThreeToFiveYears,
            < 10 => TenureBand.FiveToTenYears,
            _ => TenureBand.TenYearsOrMore,
        };
    }
}
