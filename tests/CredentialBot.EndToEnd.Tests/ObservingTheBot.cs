using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.Digests;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Scanning;
using CredentialBot.Simulator;
using CredentialBot.Store.Diagnostics;
using CredentialBot.Telemetry;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// What an operator sees through OpenTelemetry: a span and metrics for each activity, Graph request, scan, send and
/// janitor round, with the attributes that make them useful, under a resource naming the instance; and no secret, token
/// or card data anywhere in them. The host's own telemetry registration is used, with an in-memory exporter added.
/// </summary>
/// <remarks>
/// The bot's activity sources and meters are static, so every host in this process feeds every listener: these tests
/// run alone (<see cref="RunningAlone"/>) so what they read is only their own host's.
/// </remarks>
[Collection(RunningAlone.Name)]
public sealed class ObservingTheBot : IAsyncLifetime
{
    private const string InstanceId = "bot-under-observation-7";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly BotHost _bot;

    public ObservingTheBot()
    {
        _bot = new BotHost()
            .With("Telemetry:InstanceId", InstanceId)
            .WithServices(services => services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddInMemoryExporter(_spans))
                .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics)));
    }

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task EveryActivity_IsASpan_WithItsRouteKeyOutcomeAndLatency_AndCountsInTheRequestRate()
    {
        await _bot.SendMessageAsync("help");
        var (status, _) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = new JsonObject { ["dialog"] = "no-such-dialog" } }, BotHost.Alex, "Alex Wilber");
        var (unrouted, _) = await _bot.InvokeAsync("attacker/chosen-name-1234", new JsonObject(), BotHost.Alex, "Alex Wilber");

        var message = Assert.Single(Spans(BotTelemetry.ActivitySpan), s => Tag(s, BotTelemetry.RouteKeyAttribute) == "message");
        Assert.Equal("Activity", Tag(message, BotTelemetry.RouteKindAttribute));
        Assert.Equal("ok", Tag(message, BotTelemetry.OutcomeAttribute));
        Assert.True(message.Duration > TimeSpan.Zero);

        var fetch = Assert.Single(Spans(BotTelemetry.ActivitySpan), s => Tag(s, BotTelemetry.RouteKeyAttribute) == "task/fetch");
        Assert.Equal("Invoke", Tag(fetch, BotTelemetry.RouteKindAttribute));
        Assert.Equal(BotTelemetry.OutcomeOf((int)status), Tag(fetch, BotTelemetry.OutcomeAttribute));

        // A name nobody routes is recorded as unrouted: a caller cannot mint attribute values or metric series.
        Assert.Equal(HttpStatusCode.NotImplemented, unrouted);
        var refused = Assert.Single(Spans(BotTelemetry.ActivitySpan), s => Tag(s, BotTelemetry.OutcomeAttribute) == "not_implemented");
        Assert.Equal(BotTelemetry.Unrouted, Tag(refused, BotTelemetry.RouteKeyAttribute));
        Assert.DoesNotContain(AllRecordedText(), text => text.Contains("attacker/chosen-name", StringComparison.Ordinal));

        var rate = Points(BotTelemetry.ActivitiesMetric);
        Assert.Contains(rate, p => p.Tags[BotTelemetry.RouteKeyAttribute] == "message" && p.Tags[BotTelemetry.OutcomeAttribute] == "ok" && p.Sum >= 1);
        Assert.Contains(Points(BotTelemetry.InvokeDurationMetric), p => p.Tags[BotTelemetry.RouteKeyAttribute] == "task/fetch" && p.Count == 1);
        Assert.DoesNotContain(Points(BotTelemetry.InvokeDurationMetric), p => p.Tags[BotTelemetry.RouteKindAttribute] == "Activity");
    }

    [Fact]
    public async Task AnActivityRefusedAtTheEdge_CountsInTheRequestRate_AsRefused()
    {
        var activity = _bot.Activity("message", BotHost.Alex, "Alex Wilber", $"a:personal-{BotHost.Alex}");
        using var response = await _bot.PostAsync(activity, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(Points(BotTelemetry.ActivitiesMetric), p => p.Tags[BotTelemetry.OutcomeAttribute] == "refused" && p.Tags[BotTelemetry.RouteKindAttribute] == "None");
    }

    [Fact]
    public void EachGraphRequest_IsASpanFromTheSdksHandlerChain_AndMeasured()
    {
        // The host's first scan (a full listing, in InitializeAsync) read the tenant.
        var requests = Spans(DirectoryTelemetry.RequestSpan);
        Assert.Contains(requests, s => Tag(s, DirectoryTelemetry.ResourceAttribute) == "applications" && Tag(s, DirectoryTelemetry.MethodAttribute) == "GET" && Tag(s, DirectoryTelemetry.StatusCodeAttribute) == "200");
        Assert.Contains(requests, s => Tag(s, DirectoryTelemetry.ResourceAttribute) == "$batch");
        Assert.All(requests, s => Assert.Equal("low", Tag(s, DirectoryTelemetry.PriorityAttribute)));
        Assert.All(requests, s => Assert.Equal(ActivityKind.Client, s.Kind));
        // The request leaves through HttpClient too: its span is a child of the SDK chain's.
        Assert.Contains(_spans, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http" && requests.Any(r => r.SpanId == s.ParentSpanId));

        Assert.Contains(Points(DirectoryTelemetry.RequestsMetric), p => p.Tags[DirectoryTelemetry.ResourceAttribute] == "applications" && p.Tags[DirectoryTelemetry.StatusCodeAttribute] == "200");
        Assert.Contains(Points(DirectoryTelemetry.RequestDurationMetric), p => p.Tags[DirectoryTelemetry.ResourceAttribute] == "applications" && p.Count >= 1);
    }

    [Fact]
    public async Task AScan_IsASpan_WithPagesObjectsThrottledRequestsAndDuration_AroundItsGraphRequests()
    {
        _spans.Clear();
        var result = await ScanAsync();

        var scan = Assert.Single(Spans(HostTelemetry.ScanSpan));
        Assert.Equal("succeeded", Tag(scan, HostTelemetry.OutcomeAttribute));
        Assert.Equal((result.Applications + result.ServicePrincipals).ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(scan, HostTelemetry.ScanObjectsAttribute));
        Assert.True(long.Parse(Tag(scan, HostTelemetry.ScanPagesAttribute)!, System.Globalization.CultureInfo.InvariantCulture) >= 2, "a page of applications and one of service principals (or delta pages)");
        var graphRequests = Spans(DirectoryTelemetry.RequestSpan);
        Assert.Equal(graphRequests.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(scan, HostTelemetry.ScanRequestsAttribute));
        Assert.Equal("0", Tag(scan, HostTelemetry.ScanThrottledAttribute));
        Assert.All(graphRequests, r => Assert.Equal(scan.TraceId, r.TraceId));

        Assert.Contains(Points(HostTelemetry.ScanDurationMetric), p => p.Tags[HostTelemetry.OutcomeAttribute] == "succeeded" && p.Count >= 1);
        Assert.Contains(Points(HostTelemetry.ScanObjectsMetric), p => p.Tags[HostTelemetry.CollectionAttribute] == "Application" && p.Sum > 0);
    }

    [Fact]
    public async Task ASend_IsASpan_WithItsOutcomeAndRetries_AndTheOutboxDepthIsMeasured()
    {
        await _bot.InstallAsync();
        _bot.Connector.SendStatus = HttpStatusCode.TooManyRequests;
        await ScanAsync();
        await DispatchAsync();

        // Only Alex installed the bot: the others' notices wait (not_installed), his digest is throttled.
        var throttled = Assert.Single(Spans(HostTelemetry.SendSpan), s => Tag(s, HostTelemetry.OutcomeAttribute) == HostTelemetry.SendOutcomes.Throttled);
        Assert.Contains(Spans(HostTelemetry.SendSpan), s => Tag(s, HostTelemetry.OutcomeAttribute) == HostTelemetry.SendOutcomes.NotInstalled);
        Assert.Equal(HostTelemetry.SendOutcomes.Throttled, Tag(throttled, HostTelemetry.OutcomeAttribute));
        Assert.Equal("0", Tag(throttled, HostTelemetry.SendRetriesAttribute));
        Assert.Equal("3", Tag(throttled, HostTelemetry.SendConnectorRetriesAttribute));
        Assert.Contains(Points(BotTelemetry.ConnectorRetriesMetric), p => p.Tags[BotTelemetry.StatusCodeAttribute] == "429" && p.Sum == 3);
        Assert.Contains(Points(StoreTelemetry.OutboxDepthMetric), p => p.Tags[StoreTelemetry.StatusAttribute] == "Pending" && p.Value > 0);

        // The notices come due again after their back-off; the Connector accepts this time.
        _bot.Connector.SendStatus = HttpStatusCode.OK;
        _bot.Time.Advance(TimeSpan.FromDays(1));
        await DispatchAsync();

        var sent = Assert.Single(Spans(HostTelemetry.SendSpan), s => Tag(s, HostTelemetry.OutcomeAttribute) == HostTelemetry.SendOutcomes.Sent);
        Assert.Equal("1", Tag(sent, HostTelemetry.SendRetriesAttribute));
        Assert.True(int.Parse(Tag(sent, HostTelemetry.SendNoticesAttribute)!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(Points(HostTelemetry.SendsMetric), p => p.Tags[HostTelemetry.OutcomeAttribute] == HostTelemetry.SendOutcomes.Sent && p.Sum == 1);
        Assert.Contains(Points(HostTelemetry.SendsMetric), p => p.Tags[HostTelemetry.OutcomeAttribute] == HostTelemetry.SendOutcomes.Throttled && p.Sum == 1);
        Assert.All(StoreTelemetry.DepthStatuses, status => Assert.Contains(Points(StoreTelemetry.OutboxDepthMetric), p => p.Tags[StoreTelemetry.StatusAttribute] == status.ToString()));
    }

    [Fact]
    public async Task AJanitorRound_IsASpan_WithAChildSpanPerChore_AndItsDurationIsMeasured()
    {
        await _bot.RunJanitorAsync();

        var round = Assert.Single(Spans(HostTelemetry.JanitorSpan));
        Assert.Equal("succeeded", Tag(round, HostTelemetry.OutcomeAttribute));
        var chores = Spans(HostTelemetry.JanitorChoreSpan).Where(c => c.ParentSpanId == round.SpanId).ToList();
        Assert.NotEmpty(chores);
        Assert.Equal(chores.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Tag(round, HostTelemetry.ChoresAttribute));
        Assert.Contains(chores, c => Tag(c, HostTelemetry.ChoreAttribute)!.Contains("Secret", StringComparison.Ordinal));
        Assert.Contains(Points(HostTelemetry.JanitorDurationMetric), p => p.Tags[HostTelemetry.OutcomeAttribute] == "succeeded" && p.Count == 1);
    }

    [Fact]
    public void TheResource_NamesTheServiceAndThisInstance()
    {
        var resource = _bot.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal(InstanceId, resource[TelemetryOptions.InstanceIdAttribute]);
        Assert.Equal(InstanceId, resource["service.instance.id"]);
        Assert.Equal("credentialbot", resource["service.name"]);
    }

    [Fact]
    public async Task AfterARotation_NoSpanOrMetricCarriesTheSecret_ATokenOrCardData()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("status Payroll API");
        var status = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(status, "Rotate now"), ["context"] = new JsonObject { ["theme"] = "default" } }, BotHost.Alex, "Alex Wilber");
        const string Description = "card-data-marker 55501";
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Create the new secret", ("lifetime", "90"), ("grace", "7"), ("description", Description)), BotHost.Alex, "Alex Wilber");
        var secret = InputValue(DialogCard(answer), "secretValue")!;
        Assert.Equal(2, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        await _bot.RunJanitorAsync();
        await DispatchAsync();

        // The rotation was observed: its addPassword went to Graph under a span.
        Assert.Contains(Spans(DirectoryTelemetry.RequestSpan), s => Tag(s, DirectoryTelemetry.MethodAttribute) == "POST" && Tag(s, DirectoryTelemetry.ResourceAttribute) == "applications" && Tag(s, DirectoryTelemetry.PriorityAttribute) == "high");
        var recorded = AllRecordedText();
        Assert.NotEmpty(recorded);
        Assert.DoesNotContain(recorded, text => text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(recorded, text => text.Contains(secret[..8], StringComparison.Ordinal));
        // Inbound Bot Connector JWTs and the outbound token.
        Assert.DoesNotContain(recorded, text => text.Contains("eyJ", StringComparison.Ordinal));
        Assert.DoesNotContain(recorded, text => text.Contains("outbound-test-token", StringComparison.Ordinal));
        Assert.DoesNotContain(recorded, text => text.Contains("Bearer", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(recorded, text => text.Contains("card-data-marker", StringComparison.Ordinal));
        Assert.DoesNotContain(recorded, text => text.Contains("Alex Wilber", StringComparison.Ordinal));
    }

    private async Task<ScanResult> ScanAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().RunOnceAsync(CancellationToken.None);
    }

    private async Task DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None));
    }

    private List<Activity> Spans(string name)
    {
        lock (_spans)
        {
            return [.. _spans.Where(s => s.OperationName == name)];
        }
    }

    private static string? Tag(Activity span, string key) => span.GetTagItem(key) switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };

    /// <summary>The metric's points after a flush: its attributes, and its sum, count or last value.</summary>
    private List<Point> Points(string metricName, bool required = true)
    {
        _metrics.Clear();
        Assert.True(_bot.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        var points = new List<Point>();
        foreach (var metric in _metrics.Where(m => m.Name == metricName))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
                }

                points.Add(metric.MetricType switch
                {
                    MetricType.Histogram => new Point(tags, point.GetHistogramSum(), point.GetHistogramCount(), 0),
                    MetricType.LongSum => new Point(tags, point.GetSumLong(), 0, 0),
                    MetricType.DoubleSum => new Point(tags, point.GetSumDouble(), 0, 0),
                    MetricType.LongGauge => new Point(tags, 0, 0, point.GetGaugeLastValueLong()),
                    _ => new Point(tags, 0, 0, 0),
                });
            }
        }

        Assert.True(points.Count > 0 || !required, $"No points for {metricName}.");
        return points;
    }

    /// <summary>Every string an exporter would send: span names, attribute values, event names and attributes, metric attributes, the resource.</summary>
    private List<string> AllRecordedText()
    {
        var texts = new List<string>();
        lock (_spans)
        {
            foreach (var span in _spans)
            {
                texts.Add(span.DisplayName);
                texts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                texts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}").Append(e.Name)));
                texts.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
                texts.Add(span.TraceStateString ?? string.Empty);
            }
        }

        foreach (var metric in new[] { BotTelemetry.ActivitiesMetric, BotTelemetry.InvokeDurationMetric, DirectoryTelemetry.RequestsMetric, HostTelemetry.SendsMetric })
        {
            texts.AddRange(Points(metric, required: false).SelectMany(p => p.Tags.Select(t => $"{t.Key}={t.Value}")));
        }

        texts.AddRange(_bot.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.Select(a => $"{a.Key}={a.Value}"));
        return texts;
    }

    private sealed record Point(Dictionary<string, string?> Tags, double Sum, long Count, long Value);
}
