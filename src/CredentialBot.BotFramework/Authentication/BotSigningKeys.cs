using System.Text.Json;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.BotFramework.Authentication;

/// <summary>A signing key and the channels that endorse it (Bot Framework JWKS <c>endorsements</c>).</summary>
public sealed record EndorsedKey(SecurityKey Key, IReadOnlySet<string> Endorsements);

/// <summary>
/// The Bot Framework signing keys, read from the OpenID metadata's JWKS and cached. Keys can appear at any time:
/// an unknown key id forces one refresh, at most once per <see cref="BotAuthOptions.MinimumKeyRefreshInterval"/>,
/// so forged kids cannot hammer the metadata endpoint. Everything is async (no sync-over-async), and a failed
/// refresh keeps the last known good keys.
/// </summary>
public sealed partial class BotSigningKeys : IDisposable
{
    private readonly HttpClient _http;
    private readonly BotAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BotSigningKeys> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile IReadOnlyDictionary<string, EndorsedKey> _keys = new Dictionary<string, EndorsedKey>();
    private DateTimeOffset _refreshDueAt = DateTimeOffset.MinValue;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>Creates the cache; keys are fetched on first use.</summary>
    public BotSigningKeys(HttpClient http, IOptions<BotAuthOptions> options, TimeProvider time, ILogger<BotSigningKeys> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The key with <paramref name="keyId"/>, refreshing once if it is unknown; null when it does not exist.</summary>
    public async Task<EndorsedKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() >= _refreshDueAt)
        {
            await RefreshAsync(forced: false, cancellationToken).ConfigureAwait(false);
        }

        if (_keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        await RefreshAsync(forced: true, cancellationToken).ConfigureAwait(false);
        return _keys.GetValueOrDefault(keyId);
    }

    /// <inheritdoc />
    public void Dispose() => _refreshGate.Dispose();

    private async Task RefreshAsync(bool forced, CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (forced)
            {
                if (now - _lastForcedRefresh < _options.MinimumKeyRefreshInterval)
                {
                    return;
                }

                _lastForcedRefresh = now;
            }
            else if (now < _refreshDueAt)
            {
                return; // another caller refreshed while this one waited
            }

            try
            {
                _keys = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _refreshDueAt = now + _options.KeyLifetime;
                LogKeysRefreshed(_logger, _keys.Count, forced);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or ArgumentException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Keep the last known good keys (validation fails closed for kids we cannot find), and try again
                // after the minimum interval rather than on every request while the endpoint is down.
                _refreshDueAt = now + _options.MinimumKeyRefreshInterval;
                LogRefreshFailed(_logger, ex);
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, EndorsedKey>> FetchAsync(CancellationToken cancellationToken)
    {
        var metadataJson = await _http.GetStringAsync(new Uri(_options.OpenIdMetadataUrl), cancellationToken).ConfigureAwait(false);
        var metadata = OpenIdConnectConfiguration.Create(metadataJson);
        if (!Uri.TryCreate(metadata.JwksUri, UriKind.Absolute, out var jwksUri))
        {
            throw new InvalidOperationException("The OpenID metadata has no valid jwks_uri.");
        }

        var jwksJson = await _http.GetStringAsync(jwksUri, cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, EndorsedKey>(StringComparer.Ordinal);
        foreach (var jwk in new JsonWebKeySet(jwksJson).Keys)
        {
            if (string.IsNullOrEmpty(jwk.Kid) || !string.Equals(jwk.Kty, JsonWebAlgorithmsKeyTypes.RSA, StringComparison.Ordinal))
            {
                continue;
            }

            keys[jwk.Kid] = new EndorsedKey(jwk, ReadEndorsements(jwk));
        }

        return keys;
    }

    private static HashSet<string> ReadEndorsements(JsonWebKey jwk)
    {
        // Channel ids are compared exactly, as the Bot Framework SDKs compare endorsements.
        var endorsements = new HashSet<string>(StringComparer.Ordinal);
        if (jwk.AdditionalData.TryGetValue("endorsements", out var raw))
        {
            switch (raw)
            {
                case JsonElement { ValueKind: JsonValueKind.Array } array:
                    endorsements.UnionWith(array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                    break;
                case IEnumerable<object> items:
                    endorsements.UnionWith(items.Select(i => i?.ToString()).OfType<string>());
                    break;
                default:
                    break;
            }
        }

        return endorsements;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot Framework signing keys refreshed: {Count} keys (forced: {Forced})")]
    private static partial void LogKeysRefreshed(ILogger logger, int count, bool forced);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh Bot Framework signing keys; keeping the last known keys")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
