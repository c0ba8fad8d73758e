using CredentialBot.Domain;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CredentialBot.Hosting;

/// <summary>Readiness of the tenant directory: one cheap Graph call.</summary>
internal sealed class DirectoryHealthCheck(ITenantDirectory directory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await directory.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The tenant directory did not answer.");
}
