using Azure.Data.Tables;

namespace AlumniNetwork.Core.Storage;

/// <summary>
/// JSON kept in a row as as many string properties as it needs (<c>Name0</c>, <c>Name1</c>…): one Table Storage string
/// property holds 64 KiB (32,768 UTF-16 characters), an entity 1 MiB.
/// </summary>
internal static class TableJsonColumns
{
    private const int ChunkLength = 30_000;

    public static void Write(TableEntity entity, string name, string? json)
    {
        if (json is null)
        {
            return;
        }

        // JSON written unescaped may hold a character of two UTF-16 halves: both halves go in the same column.
        for (int i = 0, start = 0; start < json.Length; i++)
        {
            var length = Math.Min(ChunkLength, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1]))
            {
                length--;
            }

            entity[$"{name}{i}"] = json.Substring(start, length);
            start += length;
        }
    }

    /// <returns>The JSON, or null when the row holds none under <paramref name="name"/>.</returns>
    public static string? Read(TableEntity entity, string name)
    {
        var chunks = Enumerable.Range(0, 100).Select(i => entity.GetString($"{name}{i}")).TakeWhile(chunk => chunk is not null).ToArray();
        return chunks.Length == 0 ? null : string.Concat(chunks);
    }
}
