using System.Text.Json.Nodes;

namespace AlumniNetwork.Functions.Tests.Support;

internal static class Departures
{
    public static string Body(string employeeId = "E12345", string lastWorkingDay = "2026-11-30", string locale = "ja-JP",
        string email = "hanako@example.net", string givenName = "花子", string familyName = "山田", string timestamp = "2026-11-30T09:00:00Z") => new JsonObject
    {
        ["type"] = "employee.departed",
        ["timestamp"] = timestamp,
        ["data"] = Data(employeeId, lastWorkingDay, locale, email, givenName, familyName),
    }.ToJsonString();

    /// <summary>HR's withdrawal of the employee's departure (ADR 0041).</summary>
    public static string Withdrawal(string employeeId = "E12345", string timestamp = "2026-11-30T12:00:00Z") => new JsonObject
    {
        ["type"] = "employee.departure.withdrawn",
        ["timestamp"] = timestamp,
        ["data"] = new JsonObject { ["employeeId"] = employeeId },
    }.ToJsonString();

    /// <summary>One departure as the webhook's <c>data</c> and a nightly batch's row carry it.</summary>
    public static JsonObject Data(string employeeId = "E12345", string lastWorkingDay = "2026-11-30", string locale = "ja-JP",
        string email = "hanako@example.net", string givenName = "花子", string familyName = "山田") => new()
    {
        ["employeeId"] = employeeId,
        ["givenName"] = givenName,
        ["familyName"] = familyName,
        ["personalEmail"] = email,
        ["department"] = "Retail Banking",
        ["jobTitle"] = "Analyst",
        ["hireDate"] = "2018-04-01",
        ["lastWorkingDay"] = lastWorkingDay,
        ["reason"] = "voluntary",
        ["rehireEligible"] = true,
        ["locale"] = locale,
    };

    /// <summary>HR's nightly batch of recent leavers (ADR 0039).</summary>
    public static string Batch(params JsonObject[] rows) => BatchAt("2026-12-01T02:00:00Z", rows);

    /// <summary>A nightly batch whose envelope says it was made at <paramref name="timestamp"/>.</summary>
    public static string BatchAt(string timestamp, params JsonObject[] rows) => new JsonObject
    {
        ["type"] = "employee.departed.batch",
        ["timestamp"] = timestamp,
        ["data"] = new JsonArray([.. rows]),
    }.ToJsonString();
}
