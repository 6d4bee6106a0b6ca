using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Company;
using AlumniNetwork.Core.Openings;

namespace AlumniNetwork.Core.Tests.Openings;

public sealed class OpeningDraftTests
{
    private static readonly CompanyMailDomains Domains = new(["example.co.jp"]);

    private const string Valid = """
        {"title": {"ja": "市場リスク管理プロジェクト", "en": "Market risk project"},
         "description": {"ja": "半年間のプロジェクトです。\n週3日から。", "en": "A six-month project.\nThree days a week or more."},
         "kind": "ShortTermProject", "department": "Markets", "location": "Tokyo", "remote": true,
         "skills": ["Python", "リスク管理"], "start": "2027-04-01", "end": "2027-09-30",
         "recruiterMailbox": "careers@hr.example.co.jp", "confidentiality": "Sensitive", "status": "Open"}
        """;

    private static (OpeningDetails? Details, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(string json) =>
        OpeningDraft.Parse(Encoding.UTF8.GetBytes(json), Domains);

    private static string With(string field, JsonNode? value)
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        if (value is null)
        {
            root.Remove(field);
        }
        else
        {
            root[field] = value;
        }

        return root.ToJsonString();
    }

    private static string[] FieldsOf(string json) => Parse(json).Errors.Select(e => e.Field).ToArray();

    [Fact]
    public void ValidBody_BuildsTheDetails()
    {
        var (details, errors) = Parse(Valid);

        Assert.Empty(errors);
        Assert.Equal(("市場リスク管理プロジェクト", "Market risk project"), (details!.Title.Japanese, details.Title.English));
        Assert.Equal("A six-month project.\nThree days a week or more.", details.Description.English);
        Assert.Equal((OpeningKind.ShortTermProject, Confidentiality.Sensitive, OpeningStatus.Open), (details.Kind, details.Confidentiality, details.Status));
        Assert.Equal(["Python", "リスク管理"], details.Skills);
        Assert.Equal((new DateOnly(2027, 4, 1), new DateOnly(2027, 9, 30)), (details.Start, details.End));
        Assert.Equal("careers@hr.example.co.jp", details.RecruiterMailbox.Value);
        Assert.True(details.Remote);
    }

    [Fact]
    public void OptionalFields_DefaultToNormalAndOpen()
    {
        var root = JsonNode.Parse(Valid)!.AsObject();
        root.Remove("confidentiality");
        root.Remove("status");

        var (details, _) = Parse(root.ToJsonString());

        Assert.Equal((Confidentiality.Normal, OpeningStatus.Open), (details!.Confidentiality, details.Status));
    }

    [Theory]
    [InlineData("Internship")]
    [InlineData("comeback")]
    [InlineData("0")]
    [InlineData("Comeback,Advisory")]
    public void UnknownKind_IsRefused_NamingTheKinds(string kind)
    {
        var (details, errors) = Parse(With("kind", kind));

        Assert.Null(details);
        var error = Assert.Single(errors);
        Assert.Equal("kind", error.Field);
        Assert.Contains("Comeback, MidCareer, ShortTermProject, Advisory", error.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("リスク管理\nプロジェクト")]
    [InlineData("Risk\u2028project")]
    [InlineData("\u202Etcejorp")]
    public void TitleOnMoreThanOneLineOrWithDirectionControls_IsRefused_ForItGoesIntoTheSubject(string title) =>
        Assert.Equal(["title.ja"], FieldsOf(With("title", new JsonObject { ["ja"] = title, ["en"] = "Risk project" })));

    [Theory]
    [InlineData("ja", "業務内容\u2028詳細")]
    [InlineData("en", "Risk \u202Etcejorp\u202C\nRemote")]
    [InlineData("en", "\u2067Risk\u2069 project")]
    public void DescriptionWithDirectionOrSeparatorCharacters_IsRefusedNamingTheLanguage(string language, string text)
    {
        var description = new JsonObject { ["ja"] = "業務内容", ["en"] = "What you do" };
        description[language] = text;

        var (details, errors) = Parse(With("description", description));

        Assert.Null(details);
        Assert.Equal(new Core.Validation.FieldError($"description.{language}", Core.Validation.FreeText.MisleadingRule), Assert.Single(errors));
    }

    [Fact]
    public void EndBeforeStart_IsRefused() =>
        Assert.Equal(["end"], FieldsOf(With("end", "2027-03-31")));

    [Fact]
    public void ProjectWithoutEnd_IsRefused() =>
        Assert.Equal(["end"], FieldsOf(With("end", null)));

    [Theory]
    [InlineData("Comeback")]
    [InlineData("MidCareer")]
    public void FullTimePositionWithAnEnd_IsRefused(string kind) =>
        Assert.Equal(["end"], FieldsOf(With("kind", kind)));

    [Fact]
    public void AdvisoryWithoutEnd_IsTaken() =>
        Assert.Empty(FieldsOf(With("kind", "Advisory").Replace("\"end\":\"2027-09-30\",", "", StringComparison.Ordinal)));

    [Fact]
    public void SkillsListTooLong_IsRefused()
    {
        var skills = new JsonArray(Enumerable.Range(0, OpeningDraft.MaxSkills + 1).Select(i => (JsonNode?)$"skill {i}").ToArray());

        Assert.Equal(["skills"], FieldsOf(With("skills", skills)));
    }

    [Theory]
    [InlineData("\"\"", "skills[0]")]
    [InlineData("\"a\\u0007b\"", "skills[0]")]
    [InlineData("7", "skills[0]")]
    public void BadSkill_IsRefused_NamingItsPlace(string skill, string field) =>
        Assert.Equal([field], FieldsOf(Valid.Replace("\"Python\"", skill, StringComparison.Ordinal)));

    [Fact]
    public void SkillTooLong_IsRefused() =>
        Assert.Equal(["skills[1]"], FieldsOf(With("skills", new JsonArray("Python", new string('x', OpeningDraft.MaxSkill + 1)))));

    [Theory]
    [InlineData("someone@gmail.com")]
    [InlineData("careers@example.co.jp.evil.example")]
    [InlineData("careers@notexample.co.jp")]
    public void RecruiterMailboxOutsideTheCompanysDomains_IsRefused(string mailbox)
    {
        var error = Assert.Single(Parse(With("recruiterMailbox", mailbox)).Errors);

        Assert.Equal("recruiterMailbox", error.Field);
        Assert.Contains("example.co.jp", error.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void RecruiterMailboxNotAnAddress_IsRefused() =>
        Assert.Equal(["recruiterMailbox"], FieldsOf(With("recruiterMailbox", "careers")));

    [Fact]
    public void NeitherLocationNorRemote_IsRefused() =>
        Assert.Equal(["location"], FieldsOf(With("location", null).Replace("\"remote\":true", "\"remote\":false", StringComparison.Ordinal)));

    [Theory]
    [InlineData("title", "\"just text\"", "title")]
    [InlineData("title", "{\"ja\": \"x\"}", "title.en")]
    [InlineData("description", "{\"en\": \"x\"}", "description.ja")]
    [InlineData("title", "{\"ja\": \"x\", \"en\": \"\"}", "title.en")]
    [InlineData("title", "{\"ja\": \"a\\nb\", \"en\": \"x\"}", "title.ja")]
    [InlineData("remote", "\"yes\"", "remote")]
    [InlineData("start", "\"2027-02-30\"", "start")]
    [InlineData("start", "\"9999-12-31\"", "start")]
    [InlineData("confidentiality", "\"Secret\"", "confidentiality")]
    [InlineData("status", "\"Draft\"", "status")]
    public void BadValue_IsRefused_NamingTheField(string field, string json, string named) =>
        Assert.Contains(named, FieldsOf(With(field, JsonNode.Parse(json))));

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var fields = FieldsOf("""{"kind": "Internship", "end": "x", "salary": 1}""");

        Assert.Contains("title", fields);
        Assert.Contains("description", fields);
        Assert.Contains("kind", fields);
        Assert.Contains("end", fields);
        Assert.Contains("recruiterMailbox", fields);
        Assert.Contains("$", fields);
    }
}
