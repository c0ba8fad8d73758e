namespace CredentialBot.Telemetry;

/// <summary>
/// Section "Telemetry". Exporters otherwise follow OpenTelemetry's standard environment variables: OTLP is on when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>_HEADERS</c>,
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_METRIC_EXPORT_INTERVAL</c> as documented by
/// OpenTelemetry), Azure Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; with neither, nothing leaves
/// the process.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The standard variable that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable that picks OTLP's transport.</summary>
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>The standard variable that names the service.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>Application Insights' connection string (infra/azure.bicep sets it); turns the Azure Monitor exporter on.</summary>
    public const string AppInsightsVariable = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The resource attribute that tells instances apart.</summary>
    public const string InstanceIdAttribute = "instance.id";

    /// <summary>Writes spans and metrics to the console too (local diagnosis).</summary>
    public bool Console { get; set; }

    /// <summary>
    /// This instance's name in telemetry (<c>instance.id</c> and <c>service.instance.id</c>); by default App Service's
    /// <c>WEBSITE_INSTANCE_ID</c>, else the machine name (a container's host name) and the process id.
    /// </summary>
    public string? InstanceId { get; set; }
}
