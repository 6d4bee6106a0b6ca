using System.Text;
using AlumniNetwork.Core.Alumni;

namespace AlumniNetwork.Core.Tests.Alumni;

public sealed class DepartureBatchParserTests
{
    private const string Header = "employeeId,givenName,familyName,personalEmail,department,jobTitle,hireDate,lastWorkingDay,reason,rehireEligible,locale";

    private static readonly Core.Company.CompanyMailDomains MailDomains = new(["example.co.jp"]);

    private static DepartureBatch Csv(string text, int maxRows = 2_000) =>
        DepartureBatchParser.ParseCsv(Encoding.UTF8.GetBytes(text), maxRows, Locale.English, MailDomains);

    private static DepartureBatch Json(string text, int maxRows = 2_000) =>
        DepartureBatchParser.ParseJson(Encoding.UTF8.GetBytes(text), maxRows, Locale.English, MailDomains);

    private static IReadOnlyList<Core.Validation.FieldError> Errors(DepartureBatch batch) => Assert.IsType<DepartureBatch.Invalid>(batch).Errors;

    private static IReadOnlyList<DepartureNotice> Notices(DepartureBatch batch) => Assert.IsType<DepartureBatch.Valid>(batch).Notices;

    [Fact]
    public void Csv_QuotedFieldsDoubledQuotesCrLfAndBom_BuildTheSameNoticeAsTheWebhook()
    {
        var text = "\uFEFF" + Header + "\r\n" +
                   "E1,花子,山田,hanako@example.net,\"Retail, Banking\",\"The \"\"Analyst\"\"\",2018-04-01,2026-11-30,voluntary,true,ja-JP\r\n" +
                   "E2,Taro,Sato,taro@example.net,,,,2026-10-31,retirement,,\r\n";

        var notices = Notices(Csv(text));

        Assert.Equal(2, notices.Count);
        Assert.Equal("Retail, Banking", notices[0].Department);
        Assert.Equal("The \"Analyst\"", notices[0].JobTitle);
        Assert.True(notices[0].RehireEligible);
        Assert.Equal(Locale.Japanese, notices[0].Locale);
        Assert.Null(notices[0].WebhookId);
        Assert.Null(notices[1].Department);
        Assert.Null(notices[1].HireDate);
        Assert.Null(notices[1].RehireEligible);
        Assert.Equal(Locale.English, notices[1].Locale);
        Assert.False(notices[1].LocaleStated);
        Assert.Equal(DepartureReason.Retirement, notices[1].Reason);
    }

    [Fact]
    public void Csv_LfLineBreaksAndColumnsInAnyOrder_AreRead()
    {
        var notice = Assert.Single(Notices(Csv("reason,lastWorkingDay,employeeId,givenName,familyName,personalEmail,jobTitle\nother,2026-11-30,E1,Hanako,Yamada,h@example.net,\"Analyst\"\n")));

        Assert.Equal("E1", notice.EmployeeId);
        Assert.Equal("Analyst", notice.JobTitle);
    }

    [Fact]
    public void Csv_QuotedLineBreak_StaysInItsFieldAndMeetsTheWebhookRule()
    {
        var error = Assert.Single(Errors(Csv("employeeId,givenName,familyName,personalEmail,lastWorkingDay,reason,jobTitle\nE1,Hanako,Yamada,h@example.net,2026-11-30,other,\"Line\nTwo\"\n")));

        Assert.Equal(new Core.Validation.FieldError("rows[1].jobTitle", "must not contain control characters"), error);
    }

    [Fact]
    public void Csv_RowsBreakingTheWebhookRules_AreAllReportedWithOneBasedRowPaths()
    {
        var text = Header + "\n" +
                   "E1,Hanako,Yamada,hanako@example.net,,,,2026-11-30,voluntary,yes,\n" +
                   "E 2,Taro,Sato,taro@example.co.jp,,,,30/11/2026,fired,,\n";

        var errors = Errors(Csv(text));

        Assert.Equal(
            ["rows[1].rehireEligible", "rows[2].employeeId", "rows[2].personalEmail", "rows[2].lastWorkingDay", "rows[2].reason"],
            errors.Select(e => e.Field));
    }

    [Fact]
    public void Csv_UnknownDuplicateAndMissingColumns_AreNamed()
    {
        var errors = Errors(Csv("employeeId,givenName,givenName,personalEmail,salary,lastWorkingDay,reason\nE1,a,b,c,d,e,f\n"));

        Assert.Contains(errors, e => e.Field == "header" && e.Rule.StartsWith("column 5 is not a departure field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "header" && e.Rule.Contains("column 3 ('givenName') repeats", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "header" && e.Rule.Contains("'familyName'", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_WithoutAHeaderLine_IsRefused_WithoutEchoingTheFirstRowsPersonalData()
    {
        // The first data row is read as the header: its cells are a person's name and address, not column names.
        var errors = Errors(Csv("E1,Hanako,Yamada,hanako@example.net,,,,2026-11-30,voluntary,true,en-US\n"));

        Assert.Contains(errors, e => e.Field == "header" && e.Rule.StartsWith("column 2 is not a departure field", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Rule.Contains("Hanako", StringComparison.Ordinal) || e.Rule.Contains("Yamada", StringComparison.Ordinal) ||
            e.Rule.Contains("hanako@example.net", StringComparison.Ordinal) || e.Rule.Contains("E1", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_HeaderOfThousandsOfUnknownColumns_GetsAShortAnswer_StillNamingTheMissingOnes()
    {
        var header = string.Join(',', Enumerable.Repeat("x", 100_000)) + ",employeeId";

        var errors = Errors(Csv(header + "\n" + string.Join(',', Enumerable.Repeat("1", 100_001)) + "\n"));

        Assert.Equal(Core.Validation.StrictJson.MaxErrors, errors.Count(e => e.Rule.Contains("is not a departure field", StringComparison.Ordinal)));
        Assert.Contains(errors, e => e.Rule == "must include the column 'givenName'");
        Assert.DoesNotContain(errors, e => e.Rule == "must include the column 'employeeId'");
    }

    [Theory]
    [InlineData("E1,Hanako,Yamada,h@example.net,,,,2026-11-30,voluntary,true\n", "rows[1]")]
    [InlineData("E1,\"Hanako,Yamada,h@example.net,,,,2026-11-30,voluntary,true,\n", "rows[1]")]
    [InlineData("E1,\"Hanako\"x,Yamada,h@example.net,,,,2026-11-30,voluntary,true,\n", "rows[1]")]
    public void Csv_MalformedRows_AreErrorsNamingTheRow(string row, string field)
    {
        Assert.Equal(field, Assert.Single(Errors(Csv(Header + "\n" + row))).Field);
    }

    [Fact]
    public void Csv_NotUtf8_IsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\nE1,").Concat(new byte[] { 0x83, 0x65 }).ToArray();

        Assert.Equal("$", Assert.Single(Errors(DepartureBatchParser.ParseCsv(bytes, 10, Locale.English, MailDomains))).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Header + "\r\n")]
    public void Csv_WithoutRows_IsRefused(string text)
    {
        Assert.NotEmpty(Errors(Csv(text)));
    }

    [Fact]
    public void MoreRowsThanTheLimit_IsRefusedAsAWhole()
    {
        var rows = string.Concat(Enumerable.Range(1, 3).Select(i => $"E{i},Hanako,Yamada,h{i}@example.net,,,,2026-11-30,voluntary,,\n"));

        var error = Assert.Single(Errors(Csv(Header + "\n" + rows, maxRows: 2)));

        Assert.Equal("rows", error.Field);
        Assert.Contains("at most 2", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateEmployeeIdInABatch_NamesBothRows()
    {
        var json = """
            [{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"},
             {"employeeId": "E2", "givenName": "a", "familyName": "b", "personalEmail": "b@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"},
             {"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "c@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}]
            """;

        var error = Assert.Single(Errors(Json(json)));

        Assert.Equal("rows[3].employeeId", error.Field);
        Assert.Contains("rows[1].employeeId", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RowsAreCheckedByTheWebhookRulesUnderTheirRowPath()
    {
        var json = """
            [{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other", "rehireEligible": false},
             "E2",
             {"employeeId": "E3", "givenName": "a", "familyName": "b", "personalEmail": "not an address", "hireDate": "2027-01-01", "lastWorkingDay": "2026-11-30", "reason": "other"}]
            """;

        var errors = Errors(Json(json));

        Assert.Equal(["rows[2]", "rows[3].personalEmail", "rows[3].hireDate"], errors.Select(e => e.Field));
        Assert.Equal("must not be after rows[3].lastWorkingDay", errors[2].Rule);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("[")]
    public void Json_EmptyNotAnArrayOrMalformed_IsRefused(string json)
    {
        Assert.NotEmpty(Errors(Json(json)));
    }

    /// <summary>When the nightly batches arrive: an hour after the time they state.</summary>
    private static readonly EventTimeLimit Received = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(5));

    private static DepartureBatch Nightly(string text, int maxRows = 2_000) =>
        DepartureBatchParser.ParseEvent(Encoding.UTF8.GetBytes(text), maxRows, Locale.English, MailDomains, Received);

    private const string Row = """{"employeeId": "E1", "givenName": "a", "familyName": "b", "personalEmail": "a@example.net", "lastWorkingDay": "2026-11-30", "reason": "other"}""";

    [Fact]
    public void NightlyBatch_EveryRowCarriesTheEnvelopesTimestamp() =>
        Assert.All(
            Notices(Nightly($$"""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": [{{Row}}, {{Row.Replace("E1", "E2", StringComparison.Ordinal)}}]}""")),
            n => Assert.Equal(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero), n.EventAt));

    [Fact]
    public void NightlyBatchWithoutTimestamp_IsInvalid_NamingIt() =>
        Assert.Equal(["timestamp"], Errors(Nightly($$"""{"type": "employee.departed.batch", "data": [{{Row}}]}""")).Select(e => e.Field));

    [Fact]
    public void Nightly_ReadsDataByTheImportsRowRules()
    {
        const string Envelope = """{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": [ROWS]}""";
        var second = Row.Replace("E1", "E2", StringComparison.Ordinal);

        var notices = Notices(Nightly(Envelope.Replace("ROWS", Row + "," + second, StringComparison.Ordinal)));
        var errors = Errors(Nightly(Envelope.Replace("ROWS", Row + "," + second.Replace("other", "fired", StringComparison.Ordinal), StringComparison.Ordinal)));

        Assert.Equal(["E1", "E2"], notices.Select(n => n.EmployeeId));
        Assert.All(notices, n => Assert.Null(n.WebhookId));
        Assert.Equal(["rows[2].reason"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("\"givenName\": \"x\", \"givenName\"", "rows[2].givenName", "must appear only once")]
    [InlineData("\"department\": \"\\ud800\", \"givenName\"", "rows[2].department", "must be valid Unicode text (no lone surrogates or invalid UTF-8)")]
    [InlineData("\"\\ud800\": 1, \"givenName\"", "rows[2]", "must have keys that are valid Unicode text")]
    public void JsonProblemInsideARow_IsNamedByItsRow_InTheNightlyBatchAndTheImport(string givenNameKey, string field, string rule)
    {
        var second = Row.Replace("E1", "E2", StringComparison.Ordinal).Replace("\"givenName\"", givenNameKey, StringComparison.Ordinal);
        var nightly = $$"""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": [{{Row}}, {{second}}]}""";

        Assert.Equal([new Core.Validation.FieldError(field, rule)], Errors(Nightly(nightly)));
        Assert.Equal([new Core.Validation.FieldError(field, rule)], Errors(Json($"[{Row}, {second}]")));
    }

    [Fact]
    public void Nightly_RepeatedEnvelopeKey_IsNamedAsTheEnvelopesField() =>
        Assert.Equal(["timestamp"], Errors(Nightly($$"""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "timestamp": "2026-12-01T02:00:00Z", "data": [{{Row}}]}""")).Select(e => e.Field));

    [Theory]
    [InlineData("""{"type": "employee.departed", "timestamp": "2026-12-01T02:00:00Z", "data": []}""", "type")]
    [InlineData("""{"type": "EMPLOYEE.DEPARTED.BATCH", "timestamp": "2026-12-01T02:00:00Z", "data": []}""", "type")]
    [InlineData("""{"timestamp": "2026-12-01T02:00:00Z", "data": []}""", "type")]
    [InlineData("""{"type": 1, "timestamp": "2026-12-01T02:00:00Z", "data": []}""", "type")]
    [InlineData("""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z"}""", "data")]
    [InlineData("""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": {}}""", "data")]
    [InlineData("""{"type": "employee.departed.batch", "timestamp": "yesterday", "data": []}""", "timestamp")]
    [InlineData("""{"type": "employee.departed.batch", "timestamp": "2026-12-01T03:05:01Z", "data": []}""", "timestamp")]
    [InlineData("""{"type": "employee.departed.batch", "timestamp": "2062-12-01T02:00:00Z", "data": []}""", "timestamp")]
    [InlineData("""[]""", "$")]
    public void Nightly_EnvelopeBreakingARule_IsRefusedNamingTheField(string json, string field)
    {
        Assert.Equal([field], Errors(Nightly(json)).Select(e => e.Field));
    }

    [Fact]
    public void Nightly_OfAnotherType_IsRefusedWithoutReadingItsRows()
    {
        Assert.Equal(["type"], Errors(Nightly("""{"type": "employee.departed", "timestamp": "2026-12-01T02:00:00Z", "data": [{"employeeId": 7}]}""")).Select(e => e.Field));
    }

    [Fact]
    public void Nightly_WithoutLeavers_IsAnEmptyValidBatch_ButOverTheLimitIsRefused()
    {
        Assert.Empty(Notices(Nightly("""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": []}""")));
        Assert.Equal(["rows"], Errors(Nightly($$"""{"type": "employee.departed.batch", "timestamp": "2026-12-01T02:00:00Z", "data": [{{Row}}, {{Row.Replace("E1", "E2", StringComparison.Ordinal)}}]}""", maxRows: 1)).Select(e => e.Field));
    }
}
