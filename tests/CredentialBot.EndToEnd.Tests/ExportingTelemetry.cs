using System.Collections.Concurrent;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The exporter is chosen by OpenTelemetry's standard variables: with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, spans
/// reach an OTLP collector (a local one here, over HTTP/protobuf) under the instance's resource; an endpoint that
/// cannot work stops start-up, naming the variable.
/// </summary>
[Collection(RunningAlone.Name)]
public sealed class ExportingTelemetry
{
    [Fact]
    public async Task WithAnOtlpEndpoint_SpansReachTheCollector_WithTheInstanceId()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var bot = new BotHost()
            .With(TelemetryOptions.OtlpEndpointVariable, collector.Endpoint.ToString().TrimEnd('/'))
            .With(TelemetryOptions.OtlpProtocolVariable, "http/protobuf")
            .With("Telemetry:InstanceId", "exporting-instance-42");
        await bot.InitializeAsync();
        try
        {
            await bot.SendMessageAsync("help");
            Assert.True(bot.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000));

            var traces = collector.Bodies("/v1/traces");
            Assert.NotEmpty(traces);
            var all = string.Join('\n', traces.Select(b => System.Text.Encoding.UTF8.GetString(b)));
            Assert.Contains(BotTelemetry.ActivitySpan, all, StringComparison.Ordinal);
            Assert.Contains(TelemetryOptions.InstanceIdAttribute, all, StringComparison.Ordinal);
            Assert.Contains("exporting-instance-42", all, StringComparison.Ordinal);
        }
        finally
        {
            await bot.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOtlpEndpointThatIsNotAUrl_StopsStartUp_NamingTheVariable()
    {
        var failure = await BotHost.RefusedStartAsync((TelemetryOptions.OtlpEndpointVariable, "collector:4317"));

        Assert.Contains(TelemetryOptions.OtlpEndpointVariable, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheApplicationInsightsConnectionStringTheTemplateSets_TheBotStartsAndTraces()
    {
        // The connection string's ingestion endpoint is a closed local port: the exporter is built and tries, nothing leaves.
        var bot = new BotHost().With(TelemetryOptions.AppInsightsVariable, "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/");
        await bot.InitializeAsync();
        try
        {
            using var response = await bot.SendMessageAsync("help");
            Assert.True(response.IsSuccessStatusCode);
            Assert.NotNull(bot.Services.GetRequiredService<TracerProvider>());
        }
        finally
        {
            await bot.DisposeAsync();
        }
    }

    /// <summary>An OTLP/HTTP receiver: it keeps every body posted to <c>/v1/{signal}</c> and answers 200.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
        private WebApplication _app = null!;

        public Uri Endpoint { get; private set; } = null!;

        public static async Task<OtlpCollector> StartAsync()
        {
            var collector = new OtlpCollector();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            collector._app = builder.Build();
            collector._app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector._received.Enqueue((context.Request.Path, body.ToArray()));
                return Results.Ok();
            });
            await collector._app.StartAsync();
            var address = collector._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            collector.Endpoint = new Uri(address);
            return collector;
        }

        public List<byte[]> Bodies(string path) => [.. _received.Where(r => r.Path == path).Select(r => r.Body)];

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
