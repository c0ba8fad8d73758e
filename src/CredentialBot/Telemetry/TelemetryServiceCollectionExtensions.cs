using System.Reflection;
using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CredentialBot.Telemetry;

/// <summary>
/// Telemetry: the OpenTelemetry SDK listening to the bot's own sources (<see cref="TelemetrySources"/>), ASP.NET Core,
/// HttpClient and the runtime, under a resource that names this instance. Exporters follow the standard environment
/// variables (<see cref="TelemetryOptions"/>); without one configured, spans and metrics stay in the process.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    private const string DefaultServiceName = "credentialbot";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        var settings = configuration.GetSection(TelemetryOptions.SectionName);
        var console = bool.TryParse(settings[nameof(TelemetryOptions.Console)], out var on) && on;
        var instanceId = settings[nameof(TelemetryOptions.InstanceId)] is { Length: > 0 } configured ? configured : DefaultInstanceId(configuration);
        var appInsights = configuration[TelemetryOptions.AppInsightsVariable];
        var version = typeof(TelemetryServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(configuration[TelemetryOptions.ServiceNameVariable] is { Length: > 0 } name ? name : DefaultServiceName, serviceVersion: version, serviceInstanceId: instanceId)
                .AddAttributes([new(TelemetryOptions.InstanceIdAttribute, instanceId)]))
            .WithTracing(tracing =>
            {
                tracing.AddSource([.. TelemetrySources.Traces])
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (appInsights is { Length: > 0 })
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = appInsights);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. TelemetrySources.Meters])
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }

                if (appInsights is { Length: > 0 })
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = appInsights);
                }
            });

        // OTLP reads the rest of its settings (protocol, headers, per-signal endpoints, intervals) from OTEL_* itself.
        if (configuration[TelemetryOptions.OtlpEndpointVariable] is { Length: > 0 })
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>Health probes arrive every few seconds from the platform; tracing them would drown the bot's own spans.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>App Service names each instance; elsewhere the machine (a container's host name) and the process.</summary>
    private static string DefaultInstanceId(IConfiguration configuration) =>
        configuration["WEBSITE_INSTANCE_ID"] is { Length: > 0 } appService
            ? appService
            : $"{Environment.MachineName}:{Environment.ProcessId}";
}
