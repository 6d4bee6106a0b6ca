namespace AlumniNetwork.Functions.Tests.Hostile;

/// <summary>What a refused request must answer with.</summary>
public enum Answer
{
    /// <summary>RFC 9457 problem details (JSON endpoints and transport-level refusals).</summary>
    Problem,

    /// <summary>A readable HTML page in both languages (alumni pages).</summary>
    Page,

    /// <summary>SendGrid's own error format (the development SendGrid sink).</summary>
    SendGridErrors,
}

/// <summary>An answer as received: status, media type and body text.</summary>
public sealed record Reply(int Status, string? MediaType, string Body);

/// <summary>One generated bad request: how to send it and what it must be answered with.</summary>
/// <param name="Id">Unique and stable: the test's name in the results.</param>
/// <param name="Statuses">The 4xx statuses that are right for it.</param>
/// <param name="Names">Fields of which the problem's <c>errors</c> must name at least one (the field a bad body broke, a bad query's keys).</param>
public sealed record HostileCase(string Id, string Endpoint, IReadOnlyList<int> Statuses, Answer Answer, Func<HostileContext, Task<Reply>> Send,
    IReadOnlyList<string>? Names = null)
{
    public override string ToString() => Id;
}
