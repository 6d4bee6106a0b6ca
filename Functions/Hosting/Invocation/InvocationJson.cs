using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlumniNetwork.Functions.Hosting.Invocation;

internal static class InvocationJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
