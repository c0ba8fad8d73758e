using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// The Bot Connector over a typed <see cref="HttpClient"/>: ids are escaped, the serviceUrl is checked against
/// <see cref="ServiceUrlPolicy"/> before anything is sent, 429/412/5xx are retried honouring Retry-After, and
/// each call returns a <see cref="SendResult"/> instead of throwing for expected failures.
/// </summary>
public sealed partial class ConnectorClient : IConnectorClient
{
    private static readonly HashSet<HttpStatusCode> Transient =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.PreconditionFailed, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private readonly HttpClient _http;
    private readonly IConnectorTokenProvider _tokens;
    private readonly ServiceUrlPolicy _serviceUrls;
    private readonly ILogger<ConnectorClient> _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <summary>Creates the client; <paramref name="retry"/> sets attempts and base delay.</summary>
    public ConnectorClient(HttpClient http, IConnectorTokenProvider tokens, ServiceUrlPolicy serviceUrls, ConnectorRetryOptions retry, TimeProvider time, ILogger<ConnectorClient> logger)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _http = http;
        _tokens = tokens;
        _serviceUrls = serviceUrls;
        _logger = logger;
        _time = time;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => Transient.Contains(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    LogRetry(_logger, (int?)args.Outcome.Result?.StatusCode ?? 0, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <inheritdoc />
    public Task<SendResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity, cancellationToken);

    /// <inheritdoc />
    public Task<SendResult> SendToConversationAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities", activity, cancellationToken);

    /// <inheritdoc />
    public Task<SendResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Escape(conversationId)}/activities/{Escape(activityId)}", activity with { Id = activityId }, cancellationToken);

    /// <inheritdoc />
    public async Task<SendResult> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return await ExecuteAsync(HttpMethod.Post, serviceUrl, "v3/conversations", JsonContent.Create(parameters, BotJsonContext.Default.ConversationParameters), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TeamsChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default)
    {
        if (!_serviceUrls.IsAllowed(serviceUrl))
        {
            LogRefusedServiceUrl(_logger, serviceUrl);
            return null;
        }

        using var response = await _retry.ExecuteAsync(
            async ct => await SendOnceAsync(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", null, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync(BotJsonContext.Default.TeamsChannelAccount, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <inheritdoc />
    public async Task<TeamsPagedMembers?> GetPagedMembersAsync(string serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken = default)
    {
        if (!_serviceUrls.IsAllowed(serviceUrl))
        {
            LogRefusedServiceUrl(_logger, serviceUrl);
            return null;
        }

        var path = $"v3/conversations/{Escape(conversationId)}/pagedmembers?pageSize=500" + (continuationToken is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(continuationToken));
        using var response = await _retry.ExecuteAsync(
            async ct => await SendOnceAsync(HttpMethod.Get, serviceUrl, path, null, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync(BotJsonContext.Default.TeamsPagedMembers, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private Task<SendResult> SendAsync(HttpMethod method, string serviceUrl, string path, Activity activity, CancellationToken cancellationToken) =>
        ExecuteAsync(method, serviceUrl, path, JsonContent.Create(activity, BotJsonContext.Default.Activity), cancellationToken);

    private async Task<SendResult> ExecuteAsync(HttpMethod method, string serviceUrl, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using (content)
        {
            if (!_serviceUrls.IsAllowed(serviceUrl))
            {
                LogRefusedServiceUrl(_logger, serviceUrl);
                return new SendResult(SendOutcome.Failed, ErrorCode: "ServiceUrlNotAllowed");
            }

            // Buffer once so each retry sends the same bytes.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await _retry.ExecuteAsync(async ct => await SendOnceAsync(method, serviceUrl, path, content, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                LogTransportFailure(_logger, ex);
                return new SendResult(SendOutcome.Failed, ErrorCode: "TransportFailure");
            }

            using (response)
            {
                return await ToResultAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string serviceUrl, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/");
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (content is not null)
        {
            request.Content = new ByteArrayContent(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SendResult> ToResultAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            var id = await ReadIdAsync(response, cancellationToken).ConfigureAwait(false);
            return new SendResult(SendOutcome.Sent, id, StatusCode: status);
        }

        var code = await ReadErrorCodeAsync(response, cancellationToken).ConfigureAwait(false);
        LogSendFailed(_logger, status, code);
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new SendResult(SendOutcome.Throttled, RetryAfter: RetryAfter(response), StatusCode: status, ErrorCode: code),
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Gone => new SendResult(SendOutcome.RecipientGone, StatusCode: status, ErrorCode: code),
            _ => new SendResult(SendOutcome.Failed, StatusCode: status, ErrorCode: code),
        };
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Error bodies come in several shapes (<c>error.code</c>, <c>errorCode</c>); read defensively.</summary>
    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code))
            {
                return code.ToString();
            }

            return root.TryGetProperty("errorCode", out var errorCode) ? errorCode.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Retry-After as seconds or an HTTP date; null lets Polly use exponential backoff with jitter.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to call serviceUrl {ServiceUrl}: not on the allow-list")]
    private static partial void LogRefusedServiceUrl(ILogger logger, string serviceUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector answered {Status}; retry {Attempt} in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, int status, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector call failed with {Status} ({Code})")]
    private static partial void LogSendFailed(ILogger logger, int status, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector unreachable")]
    private static partial void LogTransportFailure(ILogger logger, Exception exception);
}

/// <summary>Retry settings for the Connector (Microsoft's guidance: about 3 retries, seconds apart).</summary>
public sealed class ConnectorRetryOptions
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay when no Retry-After is given.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound for any single wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);
}
