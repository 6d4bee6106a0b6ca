using System.Text;
using System.Text.Json.Nodes;
using AlumniNetwork.Core.Surveys;

namespace AlumniNetwork.Core.Tests.Surveys;

public sealed class SurveyDraftTests
{
    private static readonly DateTimeOffset Now = SurveyBuilders.Now;

    public static JsonObject Valid() => JsonNode.Parse("""
        {
          "title": { "ja": "退職者アンケート", "en": "Alumni survey" },
          "introduction": { "ja": "ご協力ください", "en": "Please help us" },
          "mode": "Anonymous",
          "questions": [
            { "id": "recommend", "kind": "Scale0To10", "text": { "ja": "推奨度", "en": "Recommend?" }, "required": true },
            { "id": "topics", "kind": "MultipleChoice", "text": { "ja": "改善点", "en": "Change?" },
              "options": [ { "id": "pay", "text": { "ja": "給与", "en": "Pay" } }, { "id": "growth", "text": { "ja": "成長", "en": "Growth" } } ], "maxChoices": 1 },
            { "id": "why", "kind": "FreeText", "text": { "ja": "理由", "en": "Why?" }, "maxLength": 500,
              "showIf": { "question": "recommend", "answers": ["0", "1", "2"] } },
            { "id": "back", "kind": "ReturnIntent", "text": { "ja": "戻りたいですか", "en": "Return?" } }
          ],
          "lifecycle": { "waves": [ { "days": 90 }, { "months": 12 } ], "repeatEveryMonths": 12 },
          "reminderAfterDays": 7,
          "minimumGroupSize": 6
        }
        """)!.AsObject();

    private static (SurveyContent? Content, IReadOnlyList<Core.Validation.FieldError> Errors) Parse(JsonNode body, int quietDays = 30) =>
        SurveyDraft.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), Now, quietDays);

    private static string[] FieldsWithErrors(Action<JsonObject> change)
    {
        var body = Valid();
        change(body);
        var (content, errors) = Parse(body);
        Assert.Null(content);
        return errors.Select(e => e.Field).ToArray();
    }

    [Theory]
    [InlineData(12, true)] // 12 x 5,000 = 60,000
    [InlineData(13, false)]
    public void FreeTextQuestions_TakeAtMostTheirTotal_SoOneResponseFitsItsRow(int questions, bool valid)
    {
        var body = Valid();
        foreach (var i in Enumerable.Range(0, questions))
        {
            body["questions"]!.AsArray().Add(JsonNode.Parse($$"""{ "id": "long{{i}}", "kind": "FreeText", "text": { "ja": "感想", "en": "Say" }, "maxLength": 5000 }"""));
        }

        // The first free-text question (500) goes, so the long ones alone count.
        body["questions"]!.AsArray().RemoveAt(2);
        var (content, errors) = Parse(body);

        Assert.Equal(valid, content is not null);
        Assert.Equal(valid ? [] : ["questions"], errors.Select(e => e.Field));
    }

    [Fact]
    public void ValidSurvey_IsReadWithEveryPart()
    {
        var (content, errors) = Parse(Valid());

        Assert.Empty(errors);
        Assert.Equal(SurveyMode.Anonymous, content!.Mode);
        Assert.Equal(["recommend", "topics", "why", "back"], content.Questions.Select(q => q.Id));
        Assert.Equal(1, content.Question("topics")!.MaxChoices);
        Assert.Equal("recommend", content.Question("why")!.ShowIf!.QuestionId);
        Assert.Equal(["0", "1", "2"], content.Question("why")!.ShowIf!.AnsweredAny);
        Assert.Equal(500, content.Question("why")!.MaxLength);
        Assert.Equal([new WaveOffset(0, 90), new WaveOffset(12, 0)], content.Lifecycle.Waves);
        Assert.Equal(12, content.Lifecycle.RepeatEveryMonths);
        Assert.Equal((7, 6), (content.ReminderAfterDays, content.MinimumGroupSize));
        Assert.Equal("recommend", content.EmbeddedQuestion!.Id);
    }

    [Fact]
    public void MinimumGroupSize_DefaultsToFive() =>
        Assert.Equal(SurveyContent.DefaultMinimumGroupSize, Parse(Valid().Tap(b => b.Remove("minimumGroupSize"))).Content!.MinimumGroupSize);

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-5)]
    public void MinimumGroupSizeBelowFive_IsRefused(int k) =>
        Assert.Contains("minimumGroupSize", FieldsWithErrors(b => b["minimumGroupSize"] = k));

    [Fact]
    public void UnknownField_MissingTitleAndBadMode_AreAllReportedAtOnce()
    {
        var fields = FieldsWithErrors(b =>
        {
            b["salary"] = 1;
            b.Remove("title");
            b["mode"] = "anonymous";
        });

        Assert.Contains("salary", fields);
        Assert.Contains("title", fields);
        Assert.Contains("mode", fields);
    }

    [Theory]
    [InlineData("ja", "アンケート\nBcc: x@example.net")]
    [InlineData("en", "Survey\tnow")]
    [InlineData("en", "Survey\u2028now")]
    [InlineData("ja", "\u202Eアンケート")]
    public void TitleOnMoreThanOneLineOrWithDirectionControls_IsRefused_ForItGoesIntoTheSubject(string language, string title) =>
        Assert.Equal([$"title.{language}"], FieldsWithErrors(b => b["title"]![language] = title));

    /// <summary>Introductions and question texts may run over lines, never hold text-direction or line-separator characters.</summary>
    [Theory]
    [InlineData("introduction.en", "Thank you.\u2028Five minutes")]
    [InlineData("introduction.ja", "ご協力\n\u202Eください")]
    [InlineData("questions[3].text.en", "Would you\u2066 come back\u2069 to us?")]
    [InlineData("questions[1].options[0].text.ja", "給与\u2029水準")]
    public void LongerTextWithDirectionOrSeparatorCharacters_IsRefusedNamingTheField(string field, string text)
    {
        var body = Valid();
        var (parent, language) = field switch
        {
            "introduction.en" or "introduction.ja" => (body["introduction"]!, field[^2..]),
            "questions[3].text.en" => (body["questions"]![3]!["text"]!, "en"),
            _ => (body["questions"]![1]!["options"]![0]!["text"]!, "ja"),
        };
        parent[language] = text;

        var (content, errors) = Parse(body);

        Assert.Null(content);
        Assert.Equal(new Core.Validation.FieldError(field, Core.Validation.FreeText.MisleadingRule), Assert.Single(errors));
    }

    [Fact]
    public void NoQuestions_IsRefused() => Assert.Contains("questions", FieldsWithErrors(b => b["questions"] = new JsonArray()));

    [Fact]
    public void DuplicateQuestionId_IsRefused() =>
        Assert.Contains("questions[1].id", FieldsWithErrors(b => b["questions"]![1]!["id"] = "recommend"));

    [Theory]
    [InlineData("Recommend")]
    [InlineData("1st")]
    [InlineData("a-b")]
    public void QuestionIdOfTheWrongShape_IsRefused(string id) =>
        Assert.Contains("questions[0].id", FieldsWithErrors(b => b["questions"]![0]!["id"] = id));

    [Fact]
    public void OptionsOnAScaleQuestion_AreRefused() =>
        Assert.Contains("questions[0].options", FieldsWithErrors(b => b["questions"]![0]!["options"] = new JsonArray()));

    [Fact]
    public void ChoiceQuestionWithOneOption_IsRefused() =>
        Assert.Contains("questions[1].options", FieldsWithErrors(b => b["questions"]![1]!["options"]!.AsArray().RemoveAt(1)));

    [Fact]
    public void MaxChoicesAboveTheOptions_IsRefused() =>
        Assert.Contains("questions[1].maxChoices", FieldsWithErrors(b => b["questions"]![1]!["maxChoices"] = 3));

    [Fact]
    public void MaxLengthOnAScale_IsRefused() =>
        Assert.Contains("questions[0].maxLength", FieldsWithErrors(b => b["questions"]![0]!["maxLength"] = 10));

    [Fact]
    public void ConditionOnALaterQuestion_IsRefused() =>
        Assert.Contains("questions[2].showIf.question", FieldsWithErrors(b => b["questions"]![2]!["showIf"]!["question"] = "back"));

    [Fact]
    public void ConditionOnAnswersTheQuestionCannotHave_IsRefused() =>
        Assert.Contains("questions[2].showIf.answers", FieldsWithErrors(b => b["questions"]![2]!["showIf"]!["answers"] = new JsonArray("11")));

    [Fact]
    public void ConditionOnFreeText_IsRefused()
    {
        var fields = FieldsWithErrors(b =>
        {
            var questions = b["questions"]!.AsArray();
            questions.Add(new JsonObject { ["id"] = "more", ["kind"] = "Rating1To5", ["text"] = new JsonObject { ["ja"] = "x", ["en"] = "x" },
                ["showIf"] = new JsonObject { ["question"] = "why", ["answers"] = new JsonArray("x") } });
        });

        Assert.Contains("questions[4].showIf.question", fields);
    }

    [Fact]
    public void WaveInsideTheQuietPeriod_IsRefusedNamingThePeriod()
    {
        var body = Valid();
        body["lifecycle"]!["waves"]![0]!["days"] = 14;

        var (_, errors) = Parse(body, quietDays: 30);

        Assert.Contains(errors, e => e.Field == "lifecycle.waves[0]" && e.Rule.Contains("30 days", StringComparison.Ordinal));
    }

    [Fact]
    public void WavesOutOfOrder_AreRefused() =>
        Assert.Contains("lifecycle.waves[1]", FieldsWithErrors(b => b["lifecycle"]!["waves"]![1]!.AsObject().Tap(w => { w.Remove("months"); w["days"] = 60; })));

    [Fact]
    public void WaveWithBothDaysAndMonths_IsRefused() =>
        Assert.Contains("lifecycle.waves[0]", FieldsWithErrors(b => b["lifecycle"]!["waves"]![0]!["months"] = 3));

    [Fact]
    public void ClosingTimeInThePast_IsRefused() =>
        Assert.Contains("closesAt", FieldsWithErrors(b => b["closesAt"] = "2020-01-01T00:00:00+09:00"));

    [Fact]
    public void ClosingTimeWithoutAnOffset_IsRefused_NotReadInTheServersZone() =>
        Assert.Contains("closesAt", FieldsWithErrors(b => b["closesAt"] = "2099-01-01T00:00:00"));

    [Fact]
    public void WithoutLifecycle_TheSurveyIsForAdHocWavesOnly() =>
        Assert.True(Parse(Valid().Tap(b => b.Remove("lifecycle"))).Content!.Lifecycle.IsEmpty);
}

internal static class JsonTap
{
    public static T Tap<T>(this T node, Action<T> change)
    {
        change(node);
        return node;
    }
}
