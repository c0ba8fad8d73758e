using CredentialBot.Shared.Jobs;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>Scanning: the tenant read into the store (full, then delta), notices planned with each batch, every <c>Scanner:Interval</c>.</summary>
public static class ScanningServiceCollectionExtensions
{
    public static IServiceCollection AddScanning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScannerOptions>().Bind(configuration.GetSection(ScannerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ScanJob>();
        services.AddSingleton<ScanRest>();
        services.AddSingleton<DeltaLinkOrigin>();
        services.AddSingleton<ScanHealth>();
        services.AddSingleton<ScanCoordinator>();

        // Rounds only look whether a scan is due (the interval is kept in the store, shared by every instance).
        return services.AddPeriodicJob<ScanRound>(sp =>
        {
            var scanner = sp.GetRequiredService<IOptions<ScannerOptions>>().Value;
            return new JobSchedule(scanner.Enabled, ScanRound.PollEvery(scanner), scanner.ScanAtStart);
        });
    }
}
