using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Links;
using AlumniNetwork.Core.Outreach;
using AlumniNetwork.Core.Webhooks;
using AlumniNetwork.Functions.SendGridEvents;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>
/// Generates the bad requests for every endpoint in the catalogue: for each kind of endpoint, bodies, headers, query
/// strings, tokens, methods and encodings that must be refused with a 4xx and change nothing. Webhook bodies are
/// signed correctly, so they reach the parsers; alumni and admin requests carry a valid token where the point is
/// another fault, so they reach the validation behind it.
/// </summary>
public static class HostileCases
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    public static IReadOnlyList<HostileCase> All { get; } = EndpointCatalogue.All.SelectMany(For).ToArray();

    public static IEnumerable<HostileCase> For(Endpoint endpoint) => WrongMethods(endpoint).Concat(endpoint.Kind switch
    {
        HrisWebhook => Hris(endpoint),
        SendGridWebhook => SendGrid(endpoint),
        AlumniPageEndpoint page => AlumniPage(endpoint, page),
        AdminEndpoint admin => Admin(endpoint, admin),
        DevSinkEndpoint sink => DevSink(endpoint, sink),
        PublicEndpoint => [],
        _ => throw new InvalidOperationException($"No hostile cases for {endpoint.Kind.GetType().Name}."),
    });

    private static HostileCase Case(Endpoint endpoint, string what, int status, Answer answer, Func<HostileContext, Task<Reply>> send, IReadOnlyList<string>? names = null) =>
        new($"{endpoint.Name}: {what}", endpoint.Name, [status], answer, send, names);

    /// <summary>
    /// Methods no function on the same route takes (GetEvent and UpdateEvent share one route), and a path below the
    /// route deep enough that no sibling route (such as <c>news</c> and <c>news/{id}</c>) takes it either.
    /// </summary>
    private static IEnumerable<HostileCase> WrongMethods(Endpoint endpoint)
    {
        var taken = EndpointCatalogue.All.Where(e => RouteShape(e.Route) == RouteShape(endpoint.Route)).SelectMany(e => e.Methods);
        foreach (var method in Methods.Except(taken))
        {
            yield return Case(endpoint, $"method {method}", 405, Answer.Problem, c => c.SendAsync(new HttpMethod(method), endpoint.Path(c.Member.Value)));
        }

        if (!endpoint.Route.Contains("{*", StringComparison.Ordinal))
        {
            yield return Case(endpoint, "unknown sub-path", 404, Answer.Problem, c => c.SendAsync(new HttpMethod(endpoint.Methods[0]), endpoint.Path(c.Member.Value) + "/x/y/z"));
        }
    }

    private static string RouteShape(string route) => System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", "{}");

    // Webhooks: every body signed as its sender signs it, so each reaches the parser.

    /// <summary>Bodies that are not well-formed JSON, or not JSON at all, for either webhook.</summary>
    private static IEnumerable<(string What, byte[] Body)> MalformedBodies()
    {
        foreach (var (what, text) in new[]
        {
            ("empty body", ""), ("open brace", "{"), ("close brace", "}"), ("open bracket", "["), ("truncated literal", "nul"),
            ("truncated member", "{\"type\":"), ("single quotes", "{'type':'x'}"), ("trailing comma", "{\"a\":1,}"),
            ("two documents", "{\"a\":1}{\"b\":2}"), ("comment", "/* c */{}"), ("NaN", "NaN"), ("unquoted key", "{type:1}"),
            ("bad escape", "{\"a\":\"\\x41\"}"), ("short unicode escape", "{\"a\":\"\\u12\"}"), ("raw control character", "{\"a\":\"\u0001\"}"),
            ("raw newline in string", "{\"a\":\"x\ny\"}"), ("leading zero", "{\"a\":01}"), ("xml", "<departure/>"),
        })
        {
            yield return (what, Encoding.UTF8.GetBytes(text));
        }

        yield return ("NUL byte", [0]);
        yield return ("UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. "{}"u8]);
        yield return ("UTF-16 encoding", Encoding.Unicode.GetBytes("{\"type\":\"employee.departed\"}"));
        yield return ("nested 40 deep", Encoding.UTF8.GetBytes("{\"data\":" + new string('[', 40) + new string(']', 40) + "}"));
    }

    private static byte[] InvalidUtf8In(string json, string marker)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker));
        (bytes[at], bytes[at + 1]) = (0xFF, 0xC3);
        return bytes;
    }

    private static IEnumerable<HostileCase> Hris(Endpoint endpoint)
    {
        var batch = ((HrisWebhook)endpoint.Kind).Batch;

        // The nightly batch carries the same departure as its only row, so every rule below reaches the same reader.
        JsonObject Valid() => batch
            ? JsonNode.Parse(Departures.Batch(Departures.Data(employeeId: "E-HOSTILE", email: "hostile@example.net")))!.AsObject()
            : JsonNode.Parse(Departures.Body(employeeId: "E-HOSTILE", email: "hostile@example.net"))!.AsObject();
        JsonObject Row(JsonObject body) => batch ? body["data"]![0]!.AsObject() : body["data"]!.AsObject();

        Func<HostileContext, Task<Reply>> Signed(byte[] body, string? contentType = "application/json", Action<List<(string, string)>, byte[]>? tamper = null) => c =>
        {
            var id = "msg_" + Guid.NewGuid().ToString("N");
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            var headers = new List<(string, string)>
            {
                ("webhook-id", id),
                ("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
                ("webhook-signature", StandardWebhookVerifier.Sign(TestApp.WebhookSecret, id, timestamp, body)),
            };
            tamper?.Invoke(headers, body);
            return c.SendAsync(HttpMethod.Post, endpoint.Route, HostileContext.Body(body, contentType), headers);
        };

        HostileCase Body(string what, byte[] body, int status = 400, IReadOnlyList<string>? names = null) => Case(endpoint, $"body {what}", status, Answer.Problem, Signed(body), names);
        HostileCase Json(string what, Action<JsonObject> change, IReadOnlyList<string>? names = null)
        {
            var body = Valid();
            change(body);
            return Body(what, Encoding.UTF8.GetBytes(body.ToJsonString()), names: names);
        }

        HostileCase Text(string what, string json, IReadOnlyList<string>? names = null) => Body(what, Encoding.UTF8.GetBytes(json), names: names);

        // A row's field is named as the batch names it (rows[1] its first row), problems of the JSON itself included.
        string[] RowField(string field) => [batch ? $"rows[1].{field}" : $"data.{field}"];

        foreach (var (what, body) in MalformedBodies())
        {
            yield return Body(what, body);
        }

        foreach (var root in new[] { "[]", "\"text\"", "42", "null", "true", "[" + Departures.Body() + "]" })
        {
            yield return Text($"root {root[..Math.Min(root.Length, 12)]}", root);
        }

        yield return Json("without data", b => b.Remove("data"));
        yield return batch
            ? Json("data as object", b => b["data"] = Row(b).DeepClone())
            : Json("data as array", b => b["data"] = new JsonArray());
        yield return Json("data as string", b => b["data"] = "x");
        yield return Json("without type", b => b.Remove("type"));
        yield return Json("type as number", b => b["type"] = 1);
        yield return Json("without timestamp", b => b.Remove("timestamp"));
        yield return Json("timestamp null", b => b["timestamp"] = null);
        yield return Json("timestamp not a date", b => b["timestamp"] = "yesterday");
        yield return Json("timestamp as number", b => b["timestamp"] = 1700000000);
        yield return Json("timestamp in year 9999", b => b["timestamp"] = "9999-12-31T00:00:00Z");

        // HR's clock ahead of ours, or a typo in the year: taken, it would order every later message as older (ADR 0040).
        yield return Json("timestamp a day ahead", b => b["timestamp"] = TimeProvider.System.GetUtcNow().AddDays(1).ToString("O", CultureInfo.InvariantCulture), ["timestamp"]);
        yield return Json("timestamp in year 2062", b => b["timestamp"] = "2062-11-30T09:00:00Z", ["timestamp"]);

        if (!batch)
        {
            // A withdrawal (ADR 0041) is read by the same envelope rules: its time and employee id are required.
            HostileCase Withdrawal(string what, Action<JsonObject> change)
            {
                var body = JsonNode.Parse(Departures.Withdrawal(employeeId: "E-HOSTILE"))!.AsObject();
                change(body);
                return Body($"withdrawal {what}", Encoding.UTF8.GetBytes(body.ToJsonString()));
            }

            yield return Withdrawal("without timestamp", b => b.Remove("timestamp"));
            yield return Withdrawal("timestamp null", b => b["timestamp"] = null);
            yield return Withdrawal("timestamp not a date", b => b["timestamp"] = "yesterday");
            yield return Withdrawal("timestamp in year 2062", b => b["timestamp"] = "2062-11-30T09:00:00Z");
            yield return Withdrawal("without data", b => b.Remove("data"));
            yield return Withdrawal("data.employeeId missing", b => b["data"]!.AsObject().Remove("employeeId"));
            yield return Withdrawal("data.employeeId null", b => b["data"]!["employeeId"] = null);
            yield return Withdrawal("data.employeeId empty", b => b["data"]!["employeeId"] = "");
            yield return Withdrawal("data.employeeId number", b => b["data"]!["employeeId"] = 7);
            yield return Withdrawal("data.employeeId E/1", b => b["data"]!["employeeId"] = "E/1");
        }

        var required = new Dictionary<string, int> { ["employeeId"] = 64, ["givenName"] = 100, ["familyName"] = 100, ["personalEmail"] = 254, ["lastWorkingDay"] = 10, ["reason"] = 32 };
        var optional = new Dictionary<string, int> { ["department"] = 200, ["jobTitle"] = 200, ["hireDate"] = 10, ["locale"] = 16 };
        foreach (var (field, max) in required)
        {
            yield return Json($"data.{field} missing", b => Row(b).Remove(field));
            yield return Json($"data.{field} null", b => Row(b)[field] = null);
        }

        foreach (var (field, max) in required.Concat(optional))
        {
            yield return Json($"data.{field} number", b => Row(b)[field] = 7);
            yield return Json($"data.{field} object", b => Row(b)[field] = new JsonObject());
            yield return Json($"data.{field} empty", b => Row(b)[field] = "");
            yield return Json($"data.{field} blank", b => Row(b)[field] = " \u3000 ");
            yield return Json($"data.{field} too long", b => Row(b)[field] = new string('x', max + 1));
            yield return Json($"data.{field} control character", b => Row(b)[field] = "a\u0007b");
            yield return Text($"data.{field} lone surrogate", Valid().ToJsonString().Replace($"\"{field}\":\"", $"\"{field}\":\"\\ud800", StringComparison.Ordinal), RowField(field));
            yield return Text($"data.{field} duplicate key", Valid().ToJsonString().Replace($"\"{field}\":", $"\"{field}\":\"x\",\"{field}\":", StringComparison.Ordinal), RowField(field));
            yield return Body($"data.{field} invalid UTF-8", InvalidUtf8In(Valid().ToJsonString().Replace($"\"{field}\":\"", $"\"{field}\":\"@@", StringComparison.Ordinal), "@@"));
        }

        foreach (var id in new[] { "E 1", "E/1", "../x", "E1;drop", "E１" })
        {
            yield return Json($"data.employeeId {id}", b => Row(b)["employeeId"] = id);
        }

        foreach (var email in new[] { "not-an-email", "a@", "@example.net", "a@b@example.net", "a b@example.net" })
        {
            yield return Json($"data.personalEmail {email}", b => Row(b)["personalEmail"] = email);
        }

        // A work address at the company's mail domains (the sender's, example.com, in the tests) would receive the bearer join link.
        foreach (var email in new[] { "hostile@example.com", "hostile@hr.example.com" })
        {
            yield return Json($"data.personalEmail {email}", b => Row(b)["personalEmail"] = email);
        }

        foreach (var day in new[] { "2026-02-30", "2026-13-01", "30/11/2026", "2026-11-30T00:00:00Z", "9999-12-31", "9999-12-30", "0001-01-01", "1899-12-31", "2200-01-01" })
        {
            yield return Json($"data.lastWorkingDay {day}", b => Row(b)["lastWorkingDay"] = day);
        }

        yield return Json("data.hireDate after lastWorkingDay", b => Row(b)["hireDate"] = "2027-01-01");
        yield return Json("data.hireDate 0001-01-01", b => Row(b)["hireDate"] = "0001-01-01");
        foreach (var reason in new[] { "fired", "0", "Voluntary", "VOLUNTARY" })
        {
            yield return Json($"data.reason {reason}", b => Row(b)["reason"] = reason);
        }

        yield return Json("data.reason as number", b => Row(b)["reason"] = 0);
        foreach (var locale in new[] { "fr-FR", "ja", "JA-JP", "1" })
        {
            yield return Json($"data.locale {locale}", b => Row(b)["locale"] = locale);
        }

        // employee.hired: its own fields, the same refusals.
        static JsonObject Hire() => new() { ["type"] = "employee.hired", ["data"] = new JsonObject { ["employeeId"] = "E-HOSTILE", ["hireDate"] = "2027-04-01", ["personalEmail"] = "hostile@example.net" } };
        HostileCase HireJson(string what, Action<JsonObject> change)
        {
            var body = Hire();
            change(body);
            return Body($"employee.hired {what}", Encoding.UTF8.GetBytes(body.ToJsonString()));
        }

        yield return HireJson("without data", b => b.Remove("data"));
        yield return HireJson("data as array", b => b["data"] = new JsonArray());
        foreach (var (field, value) in new (string, JsonNode?)[]
        {
            ("employeeId", null), ("employeeId", 7), ("employeeId", ""), ("employeeId", "E 1"), ("employeeId", new string('x', 65)), ("employeeId", "a\u0007b"),
            ("hireDate", null), ("hireDate", "2027-02-30"), ("hireDate", "01/04/2027"), ("hireDate", "9999-12-31"), ("hireDate", 20270401), ("hireDate", "2027-04-01T00:00:00Z"),
            ("personalEmail", "not-an-email"), ("personalEmail", 7), ("personalEmail", ""), ("personalEmail", new string('x', 250) + "@example.net"),
        })
        {
            yield return HireJson($"data.{field} {value?.ToJsonString() ?? "missing"}", b =>
            {
                if (value is null)
                {
                    b["data"]!.AsObject().Remove(field);
                }
                else
                {
                    b["data"]![field] = value;
                }
            });
        }

        yield return HireJson("timestamp in year 2062", b => b["timestamp"] = "2062-11-30T09:00:00Z");
        yield return Text("employee.hired data.hireDate duplicate key", Hire().ToJsonString().Replace("\"hireDate\":", "\"hireDate\":\"2027-01-01\",\"hireDate\":", StringComparison.Ordinal));

        yield return Json("data.rehireEligible as string", b => Row(b)["rehireEligible"] = "true");
        yield return Json("data.rehireEligible as number", b => Row(b)["rehireEligible"] = 1);
        if (batch)
        {
            // The batch's own rules: its type, its rows as a whole.
            yield return Json("type of a single departure", b => b["type"] = "employee.departed");
            yield return Json("type employee.hired", b => b["type"] = "employee.hired");
            yield return Json("type in capitals", b => b["type"] = "EMPLOYEE.DEPARTED.BATCH");
            yield return Json("data with a row not an object", b => b["data"]!.AsArray().Add("E-2"));
            yield return Json("data with a null row", b => b["data"]!.AsArray().Add(null));
            yield return Json("data with the employee twice", b => b["data"]!.AsArray().Add(Row(b).DeepClone()));
            yield return Json("data with a bad second row", b => b["data"]!.AsArray().Add(Departures.Data(employeeId: "E-HOSTILE-2", email: "hostile2@example.com")));
            yield return Json("data over HrisImport:MaxRows", b => b["data"] = new JsonArray([.. Enumerable.Range(0, 2_001)
                .Select(i => (JsonNode)Departures.Data(employeeId: $"E-HOSTILE-{i}", email: $"hostile{i}@example.net"))]));
            yield return Body("over 2 MiB", Encoding.UTF8.GetBytes(Valid().ToJsonString().Replace("Analyst", new string('x', HrisDepartureBatch.HrisDepartureBatchFunction.MaxBodyBytes), StringComparison.Ordinal)), status: 413);
        }
        else
        {
            yield return Body("over 64 KiB", Encoding.UTF8.GetBytes(Valid().ToJsonString().Replace("Analyst", new string('x', 70_000), StringComparison.Ordinal)), status: 413);
        }

        var valid = Encoding.UTF8.GetBytes(Valid().ToJsonString());
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded" })
        {
            yield return Case(endpoint, $"content type {type}", 415, Answer.Problem, Signed(valid, type));
        }

        yield return Case(endpoint, "no content type", 415, Answer.Problem, Signed(valid, contentType: null));

        foreach (var (what, tamper) in new (string, Action<List<(string Name, string Value)>, byte[]>)[]
        {
            ("no signature headers", (h, _) => h.Clear()),
            ("no webhook-id", (h, _) => h.RemoveAll(x => x.Name == "webhook-id")),
            ("no webhook-timestamp", (h, _) => h.RemoveAll(x => x.Name == "webhook-timestamp")),
            ("no webhook-signature", (h, _) => h.RemoveAll(x => x.Name == "webhook-signature")),
            ("signature with another secret", (h, b) => Replace(h, "webhook-signature", StandardWebhookVerifier.Sign("whsec_" + Convert.ToBase64String(new byte[32]), Get(h, "webhook-id"), long.Parse(Get(h, "webhook-timestamp"), CultureInfo.InvariantCulture), b))),
            ("signature of another body", (h, _) => Replace(h, "webhook-signature", StandardWebhookVerifier.Sign(TestApp.WebhookSecret, Get(h, "webhook-id"), long.Parse(Get(h, "webhook-timestamp"), CultureInfo.InvariantCulture), "{}"u8))),
            ("signature of another id", (h, _) => Replace(h, "webhook-id", "msg_other")),
            ("signature not base64", (h, _) => Replace(h, "webhook-signature", "v1,!!!not-base64!!!")),
            ("signature version v2", (h, _) => Replace(h, "webhook-signature", Get(h, "webhook-signature").Replace("v1,", "v2,", StringComparison.Ordinal))),
            ("signature empty", (h, _) => Replace(h, "webhook-signature", "v1,")),
            ("timestamp six minutes old", (h, b) => Resign(h, b, TimeProvider.System.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))),
            ("timestamp six minutes ahead", (h, b) => Resign(h, b, TimeProvider.System.GetUtcNow().AddMinutes(6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))),
            ("timestamp not a number", (h, b) => Resign(h, b, "now")),
            ("timestamp negative", (h, b) => Resign(h, b, "-1")),
            ("timestamp too large", (h, b) => Resign(h, b, "99999999999999999999")),
            ("timestamp in milliseconds", (h, b) => Resign(h, b, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))),
        })
        {
            yield return Case(endpoint, $"header {what}", 401, Answer.Problem, Signed(valid, tamper: tamper));
        }

        yield return Case(endpoint, "body framing broken (chunked)", 400, Answer.Problem,
            c => c.RawAsync("POST", endpoint.Route, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")], "5\r\n{\"a\":\r\nzz\r\n"u8.ToArray()));
    }

    private static string Get(List<(string Name, string Value)> headers, string name) => headers.Single(h => h.Name == name).Value;

    private static void Replace(List<(string Name, string Value)> headers, string name, string value)
    {
        headers.RemoveAll(h => h.Name == name);
        headers.Add((name, value));
    }

    /// <summary>A timestamp the signature covers: the signature is right, only the time is refused.</summary>
    private static void Resign(List<(string Name, string Value)> headers, byte[] body, string timestamp)
    {
        var id = Get(headers, "webhook-id");
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var key = Convert.FromBase64String(TestApp.WebhookSecret["whsec_".Length..]);
        Replace(headers, "webhook-timestamp", timestamp);
        Replace(headers, "webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. prefix, .. body])));
    }

    private static IEnumerable<HostileCase> SendGrid(Endpoint endpoint)
    {
        static JsonObject Event() => SendGridEventPosts.Event("bounce", email: "hostile@example.net", eventId: "sg_hostile");

        Func<HostileContext, Task<Reply>> Signed(byte[] body, string? contentType = "application/json", Func<byte[], (string Signature, string Timestamp)>? signature = null) => c =>
        {
            using var key = SendGridEventPosts.DevelopmentKey();
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var (signed, at) = signature?.Invoke(body) ?? (SendGridEventSignature.Sign(key, timestamp, body), timestamp);
            return c.SendAsync(HttpMethod.Post, endpoint.Route, HostileContext.Body(body, contentType),
                [(SendGridEventsFunction.SignatureHeader, signed), (SendGridEventsFunction.TimestampHeader, at)]);
        };

        HostileCase Body(string what, byte[] body, int status = 400) => Case(endpoint, $"body {what}", status, Answer.Problem, Signed(body));
        HostileCase Text(string what, string json) => Body(what, Encoding.UTF8.GetBytes(json));
        HostileCase Json(string what, Action<JsonObject> change)
        {
            var e = Event();
            change(e);
            return Text(what, new JsonArray(e).ToJsonString());
        }

        foreach (var (what, body) in MalformedBodies())
        {
            yield return Body(what, body);
        }

        foreach (var root in new[] { "{}", "\"text\"", "1", "null", "[1]", "[[]]", "[null]", "[\"bounce\"]" })
        {
            yield return Text($"root {root}", root);
        }

        var fields = new Dictionary<string, bool> { ["event"] = true, ["email"] = true, ["sg_event_id"] = true, ["alumnusId"] = false, ["campaign"] = false };
        foreach (var (field, required) in fields)
        {
            if (required)
            {
                yield return Json($"{field} missing", e => e.Remove(field));
                yield return Json($"{field} null", e => e[field] = null);
            }

            yield return Json($"{field} number", e => e[field] = 7);
            yield return Json($"{field} empty", e => e[field] = "");
            yield return Json($"{field} too long", e => e[field] = new string('x', 300));
            yield return Json($"{field} control character", e => e[field] = "a\u0001b");
            yield return Text($"{field} lone surrogate", RawEvent(field, "\"\\udc00\""));
            yield return Text($"{field} duplicate key", RawEvent(field, "\"x\"", twice: true));
            yield return Body($"{field} invalid UTF-8", InvalidUtf8In(RawEvent(field, "\"@@\""), "@@"));
        }

        foreach (var (what, value) in new (string, JsonNode?)[]
        {
            ("missing", null), ("string", "1700000000"), ("negative", -1), ("fraction", 1700000000.5), ("year 9999", 253402300799L), ("year 2200", 7258118400L), ("beyond int64", JsonNode.Parse("1e20")),
        })
        {
            yield return Json($"timestamp {what}", e =>
            {
                e.Remove("timestamp");
                if (value is not null)
                {
                    e["timestamp"] = value;
                }
            });
        }

        yield return Json("email not an address", e => e["email"] = "not-an-email");
        yield return Json("alumnusId not hex", e => e["alumnusId"] = new string('z', 32));
        yield return Json("alumnusId upper-case", e => e["alumnusId"] = new string('A', 32));
        yield return Json("category number", e => e["category"] = 1);
        yield return Json("category array of numbers", e => e["category"] = new JsonArray(1, 2));
        yield return Json("category object", e => e["category"] = new JsonObject());
        yield return Text("one good event and one bad", new JsonArray(Event(), new JsonObject { ["event"] = "bounce" }).ToJsonString());
        yield return Body("over 1 MiB", Encoding.UTF8.GetBytes(new JsonArray(Event()).ToJsonString().Replace("hostile@", new string('x', 1_100_000) + "@", StringComparison.Ordinal)), status: 413);

        var valid = Encoding.UTF8.GetBytes(new JsonArray(Event()).ToJsonString());
        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded" })
        {
            yield return Case(endpoint, $"content type {type}", 415, Answer.Problem, Signed(valid, type));
        }

        yield return Case(endpoint, "no content type", 415, Answer.Problem, Signed(valid, contentType: null));

        string Now(int minutes = 0) => TimeProvider.System.GetUtcNow().AddMinutes(minutes).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string SignWith(ECDsa key, string timestamp, byte[] body) => SendGridEventSignature.Sign(key, timestamp, body);
        using var development = SendGridEventPosts.DevelopmentKey();
        var developmentKey = development.ExportPkcs8PrivateKey();
        ECDsa Dev()
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(developmentKey, out _);
            return key;
        }

        foreach (var (what, signature) in new (string, Func<byte[], (string, string)>)[]
        {
            ("no signature", _ => ("", Now())),
            ("no timestamp", b => (SignWith(Dev(), Now(), b), "")),
            ("signature with another key", b => (SignWith(ECDsa.Create(ECCurve.NamedCurves.nistP256), Now(), b), Now())),
            ("signature of another body", _ => (SignWith(Dev(), Now(), "[]"u8.ToArray()), Now())),
            ("signature of another timestamp", b => (SignWith(Dev(), Now(-1), b), Now())),
            ("signature not base64", _ => ("!!!", Now())),
            ("signature truncated", b => (SignWith(Dev(), Now(), b)[..20], Now())),
            ("timestamp six minutes old", b => (SignWith(Dev(), Now(-6), b), Now(-6))),
            ("timestamp six minutes ahead", b => (SignWith(Dev(), Now(6), b), Now(6))),
            ("timestamp not a number", b => (SignWith(Dev(), "now", b), "now")),
        })
        {
            yield return Case(endpoint, $"header {what}", 401, Answer.Problem, Signed(valid, signature: signature));
        }

        yield return Case(endpoint, "body framing broken (chunked)", 400, Answer.Problem,
            c => c.RawAsync("POST", endpoint.Route, [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")], "5\r\n[{\"a\"\r\nzz\r\n"u8.ToArray()));
    }

    /// <summary>A one-event batch written by hand, with <paramref name="field"/> set to the raw JSON <paramref name="value"/> (once, or twice).</summary>
    private static string RawEvent(string field, string value, bool twice = false)
    {
        var members = new Dictionary<string, string>
        {
            ["event"] = "\"bounce\"", ["email"] = "\"a@example.net\"", ["sg_event_id"] = "\"s1\"", ["timestamp"] = "1700000000",
        };
        members[field] = value;
        var text = string.Join(",", members.Select(m => $"\"{m.Key}\":{m.Value}"));
        return $"[{{{text}{(twice ? $",\"{field}\":{value}" : "")}}}]";
    }

    // Alumni pages: links that give no access, forms that are not same-origin forms, values that are not allowed.

    /// <returns>
    /// Each bad token with the status its page answers. <c>BreaksForm</c>: in a posted form the token makes the form
    /// itself unreadable (a NUL), so the form is refused as malformed (400 problem) before any page is rendered.
    /// </returns>
    private static IEnumerable<(string What, int Status, Func<HostileContext, string?> Token, bool BreaksForm)> BadTokens(LinkPurpose purpose) =>
        TokenFaults(purpose).Select(t => (t.What, t.Status, t.Token, t.What.Contains("NUL", StringComparison.Ordinal)));

    private static IEnumerable<(string What, int Status, Func<HostileContext, string?> Token)> TokenFaults(LinkPurpose purpose)
    {
        var other = purpose == LinkPurpose.Join ? LinkPurpose.Preferences : LinkPurpose.Join;
        yield return ("no token", 400, _ => null);
        yield return ("empty token", 400, _ => "");
        yield return ("garbage token", 400, _ => "garbage");
        yield return ("token of two parts", 400, _ => "a.b");
        yield return ("token of three garbage parts", 400, _ => "a.b.c");
        yield return ("token of four parts", 400, c => c.LinkToken(purpose) + ".x");
        yield return ("token with a changed signature", 400, c => Flip(c.LinkToken(purpose), ^2));
        yield return ("token with a changed payload", 400, c => Flip(c.LinkToken(purpose), 8));
        yield return ("token for another purpose", 400, c => c.LinkToken(other));
        yield return ("token with an unknown key id", 400, c => "old" + c.LinkToken(purpose)[c.LinkToken(purpose).IndexOf('.', StringComparison.Ordinal)..]);
        yield return ("expired token", 410, c => c.LinkToken(purpose, issuedAt: TimeProvider.System.GetUtcNow().AddDays(-500)));
        if (purpose != LinkPurpose.Erase)
        {
            // Erasing what is no longer held is confirmed (200), as a second erasure is: not a refusal.
            yield return ("token for nobody held", 410, c => c.LinkToken(purpose, id: Core.Alumni.AlumnusId.New()));
        }

        yield return ("token of 4 KiB", 400, _ => new string('a', 4096));
        yield return ("token with a NUL", 400, c => c.LinkToken(purpose) + "\0");
        yield return ("token with non-ASCII", 400, c => c.LinkToken(purpose) + "あ");
    }

    private static string Flip(string token, Index at)
    {
        var chars = token.ToCharArray();
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static IEnumerable<HostileCase> AlumniPage(Endpoint endpoint, AlumniPageEndpoint page)
    {
        string Query(string? token, string extra = "") => endpoint.Route + (token is null ? "?" : $"?token={Uri.EscapeDataString(token)}") + extra;

        // A page that only shows (GET) has no POST to attack: its wrong-method cases cover POST.
        var posts = endpoint.Methods.Contains("POST");
        foreach (var (what, status, token, breaksForm) in BadTokens(page.Purpose))
        {
            yield return Case(endpoint, $"GET {what}", status, Answer.Page, c => c.SendAsync(HttpMethod.Get, Query(token(c))));
            if (!posts)
            {
                continue;
            }

            yield return page.FormPost
                ? Case(endpoint, $"POST {what}", breaksForm ? 400 : status, breaksForm ? Answer.Problem : Answer.Page, c => c.SendAsync(HttpMethod.Post, endpoint.Route,
                    HostileContext.Form(string.Join('&', new[] { token(c) is { } t ? $"token={Uri.EscapeDataString(t)}" : "", page.FormFields }.Where(f => f.Length > 0)))))
                : Case(endpoint, $"POST {what}", status, Answer.Page, c => c.SendAsync(HttpMethod.Post, Query(token(c))));
        }

        yield return Case(endpoint, "GET token given twice", 400, Answer.Page, c => c.SendAsync(HttpMethod.Get, Query(c.LinkToken(page.Purpose), $"&token={Uri.EscapeDataString(c.LinkToken(page.Purpose))}")));
        yield return Case(endpoint, "GET token of invalid UTF-8", 400, Answer.Page, c => c.SendAsync(HttpMethod.Get, endpoint.Route + "?token=%FF%FE%ED%A0%80"));

        foreach (var field in page.BadFields)
        {
            yield return field.InQuery
                ? Case(endpoint, $"GET {field.Name}={field.Value[..Math.Min(field.Value.Length, 24)]}", field.Status, field.Answer,
                    c => c.SendAsync(HttpMethod.Get, Query(c.LinkToken(page.Purpose), "&" + field.Pair)))
                : page.FormPost
                    ? Case(endpoint, $"POST {field.Name}={field.Value[..Math.Min(field.Value.Length, 24)]}", field.Status, field.Answer,
                        c => c.SendAsync(HttpMethod.Post, endpoint.Route, HostileContext.Form($"token={Uri.EscapeDataString(c.LinkToken(page.Purpose))}&{field.Pair}")))
                    : Case(endpoint, $"POST {field.Name}={field.Value[..Math.Min(field.Value.Length, 24)]}", field.Status, field.Answer,
                        c => c.SendAsync(HttpMethod.Post, Query(c.LinkToken(page.Purpose), "&" + field.Pair)));
        }

        if (!page.FormPost)
        {
            yield break;
        }

        Func<HostileContext, Task<Reply>> Post(Func<HostileContext, HttpContent> content, params (string, string)[] headers) =>
            c => c.SendAsync(HttpMethod.Post, endpoint.Route, content(c), headers);
        string ValidForm(HostileContext c) => $"token={Uri.EscapeDataString(c.LinkToken(page.Purpose))}" + (page.FormFields.Length > 0 ? "&" + page.FormFields : "");

        yield return Case(endpoint, "POST token given twice", 400, Answer.Problem, Post(c => HostileContext.Form($"{ValidForm(c)}&{ValidForm(c)}")));
        yield return Case(endpoint, "POST a field given twice", 400, Answer.Problem, Post(c => HostileContext.Form($"{ValidForm(c)}&CurrentEmployer=A&CurrentEmployer=B")));
        yield return Case(endpoint, "POST from another site (Sec-Fetch-Site)", 403, Answer.Page, Post(c => HostileContext.Form(ValidForm(c)), ("Sec-Fetch-Site", "cross-site")));
        yield return Case(endpoint, "POST from a same-site subdomain (Sec-Fetch-Site)", 403, Answer.Page, Post(c => HostileContext.Form(ValidForm(c)), ("Sec-Fetch-Site", "same-site")));
        yield return Case(endpoint, "POST with a foreign Origin", 403, Answer.Page, Post(c => HostileContext.Form(ValidForm(c)), ("Origin", "https://attacker.example")));
        yield return Case(endpoint, "POST with a null Origin", 403, Answer.Page, Post(c => HostileContext.Form(ValidForm(c)), ("Origin", "null")));
        yield return Case(endpoint, "POST as JSON", 415, Answer.Problem, Post(c => HostileContext.Body(Encoding.UTF8.GetBytes($"{{\"token\":\"{c.LinkToken(page.Purpose)}\"}}"), "application/json")));
        yield return Case(endpoint, "POST as multipart", 415, Answer.Problem, Post(c => new MultipartFormDataContent { { new StringContent(c.LinkToken(page.Purpose)), "token" } }));
        yield return Case(endpoint, "POST without a content type", 415, Answer.Problem, Post(c => HostileContext.Body(Encoding.UTF8.GetBytes(ValidForm(c)), null)));
        yield return Case(endpoint, "POST form over 64 KiB", 413, Answer.Problem, Post(c => HostileContext.Form(ValidForm(c) + "&CareerSinceLeaving=" + new string('x', 70_000))));
        // Chunked: no Content-Length to refuse up front, so only the server's count of the body as it arrives stops it.
        yield return Case(endpoint, "POST chunked form with one value over 64 KiB", 413, Answer.Problem,
            c => c.RawAsync("POST", endpoint.Route, ChunkedForm, Chunked(ValidForm(c) + "&CareerSinceLeaving=" + new string('x', 70_000))));
        yield return Case(endpoint, "POST chunked form of small values over 64 KiB", 413, Answer.Problem,
            c => c.RawAsync("POST", endpoint.Route, ChunkedForm, Chunked(ValidForm(c) + string.Concat(Enumerable.Range(0, 20).Select(i => $"&f{i}={new string('x', 4000)}")))));
        yield return Case(endpoint, "POST form with 200 fields", 400, Answer.Problem, Post(c => HostileContext.Form(ValidForm(c) + string.Concat(Enumerable.Range(0, 200).Select(i => $"&f{i}=x")))));
        yield return Case(endpoint, "POST form with a 300-character key", 400, Answer.Problem, Post(c => HostileContext.Form(ValidForm(c) + $"&{new string('k', 300)}=x")));
        yield return Case(endpoint, "POST body framing broken (chunked)", 400, Answer.Problem,
            c => c.RawAsync("POST", endpoint.Route, [("Content-Type", "application/x-www-form-urlencoded"), ("Transfer-Encoding", "chunked")], "5\r\ntoken\r\nzz\r\n"u8.ToArray()));
    }

    private static readonly (string, string)[] ChunkedForm = [("Content-Type", "application/x-www-form-urlencoded"), ("Transfer-Encoding", "chunked")];

    /// <summary>A form sent with chunked framing, in chunks of 8 KiB, and so with no Content-Length.</summary>
    public static byte[] Chunked(string form)
    {
        var body = Encoding.UTF8.GetBytes(form);
        using var framed = new MemoryStream();
        foreach (var chunk in body.Chunk(8 * 1024))
        {
            framed.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            framed.Write(chunk);
            framed.Write("\r\n"u8);
        }

        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }

    // Admin endpoints: tokens that are not an admin's, query strings and bodies that are not allowed.

    private static IEnumerable<HostileCase> Admin(Endpoint endpoint, AdminEndpoint admin)
    {
        var method = new HttpMethod(endpoint.Methods[0]);
        string Path(HostileContext c) => c.PathTo(endpoint, admin.Target);
        HttpContent? FlagsBody(HostileContext c) => admin.JsonBody ? HostileContext.Body(c.Bind(admin.ValidBody), "application/json") : null;

        Func<HostileContext, Task<Reply>> With(Func<HostileContext, string?> authorization) =>
            c => c.SendAsync(method, Path(c), FlagsBody(c), authorization(c) is { } value ? [("Authorization", value)] : []);

        foreach (var (what, status, authorization) in new (string, int, Func<HostileContext, string?>)[]
        {
            ("no token", 401, _ => null),
            ("empty bearer", 401, _ => "Bearer "),
            ("garbage bearer", 401, _ => "Bearer garbage"),
            ("basic credentials", 401, _ => "Basic " + Convert.ToBase64String("admin:admin"u8)),
            ("token with another key", 401, c => "Bearer " + c.AdminToken(signingKey: RandomNumberGenerator.GetBytes(32))),
            ("unsigned token (alg none)", 401, c => "Bearer " + c.AdminToken(withoutSignature: true)),
            ("expired token", 401, c => "Bearer " + c.AdminToken(d => (d.IssuedAt, d.NotBefore, d.Expires) = (d.IssuedAt!.Value.AddHours(-10), d.NotBefore!.Value.AddHours(-10), d.Expires!.Value.AddHours(-10)))),
            ("token not yet valid", 401, c => "Bearer " + c.AdminToken(d => (d.NotBefore, d.Expires) = (d.NotBefore!.Value.AddHours(2), d.Expires!.Value.AddHours(2)))),
            ("token for another audience", 401, c => "Bearer " + c.AdminToken(d => d.Audience = "api://someone-else")),
            ("token from another issuer", 401, c => "Bearer " + c.AdminToken(d => d.Issuer = "https://attacker.example")),
            ("token without the admin role", 403, c => "Bearer " + c.AdminToken(claims: [new Claim("sub", "reader")])),
            ("token with another role", 403, c => "Bearer " + c.AdminToken(claims: [new Claim("sub", "reader"), new Claim("roles", "Alumni.Reader")])),
            ("admin token without a subject", 403, c => "Bearer " + c.AdminToken(claims: [new Claim("roles", "Alumni.Admin")])),
        })
        {
            yield return Case(endpoint, $"auth {what}", status, Answer.Problem, With(authorization));
        }

        // The problem names one of the endpoint's parameters: the bad one, or the one it needs beside it (value needs by).
        string[] parameters = [.. admin.BadQueries.SelectMany(q => q.Split('&')).Select(p => Uri.UnescapeDataString(p.Split('=')[0])).Distinct()];
        foreach (var query in admin.BadQueries)
        {
            yield return Case(endpoint, $"query {query[..Math.Min(query.Length, 40)]}", 400, Answer.Problem,
                c => c.SendAsync(method, $"{Path(c)}?{query}", null, [("Authorization", "Bearer " + c.AdminToken())]), parameters);
        }

        if (endpoint.Route.Contains('{', StringComparison.Ordinal))
        {
            // An id of the wrong shape names nothing (404), or is refused as a bad id (400): either changes nothing.
            foreach (var (what, id, statuses) in new (string, string, int[])[]
            {
                ("unknown id", new string('0', 32), [404]), ("id not hex", new string('z', 32), [404, 400]),
                ("id in upper case", new string('A', 32), [404, 400]), ("id of 31 characters", new string('a', 31), [404, 400]),
            })
            {
                yield return new HostileCase($"{endpoint.Name}: path {what}", endpoint.Name, statuses, Answer.Problem,
                    c => c.SendAsync(method, endpoint.Path(id), FlagsBody(c), [("Authorization", "Bearer " + c.AdminToken())]));
            }
        }

        if (admin.IfMatch)
        {
            // A valid body and token: the header is the only fault. Tick 1 is a version, but never the record's (stale: 412).
            foreach (var (what, value, status) in new (string, string, int)[]
            {
                ("unquoted", "638000000000000000", 400), ("several tags", "\"1\", \"2\"", 400), ("weak tag", "W/\"638000000000000000\"", 400),
                ("not a version", "\"abc\"", 400), ("empty tag", "\"\"", 400), ("star among tags", "*, \"1\"", 400), ("stale version", "\"1\"", 412),
            })
            {
                yield return Case(endpoint, $"If-Match {what}", status, Answer.Problem,
                    c => c.SendAsync(method, Path(c), FlagsBody(c), [("Authorization", "Bearer " + c.AdminToken()), ("If-Match", value)]),
                    status == 400 ? ["If-Match"] : null);
            }
        }

        if (admin.IdempotencyKey)
        {
            // A valid body and token: the key is the only fault.
            foreach (var (what, value) in new[]
            {
                ("empty", ""), ("101 characters", new string('k', 101)), ("a space", "two words"), ("a slash", "a/b"), ("markup", "<b>x</b>"),
                ("several", "a, b"),
            })
            {
                yield return Case(endpoint, $"Idempotency-Key {what}", 400, Answer.Problem,
                    c => c.SendAsync(method, Path(c), FlagsBody(c), [("Authorization", "Bearer " + c.AdminToken()), ("Idempotency-Key", value)]), ["Idempotency-Key"]);
            }
        }

        if (!admin.JsonBody)
        {
            yield break;
        }

        Func<HostileContext, Task<Reply>> Patch(byte[] body, string? contentType = "application/json") =>
            c => c.SendAsync(method, Path(c), HostileContext.Body(body, contentType), [("Authorization", "Bearer " + c.AdminToken())]);

        foreach (var (what, body) in MalformedBodies())
        {
            yield return Case(endpoint, $"body {what}", 400, Answer.Problem, Patch(body));
        }

        // The endpoint's own rules, reached: everything else in the body is valid and the path names a real record.
        foreach (var bad in admin.BadBodies ?? [])
        {
            var body = JsonNode.Parse(admin.ValidBody)!.AsObject();
            bad.Break(body);
            var json = body.ToJsonString();
            yield return Case(endpoint, $"body {bad.What}", bad.Status, Answer.Problem,
                c => c.SendAsync(method, bad.Target is { } target ? c.PathTo(endpoint, target) : Path(c), HostileContext.Body(c.Bind(json), "application/json"),
                    [("Authorization", "Bearer " + c.AdminToken())]), [bad.Field]);
        }

        foreach (var (what, json) in new[]
        {
            ("array", "[]"), ("string", "\"x\""), ("null", "null"), ("unknown field", """{"salary":1}"""), ("odd field name", """{"<b>":1}"""),
            ("doNotContact null", """{"doNotContact":null}"""), ("doNotContact string", """{"doNotContact":"true"}"""), ("doNotContact number", """{"doNotContact":1}"""),
            ("rehireEligible string", """{"rehireEligible":"no"}"""), ("rehireEligible object", """{"rehireEligible":{}}"""),
            ("duplicate key", """{"doNotContact":true,"doNotContact":false}"""), ("duplicate key escaped", """{"doNotContact":true,"\u0064oNotContact":false}"""),
            ("lone surrogate key", """{"doNotContact":true,"\ud800":1}"""), ("lone surrogate value", """{"doNotContact":true,"x":"\udfff"}"""),
        })
        {
            yield return Case(endpoint, $"body {what}", 400, Answer.Problem, Patch(Encoding.UTF8.GetBytes(json)));
        }

        yield return Case(endpoint, "body invalid UTF-8", 400, Answer.Problem, Patch(InvalidUtf8In("""{"doNotContact":true,"note":"@@"}""", "@@")));
        yield return Case(endpoint, $"body over {admin.MaxBodyBytes} bytes", 413, Answer.Problem,
            Patch(Encoding.UTF8.GetBytes($"{{\"doNotContact\":true,\"pad\":\"{new string('x', admin.MaxBodyBytes)}\"}}")));
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+xml" })
        {
            yield return Case(endpoint, $"content type {type}", 415, Answer.Problem, Patch("""{"doNotContact":true}"""u8.ToArray(), type));
        }

        yield return Case(endpoint, "no content type", 415, Answer.Problem, Patch("""{"doNotContact":true}"""u8.ToArray(), contentType: null));
        yield return Case(endpoint, "body framing broken (chunked)", 400, Answer.Problem,
            c => c.RawAsync(endpoint.Methods[0], Path(c), [("Content-Type", "application/json"), ("Authorization", "Bearer " + c.AdminToken()), ("Transfer-Encoding", "chunked")], "5\r\n{\"doN\r\nzz\r\n"u8.ToArray()));
    }

    // The development sink answers as SendGrid does.

    private static IEnumerable<HostileCase> DevSink(Endpoint endpoint, DevSinkEndpoint sink)
    {
        if (!sink.MailSend)
        {
            yield return Case(endpoint, "unknown message", 404, Answer.Problem, c => c.SendAsync(HttpMethod.Get, endpoint.Path("nothing-here")));
            yield break;
        }

        static JsonObject Mail() => JsonNode.Parse("""
            {"personalizations":[{"to":[{"email":"a@example.net"}]}],"from":{"email":"b@example.net"},"subject":"s","content":[{"type":"text/plain","value":"x"}]}
            """)!.AsObject();

        HostileCase Send(string what, int status, byte[] body, string? authorization = "Bearer key") =>
            Case(endpoint, what, status, Answer.SendGridErrors,
                c => c.SendAsync(HttpMethod.Post, endpoint.Route, HostileContext.Body(body, "application/json"), authorization is null ? [] : [("Authorization", authorization)]));
        HostileCase Json(string what, Action<JsonObject> change)
        {
            var mail = Mail();
            change(mail);
            return Send($"body {what}", 400, Encoding.UTF8.GetBytes(mail.ToJsonString()));
        }

        var valid = Encoding.UTF8.GetBytes(Mail().ToJsonString());
        yield return Send("no authorization", 401, valid, authorization: null);
        yield return Send("basic authorization", 401, valid, authorization: "Basic a2V5");
        foreach (var (what, body) in MalformedBodies())
        {
            yield return Send($"body {what}", 400, body);
        }

        yield return Json("without personalizations", m => m.Remove("personalizations"));
        yield return Json("with 1,001 personalizations", m => m["personalizations"] = new JsonArray(Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["to"] = new JsonArray(new JsonObject { ["email"] = $"r{i}@example.net" }) }).ToArray()));
        yield return Json("from not an address", m => m["from"] = new JsonObject { ["email"] = "nobody" });
        yield return Json("without subject", m => m.Remove("subject"));
        yield return Json("without content", m => m.Remove("content"));
        yield return Json("send_at four days ahead", m => m["send_at"] = TimeProvider.System.GetUtcNow().AddDays(4).ToUnixTimeSeconds());
        yield return Json("eleven categories", m => m["categories"] = new JsonArray(Enumerable.Range(0, 11).Select(i => (JsonNode)$"c{i}").ToArray()));
        yield return Json("custom_args of 10,000 bytes", m => m["custom_args"] = new JsonObject { ["x"] = new string('x', 10_000) });
        yield return Send("body duplicate key", 400, Encoding.UTF8.GetBytes(Mail().ToJsonString().Replace("\"subject\":\"s\"", "\"subject\":\"s\",\"subject\":\"t\"", StringComparison.Ordinal)));
        yield return Send("body lone surrogate", 400, Encoding.UTF8.GetBytes(Mail().ToJsonString().Replace("\"subject\":\"s\"", "\"subject\":\"\\ud800\"", StringComparison.Ordinal)));
        yield return Send("body invalid UTF-8", 400, InvalidUtf8In(Mail().ToJsonString().Replace("\"subject\":\"s\"", "\"subject\":\"@@\"", StringComparison.Ordinal), "@@"));
    }
}
