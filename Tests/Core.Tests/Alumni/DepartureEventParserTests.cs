using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class DepartureEventParserTests
{
    private const string Valid = """
        {"type": "employee.departed", "timestamp": "2026-11-30T09:00:00Z",
         "data": {"employeeId": "E12345", "givenName": "花子", "familyName": "山田",
                  "personalEmail": "hanako@example.net", "department": "Retail Banking", "jobTitle": "Analyst",
                  "hireDate": "2018-04-01", "lastWorkingDay": "2026-11-30", "reason": "voluntary",
                  "rehireEligible": true, "locale": "ja-JP", "salary": 9999999}}
        """;

    private static readonly Core.Company.CompanyMailDomains MailDomains = new(["example.co.jp"]);

    /// <summary>When the tests' messages arrive: after every timestamp they state (a hire's is months on).</summary>
    private static readonly DateTimeOffset ReceivedAt = new(2027, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static DepartureEvent Parse(string json, DateTimeOffset? receivedAt = null) =>
        DepartureEventParser.Parse(Encoding.UTF8.GetBytes(json), Locale.English, MailDomains, new EventTimeLimit(receivedAt ?? ReceivedAt, TimeSpan.FromMinutes(5)));

    private static string With(string field, JsonNode? value)
    {
        var root = JsonNode.Parse(Valid)!;
        var data = root["data"]!.AsObject();
        if (value is null)
        {
            data.Remove(field);
        }
        else
        {
            data[field] = value;
        }

        return root.ToJsonString();
    }

    [Fact]
    public void ValidDeparture_BuildsNoticeWithOnlyNeededFields()
    {
        var notice = Assert.IsType<DepartureEvent.Departure>(Parse(Valid)).Notice;

        Assert.Equal("E12345", notice.EmployeeId);
        Assert.Equal("花子", notice.GivenName);
        Assert.Equal("hanako@example.net", notice.PersonalEmail.Value);
        Assert.Equal(new DateOnly(2026, 11, 30), notice.LastWorkingDay);
        Assert.Equal(DepartureReason.Voluntary, notice.Reason);
        Assert.Equal(Locale.Japanese, notice.Locale);
        Assert.True(notice.RehireEligible);
    }

    [Fact]
    public void RepeatedKeyInData_IsNamedByItsPathInData() =>
        Assert.Equal(
            [new Core.Validation.FieldError("data.givenName", "must appear only once")],
            Assert.IsType<DepartureEvent.Invalid>(Parse(Valid.Replace("\"givenName\"", "\"givenName\": \"x\", \"givenName\"", StringComparison.Ordinal))).Errors);

    [Theory]
    [InlineData("hanako@example.co.jp")]
    [InlineData("Hanako@Mail.Example.CO.JP")]
    public void PersonalEmailAtTheCompanysMailDomains_IsRefusedNamingTheFieldAndTheRule(string address)
    {
        var error = Assert.Single(Assert.IsType<DepartureEvent.Invalid>(Parse(With("personalEmail", address))).Errors);

        Assert.Equal("data.personalEmail", error.Field);
        Assert.Contains("personal address, not a work address at the company's mail domains (example.co.jp", error.Rule, StringComparison.Ordinal);
        Assert.DoesNotContain("hanako", error.Rule, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("hanako@example.co.jp.evil.net")]
    [InlineData("hanako@notexample.co.jp")]
    public void PersonalEmailOnlyLookingLikeTheCompanysDomain_IsTaken(string address) =>
        Assert.Equal(address, Assert.IsType<DepartureEvent.Departure>(Parse(With("personalEmail", address))).Notice.PersonalEmail.Value);

    [Fact]
    public void MissingLocale_UsesConfiguredDefault_AndSaysItWasNotStated()
    {
        var notice = Assert.IsType<DepartureEvent.Departure>(Parse(With("locale", null))).Notice;
        Assert.Equal((Locale.English, false), (notice.Locale, notice.LocaleStated));
    }

    [Fact]
    public void GivenLocale_IsStated() => Assert.True(Assert.IsType<DepartureEvent.Departure>(Parse(With("locale", "en-US"))).Notice.LocaleStated);

    [Theory]
    [InlineData("contract_end", DepartureReason.ContractEnd)]
    [InlineData("retirement", DepartureReason.Retirement)]
    [InlineData("involuntary", DepartureReason.Involuntary)]
    [InlineData("other", DepartureReason.Other)]
    public void EveryReason_IsAccepted(string reason, DepartureReason expected) =>
        Assert.Equal(expected, Assert.IsType<DepartureEvent.Departure>(Parse(With("reason", reason))).Notice.Reason);

    [Theory]
    [InlineData("employeeId", null, "data.employeeId", "is required")]
    [InlineData("employeeId", "E 1/2", "data.employeeId", "may contain only")]
    [InlineData("givenName", null, "data.givenName", "is required")]
    [InlineData("givenName", "  ", "data.givenName", "must not be empty")]
    [InlineData("familyName", null, "data.familyName", "is required")]
    [InlineData("personalEmail", "not-an-email", "data.personalEmail", "valid email")]
    [InlineData("personalEmail", "Hanako <hanako@example.net>", "data.personalEmail", "valid email")]
    [InlineData("lastWorkingDay", null, "data.lastWorkingDay", "is required")]
    [InlineData("lastWorkingDay", "30/11/2026", "data.lastWorkingDay", "yyyy-MM-dd")]
    [InlineData("hireDate", "2027-01-01", "data.hireDate", "must not be after")]
    [InlineData("reason", "fired", "data.reason", "must be one of")]
    [InlineData("locale", "fr-FR", "data.locale", "ja-JP or en-US")]
    public void InvalidField_IsNamedWithItsRule(string field, string? value, string path, string rule)
    {
        var invalid = Assert.IsType<DepartureEvent.Invalid>(Parse(With(field, value is null ? null : JsonValue.Create(value))));
        var error = Assert.Single(invalid.Errors);
        Assert.Equal(path, error.Field);
        Assert.Contains(rule, error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongTypes_AreEachReported()
    {
        var json = With("employeeId", 12345);
        json = JsonNode.Parse(json)!.AsObject().Also(o =>
        {
            o["data"]!["rehireEligible"] = "yes";
            o["data"]!["givenName"] = new JsonArray();
        }).ToJsonString();

        var invalid = Assert.IsType<DepartureEvent.Invalid>(Parse(json));

        Assert.Equal(["data.employeeId", "data.givenName", "data.rehireEligible"], invalid.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void MalformedBody_IsInvalid(string body) =>
        Assert.Equal("$", Assert.Single(Assert.IsType<DepartureEvent.Invalid>(Parse(body)).Errors).Field);

    [Fact]
    public void MissingData_IsInvalid() =>
        Assert.Contains(Assert.IsType<DepartureEvent.Invalid>(Parse("""{"type":"employee.departed","timestamp":"2026-12-01T02:00:00Z"}""")).Errors, e => e.Field == "data");

    [Fact]
    public void OtherEventType_IsUnhandledNotInvalid() =>
        Assert.Equal("employee.promoted", Assert.IsType<DepartureEvent.Unhandled>(Parse("""{"type":"employee.promoted","data":{}}""")).Type);

    [Fact]
    public void Departure_CarriesTheEnvelopesTimestampAsItsEventTime() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), Assert.IsType<DepartureEvent.Departure>(Parse(Valid)).Notice.EventAt);

    [Fact]
    public void DepartureStampedInNanoseconds_CarriesTheTimestampToTheTick()
    {
        // Java's Instant.toString() writes nine digits of a second; .NET keeps seven.
        var root = JsonNode.Parse(Valid)!.AsObject();
        root["timestamp"] = "2026-11-30T09:00:00.123456789Z";
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero).AddTicks(1_234_567), Assert.IsType<DepartureEvent.Departure>(Parse(root.ToJsonString())).Notice.EventAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public void DepartureWithoutTimestamp_IsInvalid_NamingIt(string? value)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        root.Remove("timestamp");
        if (value is not null)
        {
            root["timestamp"] = JsonNode.Parse(value);
        }

        Assert.Equal(["timestamp"], Assert.IsType<DepartureEvent.Invalid>(Parse(root.ToJsonString())).Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("2026-11-30T09:05:01Z")]
    [InlineData("2026-11-30T18:05:01+09:00")]
    [InlineData("2062-11-30T09:00:00Z")]
    public void DepartureStampedFurtherAheadThanTheClockSkew_IsInvalid_NamingTimestampAndTheRule(string timestamp)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        root["timestamp"] = timestamp;

        var error = Assert.Single(Assert.IsType<DepartureEvent.Invalid>(Parse(root.ToJsonString(), receivedAt: new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero))).Errors);

        Assert.Equal("timestamp", error.Field);
        Assert.Contains("must not be more than 00:05:00 ahead of the time it is received", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void DepartureStampedWithinTheClockSkew_IsTaken_AtItsOwnTime()
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        root["timestamp"] = "2026-11-30T09:05:00Z";

        var notice = Assert.IsType<DepartureEvent.Departure>(Parse(root.ToJsonString(), receivedAt: new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero))).Notice;

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 5, 0, TimeSpan.Zero), notice.EventAt);
    }

    [Theory]
    [InlineData("2026-11-30T09:00:00")]
    [InlineData("2026-11-30 09:00")]
    [InlineData("11/30/2026 09:00:00")]
    [InlineData("2026-11-30")]
    public void DepartureStampedWithoutAnOffset_IsInvalid_NamingTimestamp(string timestamp)
    {
        // Read in the server's own time zone it would move HR's event by hours, and with it the order of HR's messages.
        var root = JsonNode.Parse(Valid)!.AsObject();
        root["timestamp"] = timestamp;

        var error = Assert.Single(Assert.IsType<DepartureEvent.Invalid>(Parse(root.ToJsonString())).Errors);

        Assert.Equal("timestamp", error.Field);
        Assert.Contains("with its offset", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void HireStampedFurtherAheadThanTheClockSkew_IsInvalid_NamingTimestamp() =>
        Assert.Equal(["timestamp"], Assert.IsType<DepartureEvent.Invalid>(Parse(
            """{"type": "employee.hired", "timestamp": "2027-04-01T00:06:00Z", "data": {"employeeId": "E1", "hireDate": "2027-04-01"}}""")).Errors.Select(e => e.Field));

    [Fact]
    public void Hire_BuildsAHireNotice_ReadingOnlyTheIdTheDateAndTheAddress()
    {
        var hire = Assert.IsType<DepartureEvent.Hire>(Parse("""
            {"type": "employee.hired", "timestamp": "2027-04-01T00:00:00Z",
             "data": {"employeeId": "E12345", "hireDate": "2027-04-01", "personalEmail": "hanako@example.net", "givenName": "花子", "salary": 1}}
            """)).Notice;

        Assert.Equal(new HireNotice("E12345", EmailAddress.Parse("hanako@example.net"), new DateOnly(2027, 4, 1)), hire);
    }

    [Fact]
    public void HireWithoutAddress_IsTaken() =>
        Assert.Null(Assert.IsType<DepartureEvent.Hire>(Parse("""{"type": "employee.hired", "data": {"employeeId": "E1", "hireDate": "2027-04-01"}}""")).Notice.PersonalEmail);

    [Theory]
    [InlineData("""{"type": "employee.hired", "data": {"hireDate": "2027-04-01"}}""", "data.employeeId")]
    [InlineData("""{"type": "employee.hired", "data": {"employeeId": "E 1", "hireDate": "2027-04-01"}}""", "data.employeeId")]
    [InlineData("""{"type": "employee.hired", "data": {"employeeId": "E1"}}""", "data.hireDate")]
    [InlineData("""{"type": "employee.hired", "data": {"employeeId": "E1", "hireDate": "2027-02-30"}}""", "data.hireDate")]
    [InlineData("""{"type": "employee.hired", "data": {"employeeId": "E1", "hireDate": "2027-04-01", "personalEmail": "not-an-email"}}""", "data.personalEmail")]
    [InlineData("""{"type": "employee.hired", "data": {"employeeId": "E1", "hireDate": "2027-04-01", "personalEmail": 7}}""", "data.personalEmail")]
    [InlineData("""{"type": "employee.hired"}""", "data")]
    public void BadHire_IsInvalid_NamingTheField(string json, string field) =>
        Assert.Contains(field, Assert.IsType<DepartureEvent.Invalid>(Parse(json)).Errors.Select(e => e.Field));

    [Fact]
    public void Withdrawal_BuildsAWithdrawalNotice_ReadingOnlyTheIdAndTheTime()
    {
        var withdrawal = Assert.IsType<DepartureEvent.Withdrawal>(Parse("""
            {"type": "employee.departure.withdrawn", "timestamp": "2026-11-25T10:00:00+09:00",
             "data": {"employeeId": "E12345", "givenName": "花子", "reason": "changed mind"}}
            """)).Notice;

        Assert.Equal(new WithdrawalNotice("E12345", new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero)), withdrawal);
    }

    [Theory]
    [InlineData("""{"type": "employee.departure.withdrawn", "timestamp": "2026-11-25T01:00:00Z", "data": {}}""", "data.employeeId")]
    [InlineData("""{"type": "employee.departure.withdrawn", "timestamp": "2026-11-25T01:00:00Z", "data": {"employeeId": null}}""", "data.employeeId")]
    [InlineData("""{"type": "employee.departure.withdrawn", "timestamp": "2026-11-25T01:00:00Z", "data": {"employeeId": "E 1"}}""", "data.employeeId")]
    [InlineData("""{"type": "employee.departure.withdrawn", "data": {"employeeId": "E1"}}""", "timestamp")]
    [InlineData("""{"type": "employee.departure.withdrawn", "timestamp": "yesterday", "data": {"employeeId": "E1"}}""", "timestamp")]
    [InlineData("""{"type": "employee.departure.withdrawn", "timestamp": "2026-11-25T01:00:00Z"}""", "data")]
    public void BadWithdrawal_IsInvalid_NamingTheField(string json, string field) =>
        Assert.Contains(field, Assert.IsType<DepartureEvent.Invalid>(Parse(json)).Errors.Select(e => e.Field));
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
