using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlumniNetwork.Infra.Tests.Arm;

/// <summary>
/// Evaluates ARM template language expressions (<c>"[format('{0}', parameters('x'))]"</c>) as far as the template
/// alone allows, so tests can assert on values rather than on Bicep's code generation. Whatever only a real
/// deployment knows (<c>reference()</c>, <c>resourceId()</c>, <c>uniqueString()</c>, ...) stays symbolic: the call,
/// with its arguments evaluated, between <see cref="UnresolvedStart"/> and <see cref="UnresolvedEnd"/>. A secure
/// parameter is never resolved, even when it has a default, so a test can see where a secret flows. Lambdas
/// (<c>lambda('i', …)</c>) are kept unevaluated until <c>toObject()</c> applies them to each element.
/// </summary>
public sealed class ArmExpressionEvaluator(TemplateScope scope, int? copyIndex = null, IReadOnlyDictionary<string, JsonNode?>? lambdaVariables = null)
{
    private const string LambdaParameters = "$lambdaParameters";
    private const string LambdaBody = "$lambdaBody";

    public const char UnresolvedStart = '\u27EA';
    public const char UnresolvedEnd = '\u27EB';
    public const string SecureParameterMarker = "secure parameters(";

    private const int MaxDepth = 64;
    private int depth;

    /// <summary>Evaluates every expression inside <paramref name="node"/> (property names included); returns a new tree.</summary>
    public JsonNode? Evaluate(JsonNode? node)
    {
        if (++depth > MaxDepth)
        {
            throw new InvalidOperationException($"Expression nesting deeper than {MaxDepth} in {scope.Path}: recursive variables?");
        }

        try
        {
            return node switch
            {
                null => null,
                JsonObject obj => EvaluateObject(obj),
                JsonArray array => new JsonArray(array.Select(Evaluate).ToArray()),
                JsonValue value when value.GetValueKind() == JsonValueKind.String => EvaluateString(value.GetValue<string>()),
                _ => node.DeepClone(),
            };
        }
        finally
        {
            depth--;
        }
    }

    /// <summary>A string property: an expression when wrapped in [ ], a literal otherwise ("[[" escapes a bracket).</summary>
    public JsonNode? EvaluateString(string text)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return JsonValue.Create(text[1..]);
        }

        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            var parser = new Parser(this, text[1..^1]);
            return parser.ParseWhole();
        }

        return JsonValue.Create(text);
    }

    /// <summary>The raw text of each argument of <paramref name="call"/> (<c>name(a, b(c, 'd,e'))</c> gives <c>a</c> and <c>b(c, 'd,e')</c>).</summary>
    public static IReadOnlyList<string> Arguments(string call)
    {
        var open = call.IndexOf('(', StringComparison.Ordinal);
        var result = new List<string>();
        var (start, depth, quoted) = (open + 1, 0, false);
        for (var i = open + 1; i < call.Length; i++)
        {
            var c = call[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && depth == 0 && c is ',' or ')')
            {
                result.Add(call[start..i].Trim());
                start = i + 1;
                if (c == ')')
                {
                    return result;
                }
            }
            else if (!quoted)
            {
                depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
            }
        }

        throw new FormatException($"Unbalanced call: {call}");
    }

    public static bool IsResolved(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.All(property => !property.Key.Contains(UnresolvedStart, StringComparison.Ordinal) && IsResolved(property.Value)),
        JsonArray array => array.All(IsResolved),
        JsonValue value when value.GetValueKind() == JsonValueKind.String =>
            !value.GetValue<string>().Contains(UnresolvedStart, StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>The value as format() would print it.</summary>
    public static string Render(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.True => "True",
        JsonValue value when value.GetValueKind() == JsonValueKind.False => "False",
        _ => node.ToJsonString(),
    };

    public static bool TryGetInt(JsonNode? node, out int result)
    {
        result = 0;
        return node is JsonValue value
            && value.GetValueKind() == JsonValueKind.Number
            && int.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
    }

    private JsonObject EvaluateObject(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            result[Render(EvaluateString(key))] = Evaluate(value);
        }

        return result;
    }

    private static JsonValue Unresolved(string text) => JsonValue.Create($"{UnresolvedStart}{text}{UnresolvedEnd}");

    private static string Describe(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String && IsResolved(value) => $"'{value.GetValue<string>()}'",
        _ => Render(node),
    };

    private static bool? AsBool(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        }
        : null;

    private JsonNode? Call(string name, List<JsonNode?> args)
    {
        var symbolic = Unresolved($"{name}({string.Join(", ", args.Select(Describe))})");
        var allResolved = args.All(IsResolved);
        switch (name.ToUpperInvariant())
        {
            case "PARAMETERS":
                return Parameter(Render(args[0]));
            case "VARIABLES":
                return Variable(Render(args[0]));
            case "COPYINDEX":
                var offset = args.Count > 0 && TryGetInt(args[^1], out var value) ? value : 0;
                return copyIndex is { } index ? JsonValue.Create(index + offset) : symbolic;
            case "TRUE":
                return JsonValue.Create(true);
            case "FALSE":
                return JsonValue.Create(false);
            case "NULL":
                return null;
            case "STRING":
                return allResolved ? JsonValue.Create(Render(args[0])) : symbolic;
            case "FORMAT":
                return Format(args);
            case "CONCAT" when args.All(arg => arg is JsonArray):
                return new JsonArray(args.SelectMany(arg => ((JsonArray)arg!).Select(item => item?.DeepClone())).ToArray());
            case "CONCAT":
                return JsonValue.Create(string.Concat(args.Select(Render)));
            case "TOLOWER" when allResolved:
                return JsonValue.Create(Render(args[0]).ToLowerInvariant());
            case "TOUPPER" when allResolved:
                return JsonValue.Create(Render(args[0]).ToUpperInvariant());
            case "REPLACE" when allResolved:
                return JsonValue.Create(Render(args[0]).Replace(Render(args[1]), Render(args[2]), StringComparison.Ordinal));
            case "LENGTH" when allResolved:
                return args[0] switch
                {
                    JsonArray array => JsonValue.Create(array.Count),
                    JsonObject obj => JsonValue.Create(obj.Count),
                    _ => JsonValue.Create(Render(args[0]).Length),
                };
            case "EMPTY" when allResolved:
                return JsonValue.Create(args[0] switch
                {
                    null => true,
                    JsonArray array => array.Count == 0,
                    JsonObject obj => obj.Count == 0,
                    _ => Render(args[0]).Length == 0,
                });
            case "EQUALS" when allResolved:
                return JsonValue.Create(JsonNode.DeepEquals(args[0], args[1]));
            case "NOT" when AsBool(args[0]) is { } operand:
                return JsonValue.Create(!operand);
            case "AND" when args.All(arg => AsBool(arg) is not null):
                return JsonValue.Create(args.All(arg => AsBool(arg) == true));
            case "OR" when args.All(arg => AsBool(arg) is not null):
                return JsonValue.Create(args.Any(arg => AsBool(arg) == true));
            case "IF" when AsBool(args[0]) is { } condition:
                return condition ? args[1] : args[2];
            case "CREATEARRAY":
                return new JsonArray(args.ToArray());
            case "TRYGET" when args[0] is JsonObject obj:
                return Member(obj, Render(args[1]), optional: true);
            case "CREATEOBJECT" when args.Count % 2 == 0:
                var created = new JsonObject();
                for (var i = 0; i < args.Count; i += 2)
                {
                    created[Render(args[i])] = args[i + 1]?.DeepClone();
                }

                return created;
            case "UNION" when args.All(arg => arg is JsonObject):
                var merged = new JsonObject();
                foreach (var (key, member) in args.SelectMany(arg => (JsonObject)arg!))
                {
                    merged[key] = member?.DeepClone();
                }

                return merged;
            case "RANGE" when TryGetInt(args[0], out var rangeStart) && TryGetInt(args[1], out var rangeCount):
                return new JsonArray(Enumerable.Range(rangeStart, rangeCount).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
            case "LAMBDAVARIABLES" when lambdaVariables is not null && lambdaVariables.TryGetValue(Render(args[0]), out var bound):
                return bound?.DeepClone();
            case "TOOBJECT" when args[0] is JsonArray items && args.Skip(1).All(IsLambda):
                var result = new JsonObject();
                foreach (var item in items)
                {
                    result[Render(Apply(args[1], item))] = args.Count > 2 ? Apply(args[2], item) : item?.DeepClone();
                }

                return result;
            default:
                return symbolic;
        }
    }

    private static JsonObject Lambda(IEnumerable<string> parameters, string body) =>
        new() { [LambdaParameters] = new JsonArray(parameters.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()), [LambdaBody] = body };

    private static bool IsLambda(JsonNode? node) => node is JsonObject obj && obj.ContainsKey(LambdaParameters) && obj.ContainsKey(LambdaBody);

    /// <summary>Evaluates a one-parameter lambda's body with its parameter bound to <paramref name="argument"/>.</summary>
    private JsonNode? Apply(JsonNode? lambda, JsonNode? argument)
    {
        var name = lambda![LambdaParameters]![0]!.GetValue<string>();
        var variables = new Dictionary<string, JsonNode?>(lambdaVariables ?? new Dictionary<string, JsonNode?>(), StringComparer.Ordinal) { [name] = argument };
        return new ArmExpressionEvaluator(scope, copyIndex, variables).EvaluateString($"[{lambda[LambdaBody]!.GetValue<string>()}]");
    }

    private JsonNode? Parameter(string name)
    {
        var declaration = scope.Template["parameters"]?[name] as JsonObject
            ?? throw new InvalidOperationException($"parameters('{name}') is not declared in {scope.Path}.");
        var type = declaration["type"]?.GetValue<string>() ?? string.Empty;
        if (type.StartsWith("secure", StringComparison.OrdinalIgnoreCase))
        {
            return Unresolved($"{SecureParameterMarker}'{name}')");
        }

        if (scope.Parameters.TryGetValue(name, out var bound))
        {
            return bound?.DeepClone();
        }

        return declaration.TryGetPropertyValue("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue)
            : Unresolved($"parameters('{name}')");
    }

    private JsonNode? Variable(string name)
    {
        var variables = scope.Template["variables"] as JsonObject;
        if (variables is null || !variables.TryGetPropertyValue(name, out var value))
        {
            throw new InvalidOperationException($"variables('{name}') is not declared in {scope.Path}.");
        }

        return Evaluate(value);
    }

    private static JsonValue Format(List<JsonNode?> args)
    {
        if (!IsResolved(args[0]))
        {
            return Unresolved($"format({string.Join(", ", args.Select(Describe))})");
        }

        var template = Render(args[0]);
        var result = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                result.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var close = template.IndexOf('}', i);
                var spec = template[(i + 1)..close];
                var separator = spec.IndexOfAny([',', ':']);
                var index = int.Parse(separator < 0 ? spec : spec[..separator], CultureInfo.InvariantCulture);
                result.Append(Render(args[index + 1]));
                i = close;
            }
            else
            {
                result.Append(c);
            }
        }

        return JsonValue.Create(result.ToString());
    }

    private static JsonNode? Member(JsonNode? target, string name, bool optional = false)
    {
        if (target is JsonObject obj)
        {
            var match = obj.FirstOrDefault(property => string.Equals(property.Key, name, StringComparison.OrdinalIgnoreCase));
            if (match.Key is not null)
            {
                return match.Value?.DeepClone();
            }

            return optional ? null : throw new InvalidOperationException($"The object has no property '{name}': {obj.ToJsonString()}");
        }

        return Unresolved($"{Strip(Render(target))}.{name}");
    }

    private static JsonNode? Index(JsonNode? target, JsonNode? key)
    {
        if (target is JsonArray array && TryGetInt(key, out var index))
        {
            return array[index]?.DeepClone();
        }

        if (target is JsonObject && IsResolved(key))
        {
            return Member(target, Render(key));
        }

        return Unresolved($"{Strip(Render(target))}[{Describe(key)}]");
    }

    // ⟪a(⟪b⟫)⟫ becomes a(⟪b⟫) so that member access reads ⟪a(⟪b⟫).name⟫ rather than nesting another level.
    private static string Strip(string text)
    {
        if (text.Length < 2 || text[0] != UnresolvedStart || text[^1] != UnresolvedEnd)
        {
            return text;
        }

        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] == UnresolvedStart ? 1 : text[i] == UnresolvedEnd ? -1 : 0;
            if (depth == 0 && i < text.Length - 1)
            {
                return text;
            }
        }

        return text[1..^1];
    }

    /// <summary>Recursive descent over: literal | name(args) followed by any number of .member or [index].</summary>
    private sealed class Parser(ArmExpressionEvaluator evaluator, string text)
    {
        private int position;

        public JsonNode? ParseWhole()
        {
            var result = ParseExpression();
            SkipWhitespace();
            if (position != text.Length)
            {
                throw Error("unexpected text after the expression");
            }

            return result;
        }

        private JsonNode? ParseExpression()
        {
            var value = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    value = Member(value, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var key = ParseExpression();
                    Expect(']');
                    value = Index(value, key);
                }
                else
                {
                    return value;
                }
            }
        }

        private JsonNode? ParsePrimary()
        {
            SkipWhitespace();
            if (position >= text.Length)
            {
                throw Error("expression ends early");
            }

            var c = text[position];
            if (c == '\'')
            {
                return JsonValue.Create(ReadString());
            }

            if (char.IsDigit(c) || c == '-')
            {
                var start = position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }

                return JsonValue.Create(long.Parse(text[start..position], CultureInfo.InvariantCulture));
            }

            var name = ReadFunctionName();
            Expect('(');
            if (name.Equals("lambda", StringComparison.OrdinalIgnoreCase))
            {
                return ParseLambda();
            }

            var args = new List<JsonNode?>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));

                Expect(')');
            }

            return evaluator.Call(name, args);
        }

        // lambda('a', 'b', body): the names are literals; the body is kept as text, evaluated when the lambda is applied.
        private JsonObject ParseLambda()
        {
            var parts = new List<string>();
            do
            {
                SkipWhitespace();
                parts.Add(SkipArgument());
            }
            while (TryConsume(','));

            Expect(')');
            var names = parts.Take(parts.Count - 1).Select(part => part.Trim()).Select(part =>
                part.Length >= 2 && part[0] == '\'' && part[^1] == '\'' ? part[1..^1] : throw Error("lambda parameter names must be literals"));
            return Lambda(names.ToList(), parts[^1].Trim());
        }

        // The text of one argument: up to the next ',' or ')' outside parentheses, brackets and strings.
        private string SkipArgument()
        {
            var start = position;
            var depth = 0;
            while (position < text.Length)
            {
                var c = text[position];
                if (c == '\'')
                {
                    ReadString();
                    continue;
                }

                if (depth == 0 && c is ',' or ')')
                {
                    return text[start..position];
                }

                depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
                position++;
            }

            throw Error("lambda ends early");
        }

        private string ReadString()
        {
            var result = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length)
                {
                    throw Error("unterminated string");
                }

                if (text[position] == '\'')
                {
                    if (position + 1 < text.Length && text[position + 1] == '\'')
                    {
                        result.Append('\'');
                        position += 2;
                        continue;
                    }

                    position++;
                    return result.ToString();
                }

                result.Append(text[position++]);
            }
        }

        private string ReadIdentifier()
        {
            SkipWhitespace();
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$'))
            {
                position++;
            }

            if (start == position)
            {
                throw Error("identifier expected");
            }

            return text[start..position];
        }

        // A user-defined function is called as namespace.name(...).
        private string ReadFunctionName()
        {
            var name = ReadIdentifier();
            if (position < text.Length && text[position] == '.')
            {
                position++;
                name = $"{name}.{ReadIdentifier()}";
            }

            return name;
        }

        private void SkipWhitespace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        private bool TryConsume(char c)
        {
            SkipWhitespace();
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Error($"'{c}' expected");
            }
        }

        private FormatException Error(string problem) =>
            new($"Cannot parse ARM expression at {position} ({problem}): [{text}]");
    }
}
