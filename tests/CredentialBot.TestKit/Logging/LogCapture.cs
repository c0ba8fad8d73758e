using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CredentialBot.TestKit.Logging;

/// <summary>
/// Every log line written, at every level and category, with exceptions, for tests that search them (the host's log
/// in end-to-end tests, EF Core's log of a store under attack).
/// </summary>
public sealed class LogCapture : ILoggerProvider, ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Line)> _entries = new();

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Line)];

    /// <summary>Lines at <paramref name="level"/> or above (what a console would show as <c>fail:</c> for Error).</summary>
    public IReadOnlyList<string> AtLeast(LogLevel level) => [.. _entries.Where(e => e.Level >= level).Select(e => e.Line)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    void ILoggerFactory.AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            entries.Enqueue((LogLevel.Trace, $"{category} scope: {state}"));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            entries.Enqueue((logLevel, $"{logLevel} {category}: {formatter(state, exception)} {state} {exception}"));
        }
    }
}
