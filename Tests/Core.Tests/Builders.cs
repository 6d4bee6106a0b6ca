using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Links;
using Microsoft.Extensions.Options;

namespace AlumniNetwork.Core.Tests;

internal static class Builders
{
    public static DepartureNotice Notice(string employeeId = "E12345", string lastWorkingDay = "2026-11-30", Locale locale = Locale.Japanese)
    {
        return new DepartureNotice(employeeId, "花子", "山田", EmailAddress.Parse("hanako@example.net"), "Retail Banking", "Analyst", new DateOnly(2018, 4, 1),
            DateOnly.Parse(lastWorkingDay, System.Globalization.CultureInfo.InvariantCulture), DepartureReason.Voluntary, true, locale);
    }

    /// <summary>Keyed creates (ADR 0037) under an all-zero pseudonym key.</summary>
    public static Core.Admin.IdempotentCreates Creates() =>
        new(new Core.Privacy.Pseudonyms(Options.Create(new Core.Privacy.PrivacyOptions { PseudonymKey = Convert.ToBase64String(new byte[32]) })));

    /// <summary>The campaign batch's view of <paramref name="a"/>, as the store reads it with only the recipient's columns.</summary>
    public static CampaignRecipient Recipient(Alumnus a) => new()
    {
        Id = a.Id, GivenName = a.GivenName, FamilyName = a.FamilyName, PersonalEmail = a.PersonalEmail, Department = a.Department,
        LastWorkingDay = a.LastWorkingDay, Reason = a.Reason, RehireEligible = a.RehireEligible, DoNotContact = a.DoNotContact,
        ErasureStartedAt = a.ErasureStartedAt, Locale = a.Locale, Status = a.Status, Consented = a.Consented, Suppressed = a.Suppressed,
        ConflictOfInterest = a.ConflictOfInterest, Contacts = a.Contacts, ETag = a.ETag,
    };

    public static Alumnus Alumnus(DateTimeOffset welcomeDueAt, AlumnusStatus status = AlumnusStatus.Departed, Locale locale = Locale.Japanese)
    {
        var alumnus = Core.Alumni.Alumnus.FromDeparture(AlumnusId.New(), Notice(locale: locale), welcomeDueAt, welcomeDueAt.AddDays(-3));
        alumnus.Status = status;
        alumnus.ETag = "etag-1";
        return alumnus;
    }

    public static IOptions<CompanyOptions> Company(string timeZone = "Asia/Tokyo") => Options.Create(new CompanyOptions
    {
        Name = "Example <Holdings> & Co",
        TimeZone = timeZone,
        DefaultLocale = "ja-JP",
        PublicBaseUrl = new Uri("https://alumni.example.com/"),
    });

    public static IOptions<Core.Outreach.OutreachOptions> Outreach() => Options.Create(new Core.Outreach.OutreachOptions
    {
        PostalAddress = "1-1-1 Marunouchi <Tokyo>",
        EnquiryContact = "alumni-office@example.com",
    });

    public static IOptions<SignedLinkOptions> Links(string activeKeyId = "k1") => Options.Create(new SignedLinkOptions
    {
        ActiveKeyId = activeKeyId,
        Keys = new Dictionary<string, string>
        {
            ["k1"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["k2"] = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray()),
        },
    });
}
