using System.Text.Json;
using AlumniNetwork.Functions.AdminConsole;
using AlumniNetwork.Functions.AdminConsole.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>How a console form becomes the JSON admin API's body: controls named by JSON paths, nothing parsed twice.</summary>
public sealed class ConsoleFormValuesTests
{
    private static ConsoleFormValues Form(params (string Key, string[] Values)[] fields) =>
        ConsoleFormValues.From(new FormCollection(fields.ToDictionary(f => f.Key, f => new StringValues(f.Values))));

    /// <summary>Readable JSON (Japanese unescaped) of a UTF-8 body, to compare with the expected text.</summary>
    private static string Readable(byte[] body) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(body), Unescaped);

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(ConsoleFormValues values, params FormField[] fields) => Readable(values.ToJson(fields));

    [Fact]
    public void Paths_BuildNestedObjectsAndArraysOfObjects()
    {
        var values = Form(("title.ja", ["講演会"]), ("title.en", ["Lecture"]), ("hosts[0].name", ["佐藤"]), ("hosts[1].name", ["Sato"]), ("hosts[1].role", ["Alumnus"]));

        var json = Json(values, new("title.ja"), new("title.en"), new("hosts[0].name"), new("hosts[1].name"), new("hosts[1].role"));

        Assert.Equal("""{"title":{"ja":"講演会","en":"Lecture"},"hosts":[{"name":"佐藤"},{"name":"Sato","role":"Alumnus"}]}""", json);
    }

    [Fact]
    public void EmptyControls_AreLeftOut_SoTheUseCaseSaysWhatIsRequired()
    {
        var values = Form(("venue", ["  "]), ("audience.departments", ["\r\n"]), ("capacity", [""]));

        Assert.Equal("{}", Json(values, new("venue"), new("audience.departments", FormFieldKind.Lines), new("capacity", FormFieldKind.WholeNumber), new("absent")));
    }

    [Theory]
    [InlineData("40", "40")]
    [InlineData(" -3 ", "-3")]
    [InlineData("forty", "\"forty\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("99999999999999999999", "\"99999999999999999999\"")]
    public void WholeNumbers_AreNumbers_AndAnythingElseIsPassedOnAsTextForTheUseCaseToRefuse(string typed, string json) =>
        Assert.Equal($$"""{"capacity":{{json}}}""", Json(Form(("capacity", [typed])), new FormField("capacity", FormFieldKind.WholeNumber)));

    [Fact]
    public void LinesAndCheckboxes_BecomeArrays()
    {
        var values = Form(("audience.departments", ["Retail Banking\r\n\r\n Markets \n"]), ("audience.reasons", ["Voluntary", "Retirement"]));

        var json = Json(values, new("audience.departments", FormFieldKind.Lines), new("audience.reasons", FormFieldKind.Choices));

        Assert.Equal("""{"audience":{"departments":["Retail Banking","Markets"],"reasons":["Voluntary","Retirement"]}}""", json);
    }

    [Fact]
    public void FormFieldsNotInTheList_AreNotRead() =>
        Assert.Equal("""{"kind":"Seminar"}""", Json(Form(("kind", ["Seminar"]), ("__csrf", ["token"]), ("isAdmin", ["true"])), new FormField("kind")));

    [Fact]
    public void EventHostRows_WithoutNameOrTitle_AreDropped_AndTheRestNumberedFromZero()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["hosts[0].name"] = "", ["hosts[0].role"] = "Employee", ["hosts[0].title"] = "",
            ["hosts[1].name"] = "佐藤", ["hosts[1].role"] = "Alumnus", ["hosts[1].title"] = "",
            ["hosts[2].name"] = "", ["hosts[2].role"] = "Employee", ["hosts[2].title"] = "CFO",
        });

        var body = Readable(EventForm.Body(EventForm.Posted(form)));

        Assert.Equal("""{"hosts":[{"name":"佐藤","role":"Alumnus"},{"role":"Employee","title":"CFO"}]}""", body);
    }

    [Theory]
    [InlineData("2027-01-04T10:00", "2027-01-04T10:00:00+09:00")]
    [InlineData("2027-01-04T10:00:30", "2027-01-04T10:00:30+09:00")]
    [InlineData("0001-01-01T00:00", "0001-01-01T00:00")]
    [InlineData("0001-01-01T09:00", "0001-01-01T09:00")]
    [InlineData("4 January", "4 January")]
    [InlineData("", "")]
    public void LocalTimes_BecomeInstantsInTheZone_AndOtherTextStaysForTheUseCaseToRefuse(string local, string instant) =>
        Assert.Equal(instant, ConsoleFormValues.LocalToInstant(local, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")));
}
