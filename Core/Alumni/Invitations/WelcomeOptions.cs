using System.ComponentModel.DataAnnotations;

namespace AlumniNetwork.Core.Alumni;

public sealed class WelcomeOptions
{
    public const string SectionName = "Welcome";

    /// <summary>Days after the last working day the invitation is due (default 2).</summary>
    [Range(0, 365)]
    public int DelayDays { get; set; } = 2;

    /// <summary>Local hour of the company's time zone at which invitations go out (default 9).</summary>
    [Range(0, 23)]
    public int SendHour { get; set; } = 9;
}
