using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AlumniNetwork.Core.Surveys;

/// <summary>
/// One free-text answer in its own row, beside the response it belongs to, so that a page of one question's comments
/// is one range read. It holds the text, the wave (the one thing the comments page filters by) and its own key, which
/// orders the comments and pages them: never the person, in either mode, and nothing shared with the response's other
/// comments (ADR 0026).
/// </summary>
public sealed record SurveyComment(SurveyWave Wave, string QuestionId, string Key, string Text);

/// <summary>What saving a response does to its comment rows: rows to write (new or changed text) and rows to remove.</summary>
public sealed record CommentChanges(IReadOnlyList<SurveyComment> Put, IReadOnlyList<SurveyComment> Removed)
{
    public static CommentChanges None { get; } = new([], []);
}

/// <summary>
/// The comment rows of a response (ADR 0026): one per free-text question it answered with some text, written in the
/// transaction that saves the response and its cell. Each row's key is derived from the response's random comment key
/// and the question (<see cref="RowKey"/>), so the response finds its rows again on a change or an erasure, while two
/// comments of one response have keys as unrelated as any two people's: neither their order in two questions' lists nor
/// a page cursor links them.
/// </summary>
public static partial class SurveyComments
{
    /// <summary>A new response's comment key: random, the secret its comment rows' keys come from (<see cref="RowKey"/>).</summary>
    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A key as the comments page's cursor carries it (a comment row's key): 32 lower-case hex digits.</summary>
    public static bool IsKey(string? key) => key is not null && Key().IsMatch(key);

    /// <summary>
    /// The key of the comment row of one question under a response's comment key: HMAC-SHA256 keyed by the comment key,
    /// 128 bits. Without the comment key (which only the response holds) one row's key says nothing of another's.
    /// </summary>
    public static string RowKey(string commentKey, string questionId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromHexString(commentKey), Encoding.UTF8.GetBytes("comment:" + questionId)))[..32];

    /// <summary>The comment rows <paramref name="response"/> has: none before it has a comment key.</summary>
    public static IReadOnlyList<SurveyComment> Of(SurveyContent content, SurveyResponse response) =>
        response.CommentKey is not { } key ? [] :
        content.Questions
            .Where(q => q.Kind == QuestionKind.FreeText && response.Answers.Of(q.Id) is [{ Length: > 0 }])
            .Select(q => new SurveyComment(response.Wave, q.Id, RowKey(key, q.Id), response.Answers.Of(q.Id)[0]))
            .ToArray();

    /// <summary>
    /// From <paramref name="before"/> (null for a first answer) to <paramref name="after"/> (same comment key, so the same
    /// row key per question): new or changed texts are written over their row, unchanged ones left alone, and texts no
    /// longer given removed.
    /// </summary>
    public static CommentChanges Changes(SurveyContent content, SurveyResponse? before, SurveyResponse after)
    {
        var old = before is null ? [] : Of(content, before);
        var now = Of(content, after);
        var put = now.Where(c => !old.Any(o => o.Key == c.Key && o.QuestionId == c.QuestionId && o.Text == c.Text)).ToArray();
        var removed = old.Where(o => !now.Any(c => c.Key == o.Key && c.QuestionId == o.QuestionId)).ToArray();
        return new CommentChanges(put, removed);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Key();
}
