using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CredentialBot.Scanning;

/// <summary>
/// Readiness of scanning: degraded, saying why and when it retries, while this instance's scans fail. The bot still
/// answers from the store meanwhile, so this never makes the instance unready on its own.
/// </summary>
public sealed class ScanHealthCheck(ScanHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = health.Current;
        if (state.FailuresInARow == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy(state.LastSucceededAt is { } at
                ? string.Create(CultureInfo.InvariantCulture, $"The last scan of this instance succeeded at {at:u}.")
                : "This instance has not scanned yet (another instance may hold the scanner)."));
        }

        return Task.FromResult(HealthCheckResult.Degraded(string.Create(
            CultureInfo.InvariantCulture,
            $"{state.FailuresInARow} scan(s) in a row failed, the last at {state.LastFailedAt:u}: {state.LastFailure} Retrying from {state.RetryAt:u}.")));
    }
}
