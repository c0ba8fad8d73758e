using CredentialBot.Store.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Services;

/// <summary>
/// A lease this instance holds, renewed in the background every <see cref="LeaseKeeper.RenewEvery"/>.
/// <see cref="Lost"/> is cancelled when the lease is no longer safely ours: a renewal found another holder, or
/// renewals kept failing (the database unreachable) until the next one could come too late. The holder then stops
/// its work before anyone else may take the lease, since others wait for it to expire.
/// Disposing stops renewing and releases the lease; <see cref="CompleteAsync"/> releases it and records the work done.
/// </summary>
public sealed partial class HeldLease : IAsyncDisposable
{
    private readonly LeaseKeeper _keeper;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _heartbeat;
    private long _expiresAtTicks;
    private int _ended;

    internal HeldLease(LeaseKeeper keeper, string name, string holder, DateTimeOffset expiresAt)
    {
        _keeper = keeper;
        Name = name;
        Holder = holder;
        _expiresAtTicks = expiresAt.UtcTicks;
        // Started here, not in the loop, so the first renewal is due RenewEvery after acquiring, whenever the loop runs.
        _timer = new PeriodicTimer(LeaseKeeper.RenewEvery, keeper.Time);
        _heartbeat = Task.Run(HeartbeatAsync);
    }

    public string Name { get; }

    public string Holder { get; }

    /// <summary>When the lease expires unless renewed again, by this instance's clock (at the latest renewal's start).</summary>
    public DateTimeOffset ExpiresAt => new(Interlocked.Read(ref _expiresAtTicks), TimeSpan.Zero);

    /// <summary>Cancelled when the lease is lost; link it with the work's own token.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>
    /// The work is done: stop renewing, release the lease and record its completion (see
    /// <see cref="LeaseStore.LastCompletedAsync"/>); false when the lease had been lost, so nothing was recorded.
    /// </summary>
    public async Task<bool> CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (!await StopAsync().ConfigureAwait(false))
        {
            return false;
        }

        return await _keeper.WithStoreAsync(leases => leases.CompleteAsync(Name, Holder, cancellationToken)).ConfigureAwait(false) == 1;
    }

    /// <summary>Stops renewing and releases the lease, unless it was lost or completed; a failure to release only lets it expire.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (await StopAsync().ConfigureAwait(false))
            {
                await _keeper.WithStoreAsync(leases => leases.ReleaseAsync(Name, Holder)).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Releasing is a courtesy: an unreleased lease expires by itself within LeaseKeeper.Duration.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReleaseFailed(_keeper.Logger, ex, Name);
        }
        finally
        {
            _lost.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>Ends the heartbeat once; true when the lease is still ours to release.</summary>
    private async Task<bool> StopAsync()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 1)
        {
            return false;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !IsLost;
    }

    private async Task HeartbeatAsync()
    {
        var time = _keeper.Time;
        using var timer = _timer;
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var attemptedAt = time.GetUtcNow();
                try
                {
                    if (!await _keeper.WithStoreAsync(leases => leases.RenewAsync(Name, Holder, LeaseKeeper.Duration, _stop.Token)).ConfigureAwait(false))
                    {
                        LogTaken(_keeper.Logger, Name);
                        StoreTelemetry.RecordRenewal(Name, "lost");
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    Interlocked.Exchange(ref _expiresAtTicks, (attemptedAt + LeaseKeeper.Duration).UtcTicks);
                    StoreTelemetry.RecordRenewal(Name, "renewed");
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Any failure to renew (the database down, retries exhausted) is handled the same way below.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRenewFailed(_keeper.Logger, ex, Name);
                    StoreTelemetry.RecordRenewal(Name, "failed");
                    // The next attempt could land after the expiry, when another instance may already hold the lease.
                    if (time.GetUtcNow() + LeaseKeeper.RenewEvery >= ExpiresAt)
                    {
                        LogGivenUp(_keeper.Logger, Name);
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by CompleteAsync or DisposeAsync.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease} was taken by another instance; stopping the work it guarded")]
    private static partial void LogTaken(ILogger logger, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing lease {Lease} failed; trying again")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {Lease} could not be renewed before it expires; stopping the work it guarded")]
    private static partial void LogGivenUp(ILogger logger, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing lease {Lease} failed; it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string lease);
}
