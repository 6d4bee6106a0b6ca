using System.Collections.Concurrent;

namespace AlumniNetwork.Functions.Tests.Support;

/// <summary>The app's log records, kept in memory so a test can assert on their level and content.</summary>
public sealed class CapturedLogs
{
    private readonly ConcurrentQueue<CapturedLog> records = new();

    public IReadOnlyList<CapturedLog> Records => records.ToArray();

    /// <summary>A provider for the app's logging builder that writes into these records.</summary>
    public ILoggerProvider CreateProvider() => new Provider(records);

    private sealed class Provider(ConcurrentQueue<CapturedLog> records) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, records);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            records.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception));
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception);
