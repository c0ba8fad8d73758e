using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// EF Core's log, used as a hook: runs <paramref name="action"/> once, on the statement's own thread, right after the
/// first statement of the context that reads <paramref name="table"/>, so a test can act between a store method's
/// statements.
/// </summary>
internal sealed class AfterFirstRead(string table, Action action) : ILoggerFactory, ILogger
{
    private readonly string _from = $"FROM \"{table}\"";
    private int _ran;

    public bool Ran => _ran == 1;

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
        if (line.Contains("Executed DbCommand", StringComparison.Ordinal) && line.Contains(_from, StringComparison.Ordinal) && Interlocked.Exchange(ref _ran, 1) == 0)
        {
            action();
        }
    }
}
