using System.Text;
using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Core.Outreach;

namespace AlumniNetwork.Core.Tests.Outreach;

public sealed class SendGridEventParserTests
{
    private const string AlumnusIdText = "0123456789abcdef0123456789abcdef";
    private const string Good = """{"email":"a@example.net","timestamp":1764547200,"event":"delivered","sg_event_id":"ev1","sg_message_id":"m1"}""";

    private static EmailEventBatch Parse(string json) => SendGridEventParser.Parse(Encoding.UTF8.GetBytes(json));

    public static TheoryData<string, string[]> BadBatches => new()
    {
        { "not json", ["$"] },
        { """{"event":"delivered"}""", ["$"] },
        { "[1]", ["[0]"] },
        { $$"""[{{Good}}, {"email":"b@example.net","timestamp":1,"event":"bounce"}]""", ["[1].sg_event_id"] },
        { """[{"email":"b@example.net","timestamp":1,"sg_event_id":"e"}]""", ["[0].event"] },
        { """[{"email":"b@example.net","timestamp":1,"event":42,"sg_event_id":"e"}]""", ["[0].event"] },
        { """[{"timestamp":1,"event":"open","sg_event_id":"e"}]""", ["[0].email"] },
        { """[{"email":"not-an-email","timestamp":1,"event":"open","sg_event_id":"e"}]""", ["[0].email"] },
        { """[{"email":"b@example.net","event":"open","sg_event_id":"e"}]""", ["[0].timestamp"] },
        { """[{"email":"b@example.net","timestamp":"yesterday","event":"open","sg_event_id":"e"}]""", ["[0].timestamp"] },
        { """[{"email":"b@example.net","timestamp":1.5,"event":"open","sg_event_id":"e"}]""", ["[0].timestamp"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"open","sg_event_id":""}]""", ["[0].sg_event_id"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"open","sg_event_id":"e","category":7}]""", ["[0].category"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"open","sg_event_id":"e","category":["a",7]}]""", ["[0].category"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"open","sg_event_id":"e","alumnusId":"ABC"}]""", ["[0].alumnusId"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"open","sg_event_id":"e","campaign":{"x":1}}]""", ["[0].campaign"] },
        { """[{"email":"b@example.net","timestamp":1,"event":"bounce","sg_event_id":"e","type":7}]""", ["[0].type"] },
        { $$"""[{{Good}}, {{Good}}, {"event":"bounce"}, 5]""", ["[2].email", "[2].sg_event_id", "[2].timestamp", "[3]"] },
        { """[{}]""", ["[0].email", "[0].event", "[0].sg_event_id", "[0].timestamp"] },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public void BadBatch_IsInvalidNamingEveryFieldPath(string json, string[] fields)
    {
        var invalid = Assert.IsType<EmailEventBatch.Invalid>(Parse(json));

        Assert.Equal(fields, invalid.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BadEmail_IsNotEchoedInTheRule()
    {
        var invalid = Assert.IsType<EmailEventBatch.Invalid>(Parse("""[{"email":"secret-person@","timestamp":1,"event":"open","sg_event_id":"e"}]"""));

        Assert.DoesNotContain(invalid.Errors, e => e.Rule.Contains("secret-person", StringComparison.Ordinal));
    }

    [Fact]
    public void GoodEvent_CarriesIdTypeAddressTimeAndCustomArgs()
    {
        var batch = Assert.IsType<EmailEventBatch.Parsed>(Parse($$"""
            [{"email":"a@example.net","timestamp":1764547200,"event":"group_unsubscribe","sg_event_id":"ev1","sg_message_id":"m1",
              "category":["newsletter","2026-12"],"alumnusId":"{{AlumnusIdText}}","campaign":"newsletter-2026-12","asm_group_id":3}]
            """));

        var e = Assert.Single(batch.Events);
        Assert.Equal("ev1", e.EventId);
        Assert.Equal(EmailEventType.GroupUnsubscribe, e.Type);
        Assert.Equal("a@example.net", e.Email.Value);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764547200), e.At);
        Assert.Equal(AlumnusId.Parse(AlumnusIdText), e.AlumnusId);
        Assert.Equal("newsletter-2026-12", e.Campaign);
        Assert.Equal(["newsletter", "2026-12"], e.Categories);
    }

    [Fact]
    public void CategoryAsString_IsOneCategory() =>
        Assert.Equal(["surveys"], Assert.Single(Assert.IsType<EmailEventBatch.Parsed>(
            Parse("""[{"email":"a@example.net","timestamp":1,"event":"open","sg_event_id":"e","category":"surveys"}]""")).Events).Categories);

    [Theory]
    [InlineData("processed", EmailEventType.Processed)]
    [InlineData("dropped", EmailEventType.Dropped)]
    [InlineData("delivered", EmailEventType.Delivered)]
    [InlineData("deferred", EmailEventType.Deferred)]
    [InlineData("bounce", EmailEventType.Bounce)]
    [InlineData("open", EmailEventType.Open)]
    [InlineData("click", EmailEventType.Click)]
    [InlineData("spamreport", EmailEventType.SpamReport)]
    [InlineData("unsubscribe", EmailEventType.Unsubscribe)]
    [InlineData("group_unsubscribe", EmailEventType.GroupUnsubscribe)]
    [InlineData("group_resubscribe", EmailEventType.GroupResubscribe)]
    public void EveryKnownType_IsRead(string name, EmailEventType type) =>
        Assert.Equal(type, Assert.Single(Assert.IsType<EmailEventBatch.Parsed>(
            Parse($$"""[{"email":"a@example.net","timestamp":1,"event":"{{name}}","sg_event_id":"e"}]""")).Events).Type);

    [Theory]
    [InlineData("bounce", ",\"type\":\"blocked\"", EmailEventType.Blocked)]
    [InlineData("bounce", ",\"type\":\"bounce\"", EmailEventType.Bounce)]
    [InlineData("bounce", "", EmailEventType.Bounce)]
    [InlineData("bounce", ",\"type\":null", EmailEventType.Bounce)]
    [InlineData("bounce", ",\"type\":\"soft_bounce\"", EmailEventType.Bounce)]
    [InlineData("open", ",\"type\":\"blocked\"", EmailEventType.Open)]
    public void BounceType_Blocked_IsABlockAndAbsentOrAnyOtherIsABounce(string name, string typeField, EmailEventType type) =>
        Assert.Equal(type, Assert.Single(Assert.IsType<EmailEventBatch.Parsed>(
            Parse($$"""[{"email":"a@example.net","timestamp":1,"event":"{{name}}","sg_event_id":"e"{{typeField}}}]""")).Events).Type);

    [Theory]
    [InlineData(",\"reason\":\"Bounced Address\"", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"Spam Reporting Address\"", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"Unsubscribed Address\"", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"Invalid\"", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"bounced address\"", EmailEventType.Dropped)]
    [InlineData("", EmailEventType.Dropped)]
    [InlineData(",\"reason\":null", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"\"", EmailEventType.Dropped)]
    [InlineData(",\"reason\":\"Spam Content (if Spam Checker app enabled)\"", EmailEventType.DroppedMessage)]
    [InlineData(",\"reason\":\"Invalid SMTPAPI header\"", EmailEventType.DroppedMessage)]
    [InlineData(",\"reason\":\"Recipient List over Package Quota\"", EmailEventType.DroppedMessage)]
    [InlineData(",\"reason\":42", EmailEventType.Dropped)]
    public void DropReason_OnlyAnAddressReasonOrNoneIsADropOfTheAddress(string reasonField, EmailEventType type) =>
        Assert.Equal(type, Assert.Single(Assert.IsType<EmailEventBatch.Parsed>(
            Parse($$"""[{"email":"a@example.net","timestamp":1,"event":"dropped","sg_event_id":"e"{{reasonField}}}]""")).Events).Type);

    [Fact]
    public void UnknownTypes_AreCountedNotRequiredToCarryAddressOrId()
    {
        var batch = Assert.IsType<EmailEventBatch.Parsed>(Parse($$"""
            [{{Good}}, {"event":"account_status_change","type":"compliance_suspend","timestamp":1}, {"event":"test_event"}]
            """));

        Assert.Single(batch.Events);
        Assert.Equal(2, batch.Unknown);
    }

    [Fact]
    public void EmptyArray_IsAnEmptyBatch()
    {
        var batch = Assert.IsType<EmailEventBatch.Parsed>(Parse("[]"));

        Assert.Empty(batch.Events);
        Assert.Equal(0, batch.Unknown);
    }
}
