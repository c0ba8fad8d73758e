using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Store.Audit;

/// <summary>
/// The checkpoint loop: at start (keying a store that never was, so a wrong or lost key stops the start with a
/// message naming the setting), every <c>Audit:CheckpointInterval</c> when the trail moved, as soon as
/// <c>Audit:CheckpointEveryEvents</c> events were appended, and at stop. Its timer runs on <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class AuditCheckpointService(AuditCheckpointer checkpointer, AuditChain chain, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditCheckpointService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A wrong or lost key stops the start; a checkpoint that cannot be written only logs, and is tried again.
        await checkpointer.EnsureKeyedAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync("start", cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await WriteAsync("stop", cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        Task<bool>? tick = null;
        Task? batch = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Both waits stay pending across turns: a PeriodicTimer allows one waiter at a time.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            batch ??= chain.WaitForBatchAsync(stoppingToken);
            var woke = await Task.WhenAny(tick, batch).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            string reason;
            if (woke == tick)
            {
                tick = null;
                reason = "interval";
            }
            else
            {
                batch = null;
                reason = "batch";
            }

            await WriteAsync(reason, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(string reason, CancellationToken cancellationToken)
    {
        try
        {
            await checkpointer.WriteAsync(reason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or AuditConfigurationException or System.Data.Common.DbException or InvalidOperationException)
        {
            // A failing checkpoint must not stop the bot; the next turn tries again, and the log says why.
            LogFailed(logger, reason, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit checkpoint ({Reason})")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
