using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// The Bot Connector over a typed <see cref="HttpClient"/>: ids are escaped, the serviceUrl is checked against
/// <see cref="ServiceUrlPolicy"/> before anything is sent, 429/412/5xx are retried honouring Retry-After, and
/// each call returns a <see cref="SendResult"/> (or null for reads) instead of throwing: a refused serviceUrl, a missing
/// outbound token, an unreachable or silent Connector and an unreadable answer are outcomes, never exceptions in a handler.
/// Every attempt, retries included, is one request in the tenant's <see cref="IConnectorRequestBudget"/>, held until its
/// answer came back.
/// </summary>
public sealed partial class ConnectorClient : IConnectorClient
{
    private static readonly HashSet<HttpStatusCode> Transient =
        [HttpStatusCode.TooManyRequests, HttpStatusCode.PreconditionFailed, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private readonly HttpClient _http;
    private readonly ConnectorTokenSource _tokens;
    private readonly ServiceUrlPolicy _serviceUrls;
    /// <summary>Retry pipelines built so far, by the settings they were built from (singletons in the host).</summary>
    private static readonly ConditionalWeakTable<ConnectorRetryOptions, BuiltRetry> Pipelines = [];

    private readonly ILogger<ConnectorClient> _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;
    private readonly IConnectorRequestBudget _budget;

    /// <summary>Creates the client; <paramref name="retry"/> sets attempts and base delay (0 retries: one attempt).</summary>
    public ConnectorClient(HttpClient http, ConnectorTokenSource tokens, ServiceUrlPolicy serviceUrls, ConnectorRetryOptions retry, TimeProvider time, ILogger<ConnectorClient> logger)
        : this(http, tokens, serviceUrls, retry, time, logger, new UnlimitedConnectorRequests())
    {
    }

    /// <summary>Creates the client with the tenant's request budget, which every attempt enters.</summary>
    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public ConnectorClient(HttpClient http, ConnectorTokenSource tokens, ServiceUrlPolicy serviceUrls, ConnectorRetryOptions retry, TimeProvider time, ILogger<ConnectorClient> logger, IConnectorRequestBudget budget)
    {
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _http = http;
        _tokens = tokens;
        _serviceUrls = serviceUrls;
        _logger = logger;
        _time = time;
        _retry = RetryFor(retry, time, logger);
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
    public Task<TeamsChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string userId, CancellationToken cancellationToken = default) =>
        ReadAsync(serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(userId)}", BotJsonContext.Default.TeamsChannelAccount, cancellationToken);

    /// <inheritdoc />
    public Task<TeamsPagedMembers?> GetPagedMembersAsync(string serviceUrl, string conversationId, string? continuationToken, CancellationToken cancellationToken = default) =>
        ReadAsync(
            serviceUrl,
            $"v3/conversations/{Escape(conversationId)}/pagedmembers?pageSize=500" + (continuationToken is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(continuationToken)),
            BotJsonContext.Default.TeamsPagedMembers,
            cancellationToken);

    private Task<SendResult> SendAsync(HttpMethod method, string serviceUrl, string path, Activity activity, CancellationToken cancellationToken) =>
        ExecuteAsync(method, serviceUrl, path, JsonContent.Create(activity, BotJsonContext.Default.Activity), cancellationToken);

    private async Task<SendResult> ExecuteAsync(HttpMethod method, string serviceUrl, string path, HttpContent content, CancellationToken cancellationToken)
    {
        using (content)
        {
            // Buffer once so each retry sends the same bytes.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var (response, failure) = await CallAsync(method, serviceUrl, path, content, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return new SendResult(SendOutcome.Failed, ErrorCode: failure);
            }

            using (response)
            {
                return await ToResultAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A GET whose answer is a record; null when refused, failed, or not the record.</summary>
    private async Task<T?> ReadAsync<T>(string serviceUrl, string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var (response, _) = await CallAsync(HttpMethod.Get, serviceUrl, path, null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            try
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                LogUnreadableAnswer(_logger, ex);
                return null;
            }
        }
    }

    /// <summary>
    /// One call with its retries, or the reason there is no response: <c>ServiceUrlNotAllowed</c>, <c>TokenUnavailable</c>,
    /// <c>TransportFailure</c> (unreachable after retries), <c>Timeout</c> (the client's own deadline, not the caller's) or
    /// <c>Shed</c> (the request budget would not admit it in time; <see cref="ConnectorRequestShedException"/>).
    /// </summary>
    private async Task<(HttpResponseMessage? Response, string? Failure)> CallAsync(HttpMethod method, string serviceUrl, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        if (!_serviceUrls.IsAllowed(serviceUrl))
        {
            LogRefusedServiceUrl(_logger, serviceUrl);
            return (null, "ServiceUrlNotAllowed");
        }

        var token = await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!token.Available)
        {
            return (null, "TokenUnavailable");
        }

        try
        {
            var response = await _retry.ExecuteAsync(async ct => await SendOnceAsync(method, serviceUrl, path, content, token.Value, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return (response, null);
        }
        catch (HttpRequestException ex)
        {
            LogTransportFailure(_logger, ex);
            return (null, "TransportFailure");
        }
        catch (ConnectorRequestShedException)
        {
            // The budget would not admit it in time: nothing was sent, and the caller (who set the time) says why.
            return (null, ConnectorRequestShedException.ErrorCode);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimeout(_logger, _http.Timeout.TotalSeconds, ex);
            return (null, "Timeout");
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string serviceUrl, string path, HttpContent? content, string? token, CancellationToken cancellationToken)
    {
        var baseUri = new Uri(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/");
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
        if (content is not null)
        {
            request.Content = new ByteArrayContent(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (token is { Length: > 0 })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        // Entered as late as possible and left only after the answer (or the failure): the request reached the
        // Connector, if at all, while it was counted.
        var permit = await _budget.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using (permit.ConfigureAwait(false))
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
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
            HttpStatusCode.TooManyRequests => new SendResult(SendOutcome.Throttled, RetryAfter: RetryAfter(response, _time), StatusCode: status, ErrorCode: code),
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

    /// <summary>
    /// The retry pipeline for these settings, clock and logger, built once: the client is a typed HttpClient, made anew
    /// for every request the bot answers, and building the pipeline each time was 1.8 % of what the host allocated in P5.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> RetryFor(ConnectorRetryOptions retry, TimeProvider time, ILogger logger)
    {
        if (Pipelines.TryGetValue(retry, out var built) && ReferenceEquals(built.Time, time) && ReferenceEquals(built.Logger, logger))
        {
            return built.Pipeline;
        }

        var pipeline = BuildRetry(retry, time, logger);
        Pipelines.AddOrUpdate(retry, new BuiltRetry(time, logger, pipeline));
        return pipeline;
    }

    /// <summary>Polly refuses a retry strategy with no retries, so 0 retries is simply no strategy: one attempt.</summary>
    private static ResiliencePipeline<HttpResponseMessage> BuildRetry(ConnectorRetryOptions retry, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => Transient.Contains(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time)),
                OnRetry = args =>
                {
                    var status = (int?)args.Outcome.Result?.StatusCode ?? 0;
                    LogRetry(logger, status, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    BotTelemetry.RecordConnectorRetry(status, args.AttemptNumber + 1);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>Retry-After as seconds or an HTTP date; null lets Polly use exponential backoff with jitter.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);

    private sealed record BuiltRetry(TimeProvider Time, ILogger Logger, ResiliencePipeline<HttpResponseMessage> Pipeline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused to call serviceUrl {ServiceUrl}: not on the allow-list")]
    private static partial void LogRefusedServiceUrl(ILogger logger, string serviceUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector answered {Status}; retry {Attempt} in {DelayMs:F0} ms")]
    private static partial void LogRetry(ILogger logger, int status, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector call failed with {Status} ({Code})")]
    private static partial void LogSendFailed(ILogger logger, int status, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector unreachable")]
    private static partial void LogTransportFailure(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector did not answer within {Seconds:0} s")]
    private static partial void LogTimeout(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector answered with a body that is not the expected JSON")]
    private static partial void LogUnreadableAnswer(ILogger logger, Exception exception);
}
