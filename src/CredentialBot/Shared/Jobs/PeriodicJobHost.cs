namespace CredentialBot.Shared.Jobs;

/// <summary>
/// The one loop around every periodic job: each round in a fresh scope, on the job's schedule, driven by
/// <see cref="TimeProvider"/>. A failed round is logged and the next one runs on time; it never stops the host.
/// </summary>
internal sealed class PeriodicJobHost<TJob>(IServiceScopeFactory scopes, Func<IServiceProvider, JobSchedule> schedule, IServiceProvider services, TimeProvider time, ILogger<PeriodicJobHost<TJob>> logger) : BackgroundService
    where TJob : class, IPeriodicJob
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var plan = schedule(services);
        if (!plan.Enabled)
        {
            return;
        }

        try
        {
            if (plan.RunAtStart || plan.Wake is not null)
            {
                await RunOnceAsync(stoppingToken);
            }

            if (plan.Wake is { } wake)
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    await wake.WaitAsync(plan.Interval, time, stoppingToken);
                    await RunOnceAsync(stoppingToken);
                }

                return;
            }

            using var timer = new PeriodicTimer(plan.Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TJob>().RunOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed round is logged and retried on the next tick; it must not stop the host.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            JobLog.RoundFailed(logger, typeof(TJob).Name, ex);
        }
    }
}
