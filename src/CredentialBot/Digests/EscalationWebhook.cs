using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CredentialBot.Digests;

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
    public async Task<bool> PostAsync(IReadOnlyList<DigestItem> items, CancellationToken cancellationToken)
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
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, DigestJson.Default.EscalationPayload);
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
                    return await _http.SendAsync(request, ct);
                },
                cancellationToken);
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
