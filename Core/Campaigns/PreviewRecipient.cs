using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Campaigns;

/// <summary>
/// The made-up member an admin preview or test send is rendered for: a sample name in the chosen language and a fresh
/// id, so links in a preview point at nobody. Never stored.
/// </summary>
public static class PreviewRecipient
{
    /// <summary>The address of a preview that is only shown, never sent (a reserved domain that can receive nothing).</summary>
    public static EmailAddress Nobody { get; } = EmailAddress.Parse("preview@example.invalid");

    public static Alumnus Of(Locale locale, EmailAddress to) => new()
    {
        Id = AlumnusId.New(),
        EmployeeId = "sample",
        GivenName = locale == Locale.Japanese ? "花子" : "Hanako",
        FamilyName = locale == Locale.Japanese ? "見本" : "Sample",
        PersonalEmail = to,
        LastWorkingDay = DateOnly.MinValue,
        Reason = DepartureReason.Other,
        Locale = locale,
        WelcomeDueAt = DateTimeOffset.MinValue,
        RecordedAt = DateTimeOffset.MinValue,
        Status = AlumnusStatus.Joined,
    };
}
