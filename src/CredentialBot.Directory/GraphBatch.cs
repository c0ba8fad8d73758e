using System.Net;
using System.Text.Json;
using CredentialBot.Directory.Diagnostics;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;

namespace CredentialBot.Directory;

/// <summary>
/// GET requests sent 20 at a time in Graph's JSON batching (<c>POST /$batch</c>, at most 20 requests per batch), each
/// answer parsed with System.Text.Json. Graph meters each request inside a batch on its own (specs/graph-calls.md §9),
/// so it may throttle some of them while answering the rest; those are sent again after their Retry-After.
/// </summary>
internal sealed class GraphBatch(GraphServiceClient graph)
{
    public const int MaxRequests = 20;
    private const int Attempts = 5;
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Sends <paramref name="urls"/> (relative to the Graph endpoint, e.g. <c>/applications?$filter=…</c>) and returns
    /// each answer's JSON body in the same order. Throws when one fails for another reason than throttling.
    /// </summary>
    public async Task<JsonElement[]> GetAsync(IReadOnlyList<string> urls, string? priority, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(urls.Count, MaxRequests);
        var answers = new JsonElement[urls.Count];
        var pending = Enumerable.Range(0, urls.Count).ToList();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var throttled = new List<int>();
            var wait = TimeSpan.Zero;
            using var document = await PostAsync([.. pending.Select(i => urls[i])], priority, cancellationToken).ConfigureAwait(false);
            foreach (var response in document.RootElement.GetProperty("responses").EnumerateArray())
            {
                var index = pending[int.Parse(response.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)];
                var status = response.GetProperty("status").GetInt32();
                if (status is >= 200 and < 300)
                {
                    answers[index] = response.TryGetProperty("body", out var body) ? body.Clone() : default;
                }
                else if (status is 429 or 503 or 504 && attempt < Attempts)
                {
                    if (status == 429)
                    {
                        DirectoryTelemetry.RecordThrottledInBatch(urls[index], priority);
                    }

                    throttled.Add(index);
                    wait = Max(wait, RetryAfter(response));
                }
                else
                {
                    var message = response.TryGetProperty("body", out var error) && error.TryGetProperty("error", out var e) && e.TryGetProperty("message", out var m) ? m.GetString() : null;
                    throw new HttpRequestException($"Graph answered {status} to {urls[index]} in a $batch: {message}", null, (HttpStatusCode)status);
                }
            }

            pending = throttled;
            if (pending.Count > 0)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
        }

        return answers;
    }

    private async Task<JsonDocument> PostAsync(IReadOnlyList<string> urls, string? priority, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests");
            for (var i = 0; i < urls.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteString("method", "GET");
                writer.WriteString("url", urls[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        body.Position = 0;
        var request = new RequestInformation { HttpMethod = Method.POST, URI = new Uri(graph.RequestAdapter.BaseUrl + "/$batch") };
        request.SetStreamContent(body, "application/json");
        request.Headers.Add("Accept", "application/json");
        if (priority is not null)
        {
            request.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, priority);
        }

        var stream = await graph.RequestAdapter.SendPrimitiveAsync<Stream>(request, GraphTenantDirectory.ErrorMapping, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Graph returned an empty $batch response.");
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan RetryAfter(JsonElement response)
    {
        if (response.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (header.NameEquals("Retry-After") || string.Equals(header.Name, "Retry-After", StringComparison.OrdinalIgnoreCase))
                {
                    if (int.TryParse(header.Value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    {
                        return Min(TimeSpan.FromSeconds(seconds), LongestWait);
                    }
                }
            }
        }

        return TimeSpan.FromSeconds(1);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
