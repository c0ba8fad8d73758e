using System.Collections.Concurrent;
using System.Net;

namespace CredentialBot.BotFramework.Tests;

/// <summary>An HTTP handler that answers from a script and records each request as it was sent.</summary>
public sealed class ScriptedHandler(params Func<HttpResponseMessage>[] script) : HttpMessageHandler
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _next;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static HttpResponseMessage Json(HttpStatusCode status, string json, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString(), request.Content?.Headers.ContentType?.ToString(), body));
        var index = Math.Min(Interlocked.Increment(ref _next) - 1, script.Length - 1);
        return script[index]();
    }

    public sealed record RecordedRequest(string Method, string Uri, string? Authorization, string? ContentType, string? Body);
}
