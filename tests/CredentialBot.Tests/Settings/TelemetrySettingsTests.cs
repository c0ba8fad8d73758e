using CredentialBot.Telemetry;
using Microsoft.Extensions.Configuration;

namespace CredentialBot.Tests.Settings;

/// <summary>Telemetry settings that would silently drop every span stop start-up, naming the setting.</summary>
public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("http://otel-collector:4317", "grpc")]
    [InlineData("https://collector.example.com:4318", "http/protobuf")]
    public void AnOtlpEndpointAndProtocolOpenTelemetryKnows_IsFine(string? endpoint, string? protocol) =>
        Assert.True(Validate(new TelemetryOptions(), (TelemetryOptions.OtlpEndpointVariable, endpoint), (TelemetryOptions.OtlpProtocolVariable, protocol)).Succeeded);

    [Theory]
    [InlineData("otel-collector:4317")]
    [InlineData("/v1/traces")]
    [InlineData("ftp://collector.example.com")]
    public void AnOtlpEndpointThatIsNotAnHttpUrl_IsRefused_NamingTheVariable(string endpoint) =>
        Assert.Contains(TelemetryOptions.OtlpEndpointVariable, Validate(new TelemetryOptions(), (TelemetryOptions.OtlpEndpointVariable, endpoint)).FailureMessage, StringComparison.Ordinal);

    [Fact]
    public void AnOtlpProtocolOpenTelemetryDoesNotKnow_IsRefused_NamingTheVariable() =>
        Assert.Contains(TelemetryOptions.OtlpProtocolVariable, Validate(new TelemetryOptions(), (TelemetryOptions.OtlpProtocolVariable, "http/json")).FailureMessage, StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public void AnInstanceIdThatCannotNameAnInstance_IsRefused(string id) =>
        Assert.Contains("Telemetry:InstanceId", Validate(new TelemetryOptions { InstanceId = id }).FailureMessage, StringComparison.Ordinal);

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(TelemetryOptions options, params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        return new TelemetryOptionsValidator(configuration).Validate(null, options);
    }
}
