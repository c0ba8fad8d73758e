using System.Diagnostics;
using System.Net;

namespace CredentialBot.Directory.Diagnostics;

/// <summary>
/// Last in the Graph SDK's handler chain, after its retry handler, so every attempt on the wire is one span and one
/// measurement, and every 429 is counted even when the SDK's retry later succeeds.
/// </summary>
internal sealed class GraphWireTelemetry : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var span = DirectoryTelemetry.Source.StartActivity(DirectoryTelemetry.RequestSpan, ActivityKind.Client);
        var started = Stopwatch.GetTimestamp();
        var tags = new TagList
        {
            { DirectoryTelemetry.MethodAttribute, request.Method.Method },
            { DirectoryTelemetry.ResourceAttribute, DirectoryTelemetry.ResourceOf(request.RequestUri) },
            { DirectoryTelemetry.PriorityAttribute, PriorityOf(request) },
        };
        if (span is not null)
        {
            foreach (var tag in tags)
            {
                span.SetTag(tag.Key, tag.Value);
            }

            span.SetTag(DirectoryTelemetry.ServerAddressAttribute, request.RequestUri?.Host);
            span.SetTag(DirectoryTelemetry.ServerPortAttribute, request.RequestUri?.Port);
        }

        var status = 0;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                span?.SetTag(DirectoryTelemetry.RetryAfterAttribute, retryAfter?.TotalSeconds);
                DirectoryTelemetry.Throttled.Add(1, tags);
            }

            return response;
        }
        finally
        {
            GraphTally.Current?.Request(throttled: status == (int)HttpStatusCode.TooManyRequests);
            tags.Add(DirectoryTelemetry.StatusCodeAttribute, status);
            DirectoryTelemetry.Requests.Add(1, tags);
            DirectoryTelemetry.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            if (span is not null)
            {
                span.SetTag(DirectoryTelemetry.StatusCodeAttribute, status);
                if (status is 0 or >= 500)
                {
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }

    private static string PriorityOf(HttpRequestMessage request) =>
        request.Headers.TryGetValues(GraphTenantDirectory.ThrottlePriorityHeader, out var values) && values.FirstOrDefault() is { } value
            && (value.Equals(GraphTenantDirectory.LowPriority, StringComparison.OrdinalIgnoreCase) || value.Equals(GraphTenantDirectory.HighPriority, StringComparison.OrdinalIgnoreCase))
            ? value.ToLowerInvariant()
            : "normal";
}
