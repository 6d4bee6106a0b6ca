using AlumniNetwork.Core.Alumni;
using AlumniNetwork.Functions.Tests.Admin;
using AlumniNetwork.Functions.Tests.Support;

namespace AlumniNetwork.Functions.Tests.Console;

/// <summary>
/// The console's query strings and form fields with odd values (control characters, huge numbers, dates at the calendar's
/// ends, garbled cursors, non-ASCII): the hostile suite lists the console by its methods only, so here every page and form
/// that reads one is sent them, signed in, and none may answer 5xx.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleOddInputTests(AzuriteFixture azurite) : SignedInConsoleTest(azurite)
{
    [Fact]
    public async Task OddQueryValuesAndFormFields_NeverAnswer5xx()
    {
        var alumnus = await App.SeedAsync("E9001", "probe@example.net", "花子", "山田");
        var seeded = await CampaignConsoleSeeds.SeedAsync(App, alumnus);
        var ev = seeded["{eventId:length(32)}"];
        var camp = seeded["{campaignId}"];
        var news = seeded["{newsId:length(32)}"];
        string[] odd = ["", "%00", "%0d%0a", "x", "-1", "0", "99999999999999999999999", "%E3%81%82", "9999-12-31", "0001-01-01", "2199-12-31T23:59:59Z", "AAAA", "..%2f..", "%ff%fe", "1e309", "2026-02-30", "' \" <>"];
        string[] gets =
        [
            "/api/console/audit?from={0}", "/api/console/audit?to={0}", "/api/console/audit?limit={0}", "/api/console/audit?cursor={0}", "/api/console/audit?actor={0}&action={0}",
            "/api/console/audit?from=2199-12-31&to={0}", "/api/console/audit?from={0}&to=1900-01-01",
            "/api/console/collaboration?after={0}", "/api/console/collaboration?status={0}", "/api/console/collaboration?industry={0}&skills={0}&location={0}&offer={0}",
            "/api/console/conflicts/approvals?after={0}", "/api/console/conflicts/flagged?after={0}", "/api/console/conflicts?saved={0}",
            "/api/console/openings/rehires?from={0}", "/api/console/openings/rehires?to={0}", "/api/console/openings/rehires?from=1900-01-01&to={0}",
            "/api/console/campaigns/{0}", "/api/console/campaigns/{0}/preview", "/api/console/campaigns/" + camp + "/preview?locale={0}",
            "/api/console/campaigns/dead-letters?redriven={0}&remaining={0}&queue={0}", "/api/console/campaigns/dead-letters?retried={0}&remaining={0}",
            "/api/console/events/" + ev + "?saved=staff&sent={0}&alreadySent={0}&refused={0}&notYetSent={0}", "/api/console/events/" + ev + "/attendees?saved={0}",
            "/api/console/newsletter/preview?locale={0}", "/api/console/newsletter?saved={0}", "/api/console/newsletter/news/" + news + "?saved={0}",
            "/api/console/surveys/0123456789abcdef0123456789abcdef?version={0}&wave={0}&by={0}&value={0}",
            "/api/console/surveys/0123456789abcdef0123456789abcdef/comments?question={0}&after={0}",
            "/api/console/language?to={0}&back={0}", "/api/console/language?to=en&back=/api/console/{0}",
            "/api/console/alumni/{0}", "/api/console/alumni/" + alumnus.Value + "?saved={0}",
            "/api/console/collaboration/" + alumnus.Value + "?saved={0}",
        ];
        var failures = new List<string>();
        foreach (var g in gets)
        {
            foreach (var o in odd)
            {
                var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, g, o);
                try
                {
                    var response = await Admin.GetAsync(path);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} GET {path}");
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"EXC GET {path}: {e.GetType().Name} {e.Message}");
                }
            }
        }

        var home = await Admin.GetPageAsync("/api/console/home");
        (string Path, string[] Fields)[] posts =
        [
            ("/api/console/alumni", ["q", "department", "status", "consent", "page"]),
            ("/api/console/alumni/" + alumnus.Value + "/flags", ["rehireEligible", "doNotContact", "shown.rehireEligible", "shown.doNotContact"]),
            ("/api/console/events", ["title.ja", "start", "end", "capacity", "audience.departedFromYear", "registrationDeadline", "timeZone", "idempotencyKey"]),
            ("/api/console/events/" + ev + "/edit", ["version", "capacity", "start", "hosts[0].name"]),
            ("/api/console/events/" + ev + "/publish", ["version"]),
            ("/api/console/events/" + ev + "/cancel", ["version"]),
            ("/api/console/events/" + ev + "/staff-invitations", ["addresses"]),
            ("/api/console/events/" + ev + "/attendance/" + alumnus.Value, ["attended"]),
            ("/api/console/campaigns/dead-letters/" + seeded["{queue}"] + "/redrive", ["limit"]),
            ("/api/console/campaigns/dead-letters/nosuch/redrive", ["limit"]),
            ("/api/console/campaigns/failed-work/retry", ["kind", "limit"]),
            ("/api/console/newsletter/news", ["titleJa", "titleEn", "publishFrom", "publishUntil", "link", "idempotencyKey"]),
            ("/api/console/newsletter/news/" + news, ["version", "publishFrom", "publishUntil"]),
            ("/api/console/newsletter/news/" + news + "/delete", ["version"]),
            ("/api/console/newsletter/test", ["email", "locale", "idempotencyKey"]),
            ("/api/console/openings", ["title.ja", "start", "end", "kind", "idempotencyKey"]),
            ("/api/console/collaboration/" + alumnus.Value + "/review", ["version", "decision", "reason"]),
            ("/api/console/conflicts/entries", ["name", "category", "aliases", "coolingOffDays", "idempotencyKey"]),
            ("/api/console/conflicts/approvals", ["alumnusId", "subject", "decision", "reason"]),
        ];
        string[] oddValues = ["", "\0", "-1", "99999999999999999999999", "9223372036854775807", "2147483648", "0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31", "0001-01-01", "\ud800", "あ", new string('x', 5000), "AAAA", "1e309"];
        foreach (var (path, fields) in posts)
        {
            foreach (var field in fields)
            {
                foreach (var value in oddValues)
                {
                    try
                    {
                        var response = await Admin.PostRawAsync(path, [(field, value), ("__csrf", ConsoleClient.TokenOf(home))]);
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"{(int)response.StatusCode} POST {path} {field}={(value.Length > 30 ? value[..30] : value)}");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Add($"EXC POST {path} {field}: {e.GetType().Name} {e.Message}");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }
}
