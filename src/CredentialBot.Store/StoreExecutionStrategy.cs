using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace CredentialBot.Store;

/// <summary>
/// PostgreSQL's transient failures (a restart, a failover, a dropped connection, a serialization failure) are retried:
/// an operation on its own, or a whole transaction run through <see cref="StoreTransactions"/>, runs again on a fresh
/// connection. Npgsql's retrying strategy refuses every operation inside a transaction begun outside it; this one runs
/// such operations once, without retrying (a statement cannot be retried inside a transaction the failure ended), so
/// code that begins its own transaction keeps working and gets retries when it moves to
/// <see cref="StoreTransactions.InTransactionAsync{T}"/>.
/// </summary>
internal sealed class StoreExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries, MaxDelay, ShutdownErrors)
{
    /// <summary>
    /// Six retries with exponential back-off capped at 10 s wait about half a minute in all: longer than a restart
    /// or a managed failover takes, short enough that a caller (a chat command) still gets an answer.
    /// </summary>
    public const int MaxRetries = 6;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What a restarting or failing-over server says before it drops the connection: admin_shutdown (a fast shutdown,
    /// or pg_terminate_backend), crash_shutdown, and cannot_connect_now (still starting, or shutting down). Retrying
    /// reconnects to the server once it is back.
    /// </summary>
    private static readonly string[] ShutdownErrors = ["57P01", "57P02", "57P03"];

    private bool _inCallersTransaction;

    /// <summary>
    /// Runs before an operation's first attempt: inside a transaction the caller began, the base class would throw;
    /// this notes it instead, and <see cref="ShouldRetryOn"/> then retries nothing.
    /// </summary>
    protected override void OnFirstExecution()
    {
        _inCallersTransaction = Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;
        if (_inCallersTransaction)
        {
            ExceptionsEncountered.Clear();
            return;
        }

        base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) => !_inCallersTransaction && base.ShouldRetryOn(exception);
}
