using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// EF Core's log, kept: the log line of every statement a context ran, so a test can count them; a subclass can also act
/// on each one as it runs (<see cref="OnExecuted"/>, on the statement's own thread).
/// </summary>
internal class ExecutedCommands : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<string> _commands = new();

    public IReadOnlyCollection<string> All => _commands;

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
            OnExecuted(line);
        }
    }

    /// <summary>Called right after each statement, with its log line.</summary>
    protected virtual void OnExecuted(string line)
    {
    }
}
