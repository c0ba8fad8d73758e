using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>EF Core's log, kept: the text of every statement a context ran, so a test can say which tables it read.</summary>
internal sealed class ExecutedCommands : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<string> _commands = new();

    public IReadOnlyCollection<string> All => _commands;

    public int Reading(string table) => _commands.Count(c => c.Contains($"FROM \"{table}\"", StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        if (line.Contains("Executed DbCommand", StringComparison.Ordinal))
        {
            _commands.Enqueue(line);
        }
    }
}
