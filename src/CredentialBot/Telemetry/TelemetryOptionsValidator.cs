using Microsoft.Extensions.Options;

namespace CredentialBot.Telemetry;

/// <summary>
/// Checks the telemetry settings at start-up, naming the setting: an OTLP endpoint that is not an absolute http(s) URL,
/// or a protocol OpenTelemetry does not know, would otherwise drop every span silently.
/// </summary>
public sealed class TelemetryOptionsValidator(IConfiguration configuration) : IValidateOptions<TelemetryOptions>
{
    private const int MaxInstanceIdLength = 128;

    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> problems = [];
        if (configuration[TelemetryOptions.OtlpEndpointVariable] is { Length: > 0 } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add($"{TelemetryOptions.OtlpEndpointVariable} must be an absolute http:// or https:// URL (the collector's OTLP endpoint), not '{endpoint}'.");
        }

        if (configuration[TelemetryOptions.OtlpProtocolVariable] is { Length: > 0 } protocol && protocol is not ("grpc" or "http/protobuf"))
        {
            problems.Add($"{TelemetryOptions.OtlpProtocolVariable} must be 'grpc' or 'http/protobuf', not '{protocol}'.");
        }

        if (options.InstanceId is { } id && (id.Length is 0 or > MaxInstanceIdLength || id.Any(char.IsControl)))
        {
            problems.Add($"Telemetry:InstanceId must be 1 to {MaxInstanceIdLength} printable characters.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
