using System.Text.Json.Nodes;
using AlumniNetwork.Infra.Tests.Arm;

namespace AlumniNetwork.Infra.Tests;

/// <summary>The small ARM expression evaluator the infrastructure checks rely on.</summary>
public sealed class ArmExpressionEvaluatorTests
{
    private static readonly JsonObject Template = JsonNode.Parse("""
        {
          "parameters": {
            "name": { "type": "string" },
            "prefix": { "type": "string", "defaultValue": "alumni" },
            "names": { "type": "object" },
            "queues": { "type": "array" },
            "apiKey": { "type": "securestring", "defaultValue": "" }
          },
          "variables": {
            "fullName": "[format('{0}-{1}', parameters('prefix'), parameters('name'))]",
            "settings": { "ActiveKeyId": "k1" }
          }
        }
        """)!.AsObject();

    private static ArmExpressionEvaluator Evaluator(int? copyIndex = null) => new(
        new TemplateScope(Template, new Dictionary<string, JsonNode?>
        {
            ["name"] = "prod",
            ["names"] = new JsonObject { ["apiKey"] = "sendgrid-api-key" },
            ["queues"] = new JsonArray("welcome-invitations", "surveys"),
        }, "test"),
        copyIndex);

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("[[not an expression]", "[not an expression]")]
    [InlineData("[parameters('name')]", "prod")]
    [InlineData("[parameters('prefix')]", "alumni")]
    [InlineData("[variables('fullName')]", "alumni-prod")]
    [InlineData("[variables('settings').ActiveKeyId]", "k1")]
    [InlineData("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', 'kv', parameters('names').apiKey)]", "@Microsoft.KeyVault(VaultName=kv;SecretName=sendgrid-api-key)")]
    [InlineData("[format('{{literal}} {0}', 'x')]", "{literal} x")]
    [InlineData("[if(empty(''), 'empty', 'full')]", "empty")]
    [InlineData("[toLower(concat('A', 'B'))]", "ab")]
    [InlineData("[format('it''s {0}', parameters('name'))]", "it's prod")]
    public void ResolvableExpressions_AreEvaluated(string expression, string expected)
    {
        var result = Evaluator().EvaluateString(expression);

        Assert.Equal(expected, ArmExpressionEvaluator.Render(result));
        Assert.True(ArmExpressionEvaluator.IsResolved(result));
    }

    [Fact]
    public void ToObjectWithLambdas_MakesOneMemberPerElement_AndUnionMergesItIn()
    {
        var result = Evaluator().EvaluateString(
            "[union(createObject('Company__Name', parameters('name')), toObject(range(0, length(parameters('queues'))), " +
            "lambda('i', format('Queue__{0}', lambdaVariables('i'))), lambda('i', parameters('queues')[lambdaVariables('i')])))]");

        Assert.Equal("""{"Company__Name":"prod","Queue__0":"welcome-invitations","Queue__1":"surveys"}""", result!.ToJsonString());
    }

    [Fact]
    public void CopyIndex_SelectsTheLoopItem()
    {
        var result = Evaluator(copyIndex: 1).EvaluateString("[format('{0}/{1}', parameters('name'), parameters('queues')[copyIndex()])]");

        Assert.Equal("prod/surveys", ArmExpressionEvaluator.Render(result));
    }

    [Fact]
    public void DeploymentTimeValues_StaySymbolic_WithTheirArgumentsEvaluated()
    {
        var result = Evaluator().EvaluateString("[format('https://{0}', reference(resourceId('Microsoft.Web/sites', variables('fullName'))).defaultHostName)]");
        var text = ArmExpressionEvaluator.Render(result);

        Assert.False(ArmExpressionEvaluator.IsResolved(result));
        Assert.StartsWith("https://", text, StringComparison.Ordinal);
        Assert.Contains("resourceId('Microsoft.Web/sites', 'alumni-prod')", text, StringComparison.Ordinal);
        Assert.EndsWith(".defaultHostName" + ArmExpressionEvaluator.UnresolvedEnd, text, StringComparison.Ordinal);
    }

    [Fact]
    public void SecureParameters_AreNeverResolved()
    {
        var text = ArmExpressionEvaluator.Render(Evaluator().EvaluateString("[parameters('apiKey')]"));

        Assert.Contains(ArmExpressionEvaluator.SecureParameterMarker, text, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyNames_AreEvaluatedToo()
    {
        var result = Evaluator().Evaluate(JsonNode.Parse("""{ "[parameters('name')]": "[parameters('prefix')]" }"""));

        Assert.Equal("alumni", ArmExpressionEvaluator.Render(result?["prod"]));
    }

    [Fact]
    public void UndeclaredParameter_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Evaluator().EvaluateString("[parameters('missing')]"));
}
