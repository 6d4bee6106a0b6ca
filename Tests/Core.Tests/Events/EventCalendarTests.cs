using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Events;
using Ical.Net;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventCalendarTests
{
    private static readonly Uri BaseUrl = new("https://alumni.example.com/");
    private static readonly EmailAddress Organizer = EmailAddress.Parse("alumni@example.com");
    private readonly NetworkEvent e = EventBuilders.Event();
    private readonly Alumnus alumnus = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined);

    /// <summary>The file and its type (RFC 6047: the type names the method the calendar holds).</summary>
    private static Calendar Parse(Core.Email.EmailAttachment file)
    {
        var calendar = Calendar.Load(Encoding.UTF8.GetString(file.Content))!;
        Assert.Equal(("event.ics", $"text/calendar; method={calendar.Method}"), (file.FileName, file.ContentType));
        return calendar;
    }

    [Fact]
    public void ContentTypes_CarryTheMethodWithoutCharset()
    {
        var request = EventCalendar.Request(e, alumnus, 3, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now);
        var cancel = EventCalendar.Cancel(e, alumnus, 4, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now);

        Assert.Equal(
            ("text/calendar; method=REQUEST", "text/calendar; method=CANCEL"),
            (request.ContentType, cancel.ContentType));
    }

    [Theory]
    [InlineData("text/calendar")]
    [InlineData("text/calendar; method=REQUEST")]
    public void Attachment_TakesAMediaTypeWithParameters(string type) =>
        Assert.Equal(type, new Core.Email.EmailAttachment("event.ics", type, []).ContentType);

    [Theory]
    [InlineData("")]
    [InlineData("calendar")]
    [InlineData("text/calendar\r\nBcc: someone@example.net")]
    public void Attachment_RefusesATypeThatIsNotOneMediaTypeValue(string type) =>
        Assert.Throws<ArgumentException>(() => new Core.Email.EmailAttachment("event.ics", type, []));

    [Fact]
    public void Request_ParsesBackWithMethodUidSequenceAndLocalTimes()
    {
        var calendar = Parse(EventCalendar.Request(e, alumnus, 3, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now));

        Assert.Equal("REQUEST", calendar.Method);
        var entry = Assert.Single(calendar.Events);
        Assert.Equal(($"{e.Id}@alumni.example.com", 3, "CONFIRMED"), (entry.Uid, entry.Sequence, entry.Status));
        Assert.Equal("Asia/Tokyo", entry.DtStart!.TzId);
        Assert.Equal(new DateTime(2027, 2, 10, 19, 0, 0), entry.DtStart.Value);
        Assert.Equal(new DateTime(2027, 2, 10, 10, 0, 0, DateTimeKind.Utc), entry.DtStart.AsUtc);
        Assert.Equal(new DateTime(2027, 2, 10, 12, 0, 0, DateTimeKind.Utc), entry.DtEnd!.AsUtc);
        Assert.Equal("アルムナイ講演会", entry.Summary);
        Assert.Equal(new Uri("https://meet.example.com/alumni-lecture"), entry.Url);
        Assert.Equal("mailto:hanako@example.net", Assert.Single(entry.Attendees).Value!.ToString());
        Assert.Single(calendar.TimeZones);
    }

    [Fact]
    public void Cancel_KeepsTheUidWithAHigherSequence()
    {
        var request = Parse(EventCalendar.Request(e, alumnus, 3, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now)).Events.Single();
        var cancel = Parse(EventCalendar.Cancel(e, alumnus, 4, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now));

        Assert.Equal("CANCEL", cancel.Method);
        var entry = Assert.Single(cancel.Events);
        Assert.Equal((request.Uid, "CANCELLED"), (entry.Uid, entry.Status));
        Assert.True(entry.Sequence > request.Sequence);
    }

    [Theory]
    [InlineData("本社ホール <20F>")]
    [InlineData(null)]
    public void Cancel_LeavesTheOnlineLinkOut_WhichOnlyAttendeesMayHold(string? venue)
    {
        var online = new NetworkEvent { Id = NetworkEvent.NewId(), Details = EventBuilders.Details(venue: venue), CreatedAt = EventBuilders.Now, CreatedBy = "admin-1", UpdatedAt = EventBuilders.Now };
        var file = EventCalendar.Cancel(online, alumnus, 4, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now);

        var entry = Assert.Single(Parse(file).Events);
        Assert.Null(entry.Url);
        Assert.Equal(venue, entry.Location);
        Assert.Equal("説明 & <b>詳細</b>", entry.Description);
        Assert.DoesNotContain("meet.example.com", Encoding.UTF8.GetString(file.Content), StringComparison.Ordinal);
        Assert.Contains("meet.example.com", Encoding.UTF8.GetString(EventCalendar.Request(online, alumnus, 3, Organizer, "Example Alumni", BaseUrl, EventBuilders.Now).Content),
            StringComparison.Ordinal);
    }

    [Fact]
    public void EnglishAttendee_GetsTheEnglishTitle()
    {
        var english = Builders.Alumnus(EventBuilders.Now.AddDays(-60), AlumnusStatus.Joined, Locale.English);

        Assert.Equal("Alumni lecture", Parse(EventCalendar.Request(e, english, 1, Organizer, "x", BaseUrl, EventBuilders.Now)).Events.Single().Summary);
    }
}
