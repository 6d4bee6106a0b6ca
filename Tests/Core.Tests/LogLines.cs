using Microsoft.Extensions.Logging;

namespace AlumniNetwork.Core.Tests;

/// <summary>A logger that keeps each line as the sink would write it, with its level, for tests of what is logged (and what never is).</summary>
internal sealed class LogLines<T> : ILogger<T>
{
    private readonly List<(LogLevel Level, string Line)> entries = [];

    public IReadOnlyList<string> Lines => [.. Entries.Select(e => e.Line)];

    public IReadOnlyList<(LogLevel Level, string Line)> Entries
    {
        get
        {
            lock (entries)
            {
                return [.. entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
