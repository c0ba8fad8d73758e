using CredentialBot.Shared.Jobs;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>Scanning: the tenant read into the store (full, then delta), notices planned with each batch, every <c>Scanner:Interval</c>.</summary>
public static class ScanningServiceCollectionExtensions
{
    public static IServiceCollection AddScanning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScannerOptions>().Bind(configuration.GetSection(ScannerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ScannerLease>();
        services.AddScoped<ScanJob>();
        return services.AddPeriodicJob<ScanRound>(sp =>
        {
            var scanner = sp.GetRequiredService<IOptions<ScannerOptions>>().Value;
            return new JobSchedule(scanner.Enabled, scanner.Interval, scanner.ScanAtStart);
        });
    }
}
