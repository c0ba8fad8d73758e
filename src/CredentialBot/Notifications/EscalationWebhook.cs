using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.Domain;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CredentialBot.Notifications;

/// <summary>What an ITSM tool receives when a credential has nobody to act on it.</summary>
public sealed record EscalationPayload(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("apps")] IReadOnlyList<EscalatedApp> Apps);

/// <summary>One App in an escalation.</summary>
public sealed record EscalatedApp(
    [property: JsonPropertyName("objectId")] string ObjectId,
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("displayName")] string DisplayName,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("credentials")] IReadOnlyList<EscalatedCredential> Credentials);

/// <summary>One credential in an escalation (never its value: CredentialBot never has it).</summary>
public sealed record EscalatedCredential(
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("endsAt")] DateTimeOffset EndsAt,
    [property: JsonPropertyName("stage")] string Stage);

[JsonSerializable(typeof(EscalationPayload))]
internal sealed partial class EscalationJsonContext : JsonSerializerContext;

/// <summary>
/// POSTs escalations as JSON to the configured webhook, signed so the receiver can trust them:
/// <c>X-CredentialBot-Signature: sha256=HEX(HMAC-SHA256(secret, timestamp + "." + body))</c> with the Unix
/// <c>X-CredentialBot-Timestamp</c> (receivers should refuse old timestamps to stop replays). 429 and 5xx are retried
/// with backoff, honouring Retry-After.
/// </summary>
public sealed partial class EscalationWebhook
{
    public const string SignatureHeader = "X-CredentialBot-Signature";
    public const string TimestampHeader = "X-CredentialBot-Timestamp";

    private readonly HttpClient _http;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EscalationWebhook> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public EscalationWebhook(HttpClient http, IOptions<NotificationOptions> options, TimeProvider time, ILogger<EscalationWebhook> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                Delay = TimeSpan.FromSeconds(1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(_options.EscalationWebhookUrl);

    /// <summary>True when the receiver accepted the escalation (2xx).</summary>
    public async Task<bool> PostAsync(IReadOnlyList<(App App, IReadOnlyList<Notice> Notices)> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var now = _time.GetUtcNow();
        var payload = new EscalationPayload("credentialbot.escalation", now, [.. items.Select(i => new EscalatedApp(
            i.App.ObjectId,
            i.App.AppId,
            i.App.DisplayName,
            "No active owner can act on these credentials.",
            [.. i.Notices.Select(n => (Notice: n, Credential: i.App.Credentials.FirstOrDefault(c => c.KeyId == n.CredentialKeyId)))
                .Where(x => x.Credential is not null)
                .Select(x => new EscalatedCredential(x.Credential!.KeyId, x.Credential.DisplayName, x.Credential.Kind.ToString(), x.Credential.EndsAt, x.Notice.Stage))]))]);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, EscalationJsonContext.Default.EscalationPayload);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "sha256=" + Sign(_options.EscalationWebhookSecret!, timestamp, body);
        try
        {
            using var response = await _retry.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.EscalationWebhookUrl!)) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.Add(TimestampHeader, timestamp);
                    request.Headers.Add(SignatureHeader, signature);
                    return await _http.SendAsync(request, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(_logger, (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(_logger, ex);
            return false;
        }
    }

    /// <summary>The signature a receiver recomputes: lowercase hex HMAC-SHA256 over <c>timestamp + "." + body</c>.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var written = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[written] = (byte)'.';
        body.CopyTo(signed.AsSpan(written + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The escalation webhook answered {Status}")]
    private static partial void LogRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The escalation webhook could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}

/// <summary>Escalation settings that cannot work stop start-up, naming the setting.</summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClaimDuration < TimeSpan.FromSeconds(1) || options.ClaimDuration > TimeSpan.FromHours(1))
        {
            return ValidateOptionsResult.Fail("Notifications:ClaimDuration must be between 1 second and 1 hour (and longer than a send takes).");
        }

        if (string.IsNullOrWhiteSpace(options.EscalationWebhookUrl))
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.EscalationWebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback))
        {
            return ValidateOptionsResult.Fail("Notifications:EscalationWebhookUrl must be an absolute https URL.");
        }

        return options.EscalationWebhookSecret is { Length: >= 32 }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Notifications:EscalationWebhookSecret must be set, at least 32 characters, when Notifications:EscalationWebhookUrl is.");
    }
}
