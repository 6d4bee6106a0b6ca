using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Events;
using AlumniNetwork.Core.Profiles;

namespace AlumniNetwork.Core.Tests.Events;

public sealed class EventDraftTests
{
    private static readonly DateTimeOffset Now = EventBuilders.Now;

    public const string Valid = """
        {
          "title": { "ja": "アルムナイ講演会", "en": "Alumni lecture" },
          "description": { "ja": "説明", "en": "About" },
          "kind": "LectureSeries",
          "start": "2027-02-10T19:00", "end": "2027-02-10T21:00", "timeZone": "Asia/Tokyo",
          "venue": "本社ホール", "onlineUrl": "https://meet.example.com/x",
          "capacity": 80, "registrationDeadline": "2027-02-08T18:00",
          "hosts": [ { "name": "佐藤 一郎", "role": "Employee", "title": "CFO" } ],
          "audience": { "departedFromYear": 2015, "departedToYear": 2024, "departments": ["Retail Banking"], "locations": ["大阪"],
                        "keywords": ["SQL"], "returnInterests": ["ProjectWork"] }
        }
        """;

    private static (EventDetails? Details, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(string json) => EventDraft.Parse(Encoding.UTF8.GetBytes(json), Now);

    private static string With(string path, JsonNode? value)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(root, (node, part) => node[part]!.AsObject());
        if (value is null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = value;
        }

        return root.ToJsonString();
    }

    [Fact]
    public void ValidBody_BecomesDetailsWithInstantsInTheTimeZone()
    {
        var (details, errors) = Parse(Valid);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2027, 2, 10, 10, 0, 0, TimeSpan.Zero), details!.StartsAt);
        Assert.Equal(new DateTimeOffset(2027, 2, 8, 9, 0, 0, TimeSpan.Zero), details.RegistrationDeadline);
        Assert.Equal(("Alumni lecture", 80, EventKind.LectureSeries), (details.Title.English, details.Capacity, details.Kind));
        Assert.Equal([ReturnInterest.ProjectWork], details.Audience.ReturnInterests);
        Assert.Equal(2015, details.Audience.DepartedFromYear);
        Assert.Equal(HostRole.Employee, Assert.Single(details.Hosts).Role);
    }

    [Fact]
    public void Description_AtTheLimitWithCrlfLineBreaks_IsAcceptedAndStoredWithLf()
    {
        // A browser counts each line break of a textarea as one character against maxlength, but posts it as CRLF.
        var typed = string.Join("\n", Enumerable.Repeat(new string('説', 99), 50)) + "。";
        Assert.Equal(EventDraft.MaxDescription, typed.Length);

        var (details, errors) = Parse(With("description.ja", typed.Replace("\n", "\r\n", StringComparison.Ordinal)));

        Assert.Empty(errors);
        Assert.Equal(typed, details!.Description.Japanese);
    }

    [Theory]
    [InlineData("America/St_Johns")]
    [InlineData("Etc/GMT-14")]
    [InlineData("Tokyo Standard Time")]
    public void AcceptedTimeZone_IsOneTheCalendarFileCarries(string zone)
    {
        var (details, errors) = Parse(With("timeZone", zone));

        Assert.Empty(errors);
        var e = EventBuilders.Event();
        e.Details = details!;
        var file = EventCalendar.Request(e, Builders.Alumnus(Now.AddDays(-60), Core.Alumni.AlumnusStatus.Joined), 1,
            Core.Alumni.EmailAddress.Parse("alumni@example.com"), "Example Alumni", new Uri("https://alumni.example.com/"), Now);
        var entry = Assert.Single(Ical.Net.Calendar.Load(Encoding.UTF8.GetString(file.Content))!.Events);
        Assert.Equal(details!.StartsAt.UtcDateTime, entry.DtStart!.AsUtc);
    }

    [Fact]
    public void MissingDeadline_IsTheStart()
    {
        var (details, _) = Parse(With("registrationDeadline", null));

        Assert.Equal(details!.StartsAt, details.RegistrationDeadline);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { With("end", "2027-02-10T18:00"), "end" },
        { With("end", "2027-02-10T19:00"), "end" },
        { With("capacity", 0), "capacity" },
        { With("capacity", -5), "capacity" },
        { With("capacity", "80"), "capacity" },
        { With("registrationDeadline", "2027-02-10T19:30"), "registrationDeadline" },
        { With("audience.salary", 1), "audience.salary" },
        { With("audience.departments", "Retail"), "audience.departments" },
        { With("audience.returnInterests", new JsonArray("Maybe")), "audience.returnInterests[0]" },
        { With("audience.departedToYear", 2010), "audience.departedToYear" },
        { With("audience.lastWorkingDayFrom", "0001-01-01"), "audience.lastWorkingDayFrom" },
        { With("audience.lastWorkingDayFrom", "1899-12-31"), "audience.lastWorkingDayFrom" },
        { With("audience.lastWorkingDayTo", "9999-12-31"), "audience.lastWorkingDayTo" },
        { With("audience.lastWorkingDayTo", "2200-01-01"), "audience.lastWorkingDayTo" },
        { With("kind", "Party"), "kind" },
        { With("kind", "1"), "kind" },
        { With("timeZone", "Mars/Olympus"), "timeZone" },
        // Zone files the server holds that are no zone a calendar file can carry: every notice's .ics would fail.
        { With("timeZone", "localtime"), "timeZone" },
        { With("timeZone", "posixrules"), "timeZone" },
        { With("timeZone", "Factory"), "timeZone" },
        { With("start", "2027-02-10T19:00+09:00"), "start" },
        { With("start", "2026-01-01T10:00"), "start" },
        { With("start", "0001-01-01T00:00"), "start" },
        // Seconds would be dropped by the next edit (the event is shown to the minute), moving it and telling everyone.
        { With("start", "2027-02-10T19:00:30"), "start" },
        { With("end", "2027-02-10T21:00:00"), "end" },
        { With("registrationDeadline", "2027-02-08T18:00:00"), "registrationDeadline" },
        { With("end", "9999-12-31T23:59"), "end" },
        { With("registrationDeadline", "0001-01-01T00:00"), "registrationDeadline" },
        { With("end", "2200-01-01T00:00"), "end" },
        { With("onlineUrl", "http://meet.example.com/x"), "onlineUrl" },
        { With("onlineUrl", "javascript:alert(1)"), "onlineUrl" },
        { With("title.en", ""), "title.en" },
        { With("title", null), "title" },
        { With("hosts", new JsonArray(new JsonObject { ["name"] = "X", ["role"] = "Guest" })), "hosts[0].role" },
        { With("colour", "red"), "colour" },
        { "[1]", "$" },
        { "{\"title\":", "$" },
    };

    [Fact]
    public void AudienceLastWorkingDays_AtTheEndsOfTheSupportedCalendar_AreTaken()
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        root["audience"]!["lastWorkingDayFrom"] = "1900-01-01";
        root["audience"]!["lastWorkingDayTo"] = "2199-12-31";

        var (details, errors) = Parse(root.ToJsonString());

        Assert.Empty(errors);
        Assert.Equal((new DateOnly(1900, 1, 1), new DateOnly(2199, 12, 31)), (details!.Audience.LastWorkingDayFrom, details.Audience.LastWorkingDayTo));
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public void BadBody_IsRefusedNamingTheField(string json, string field)
    {
        var (details, errors) = Parse(json);

        Assert.Null(details);
        Assert.Contains(errors, e => e.Field == field);
    }

    /// <summary>Titles go into email subjects: line breaks, tabs, line separators and text-direction controls are refused.</summary>
    [Theory]
    [InlineData("title.ja", "講演会\nBcc: x@example.net")]
    [InlineData("title.ja", "講演会\r\n第二部")]
    [InlineData("title.en", "Alumni\r lecture")]
    [InlineData("title.en", "Alumni\tlecture")]
    [InlineData("title.en", "Alumni\u2028lecture")]
    [InlineData("title.ja", "講演会\u2029第二部")]
    [InlineData("title.en", "Alumni \u202Eerutcel")]
    [InlineData("title.ja", "\u2066講演会\u2069")]
    public void TitleOnMoreThanOneLineOrWithDirectionControls_IsRefusedNamingTheField(string field, string title)
    {
        var (details, errors) = Parse(With(field, title));

        Assert.Null(details);
        Assert.Equal(new Core.Validation.FieldError(field, Core.Validation.FreeText.SingleLineRule), Assert.Single(errors));
    }

    /// <summary>A description keeps its line breaks, never the characters that make it read other than it is (mail, console, CSV).</summary>
    [Theory]
    [InlineData("description.ja", "一行目\u2028二行目")]
    [InlineData("description.ja", "一行目\n\u2029二行目")]
    [InlineData("description.en", "Doors open \u202E.m.p 7\u202C at the venue")]
    [InlineData("description.en", "\u2066Talk\u2069\nQ&A")]
    public void DescriptionWithDirectionOrSeparatorCharacters_IsRefusedNamingTheField(string field, string description)
    {
        var (details, errors) = Parse(With(field, description));

        Assert.Null(details);
        Assert.Equal(new Core.Validation.FieldError(field, Core.Validation.FreeText.MisleadingRule), Assert.Single(errors));
    }

    [Fact]
    public void LineBreaksInTheDescription_AreStillTaken() =>
        Assert.Equal("一行目\n二行目", Parse(With("description.ja", "一行目\n二行目")).Details!.Description.Japanese);

    [Fact]
    public void NeitherVenueNorOnlineUrl_IsRefused()
    {
        var body = JsonNode.Parse(With("onlineUrl", null))!.AsObject();
        body.Remove("venue");

        var (_, errors) = Parse(body.ToJsonString());

        Assert.Contains(errors, e => e.Field == "venue");
    }

    [Fact]
    public void StartThatHasPassed_IsTakenOnAnUpdateThatKeepsIt()
    {
        var start = EventBuilders.Details().StartsAt;

        var (details, errors) = EventDraft.Parse(Encoding.UTF8.GetBytes(Valid), start.AddHours(1), storedStart: start);

        Assert.Empty(errors);
        Assert.Equal(start, details!.StartsAt);
    }

    [Fact]
    public void StartInThePast_IsRefused_WhenItIsNotTheStoredOne()
    {
        var start = EventBuilders.Details().StartsAt;

        var (_, errors) = EventDraft.Parse(Encoding.UTF8.GetBytes(Valid), start.AddHours(1), storedStart: start.AddMinutes(-30));

        Assert.Equal(("start", EventDraft.FutureStartRule), (Assert.Single(errors).Field, errors[0].Rule));
    }

    [Theory]
    [InlineData("2027-02-10T19:30")]
    [InlineData("2027-02-10T20:00")]
    public void EndMovedToNowOrEarlier_IsRefusedNamingEnd(string end)
    {
        // Under way since 19:00, it is now 20:00: an end moved there would close the event and tell attendees it ended.
        var stored = EventBuilders.Details();
        var body = JsonNode.Parse(Valid)!.AsObject();
        body["end"] = end;

        var (_, errors) = EventDraft.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), stored.StartsAt.AddHours(1), stored.StartsAt, stored.EndsAt);

        Assert.Equal(("end", EventDraft.FutureEndRule), (Assert.Single(errors).Field, errors[0].Rule));
    }

    [Fact]
    public void EndMovedLaterDuringTheEvent_IsTaken()
    {
        var stored = EventBuilders.Details();
        var body = JsonNode.Parse(Valid)!.AsObject();
        body["end"] = "2027-02-10T20:01";

        var (details, errors) = EventDraft.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), stored.StartsAt.AddHours(1), stored.StartsAt, stored.EndsAt);

        Assert.Empty(errors);
        Assert.Equal(stored.StartsAt.AddMinutes(61), details!.EndsAt);
    }

    [Fact]
    public void TimeSkippedByDaylightSaving_IsRefused()
    {
        var json = With("timeZone", "America/New_York").Replace("2027-02-10T19:00", "2027-03-14T02:30", StringComparison.Ordinal)
            .Replace("2027-02-10T21:00", "2027-03-14T04:00", StringComparison.Ordinal).Replace("2027-02-08T18:00", "2027-03-10T18:00", StringComparison.Ordinal);

        var (_, errors) = Parse(json);

        Assert.Equal("start", Assert.Single(errors).Field);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var body = JsonNode.Parse(With("capacity", 0))!.AsObject();
        body.Remove("kind");

        var (_, errors) = Parse(body.ToJsonString());

        Assert.Equal(["capacity", "kind"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void UnknownFieldWithAHostileName_IsNotEchoed()
    {
        var (_, errors) = Parse("""{"<script>":1}""");

        Assert.Contains(errors, e => e.Field == "$");
        Assert.DoesNotContain(errors, e => e.Field.Contains('<', StringComparison.Ordinal));
    }
}
