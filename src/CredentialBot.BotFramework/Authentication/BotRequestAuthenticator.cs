using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.BotFramework.Authentication;

/// <summary>Why a request was refused. Logged, never sent to the caller.</summary>
public enum AuthFailure
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>No header, several headers, not Bearer, or empty token.</summary>
    MissingOrMalformedHeader,

    /// <summary>Not a JWS, or alg other than RS256, or no kid.</summary>
    MalformedToken,

    /// <summary>No signing key with that kid, even after a refresh.</summary>
    UnknownKey,

    /// <summary>Signature, issuer, audience or lifetime failed.</summary>
    InvalidToken,

    /// <summary>The signing key is not endorsed for the activity's channel.</summary>
    ChannelNotEndorsed,

    /// <summary>The token's serviceurl claim is missing or differs from the activity's.</summary>
    ServiceUrlMismatch,

    /// <summary>The activity's tenant is not on the allow-list.</summary>
    TenantNotAllowed,

    /// <summary>The activity's channel is not one the bot serves (<see cref="BotAuthOptions.ServedChannels"/>).</summary>
    ChannelNotAllowed,

    /// <summary>Local mode and the socket's remote address is not loopback (or unknown).</summary>
    NotLoopback,

    /// <summary>Local mode and the request came through a proxy (Forwarded / X-Forwarded-* / X-Original-* headers).</summary>
    ProxiedRequest,

    /// <summary>Local mode and the Host header is not localhost, 127.0.0.1 or [::1] (DNS rebinding).</summary>
    HostNotLoopback,

    /// <summary>Local mode and a web page of another origin sent the request.</summary>
    ForeignOrigin,
}

/// <summary>The first stage's result: the token's validated identity, kept for the activity checks.</summary>
public sealed record TokenCheck(AuthFailure Failure, EndorsedKey? Key = null, string? ServiceUrlClaim = null)
{
    /// <summary>True when the token itself is good.</summary>
    public bool IsValid => Failure == AuthFailure.None;
}

/// <summary>
/// Inbound authentication of Bot Connector requests, per the Bot Framework protocol. Two stages, because
/// some checks need the activity: the token first (header, JWS shape, RS256, key, signature, issuer,
/// audience, lifetime with 5 minutes' skew), then against the parsed activity (channel endorsement,
/// serviceurl claim, channel and tenant allow-lists). Each check has one reason, logged; callers answer 401 for a
/// token that proves nothing and 403 for a proven caller outside the policy. Local mode has no token: the caller must
/// be a program on this machine (<see cref="LocalCallerPolicy"/>), and the activity meets the same policy.
/// </summary>
public sealed partial class BotRequestAuthenticator
{
    private readonly BotAuthOptions _options;
    private readonly BotSigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<BotRequestAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    /// <summary>Creates the authenticator; validation parameters are built once and cloned per request.</summary>
    public BotRequestAuthenticator(IOptions<BotAuthOptions> options, BotSigningKeys keys, TimeProvider time, ILogger<BotRequestAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keys = keys;
        _time = time;
        _logger = logger;
        _parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = _options.ValidIssuer,
            ValidateAudience = true,
            // Exactly the bot's app id; https://api.botframework.com (an outbound token replayed inbound) is refused.
            ValidAudience = _options.MicrosoftAppId,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(5),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            TryAllIssuerSigningKeys = false,
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>Local mode, before the body is read: no token exists, so only a direct caller on this machine is trusted.</summary>
    public AuthFailure ValidateLocalCaller(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Logged(LocalCallerPolicy.Check(context));
    }

    /// <summary>Local mode, after the body is read: the activity meets the same channel and tenant policy as in production.</summary>
    public AuthFailure ValidateLocalActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Logged(CheckPolicy(activity));
    }

    /// <summary>Stage one: the bearer token.</summary>
    public async Task<TokenCheck> ValidateTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await CheckTokenAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid)
        {
            LogRefused(_logger, result.Failure);
        }

        return result;
    }

    /// <summary>Stage two: the token against the activity it carries.</summary>
    public AuthFailure ValidateActivity(TokenCheck token, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(activity);
        return Logged(CheckActivity(token, activity));
    }

    private async Task<TokenCheck> CheckTokenAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // 1. Exactly one Authorization header, scheme Bearer, non-empty token.
        var headers = request.Headers.Authorization;
        if (headers.Count != 1 || headers[0] is not { } header || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return new TokenCheck(AuthFailure.MissingOrMalformedHeader);
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0)
        {
            return new TokenCheck(AuthFailure.MissingOrMalformedHeader);
        }

        // 2. A well-formed JWS signed with RS256 and naming its key; alg none and HS* never get further.
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return new TokenCheck(AuthFailure.MalformedToken);
        }

        if (jwt.IsEncrypted || !string.Equals(jwt.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal) || string.IsNullOrEmpty(jwt.Kid))
        {
            return new TokenCheck(AuthFailure.MalformedToken);
        }

        // 3. The signing key, from the cached metadata (one rate-limited refresh for an unknown kid).
        var key = await _keys.FindAsync(jwt.Kid, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return new TokenCheck(AuthFailure.UnknownKey);
        }

        // 4. Signature, issuer, audience and lifetime. The shared parameters are cloned, never mutated.
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKey = key.Key;
        var validation = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return new TokenCheck(AuthFailure.InvalidToken);
        }

        var serviceUrl = validation.Claims.TryGetValue("serviceurl", out var claim) ? claim as string : null;
        return new TokenCheck(AuthFailure.None, key, serviceUrl);
    }

    private AuthFailure CheckActivity(TokenCheck token, Activity activity)
    {
        if (!token.IsValid || token.Key is null)
        {
            return token.Failure == AuthFailure.None ? AuthFailure.InvalidToken : token.Failure;
        }

        // 5. The key must be endorsed for the channel the activity claims to come from (an activity naming no
        //    channel asserts nothing and is refused here, stricter than the SDK, which lets it pass).
        if (string.IsNullOrEmpty(activity.ChannelId) || !token.Key.Endorsements.Contains(activity.ChannelId))
        {
            return AuthFailure.ChannelNotEndorsed;
        }

        // 6. Replies go to activity.serviceUrl; it must be the one the Connector signed, or a caller could
        //    redirect the bot's replies (and its outbound token) elsewhere. A trailing slash is not a difference.
        if (token.ServiceUrlClaim is null || !string.Equals(token.ServiceUrlClaim.TrimEnd('/'), activity.ServiceUrl?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return AuthFailure.ServiceUrlMismatch;
        }

        return CheckPolicy(activity);
    }

    private AuthFailure CheckPolicy(Activity activity)
    {
        // 7. Product policy: only the channels the bot is built for. A Web Chat / Direct Line token is genuine and its
        //    key endorsed for webchat, yet this bot's handlers assume Teams (its ids, its tenant, its cards).
        if (activity.ChannelId is null || !_options.ServedChannels.Contains(activity.ChannelId, StringComparer.Ordinal))
        {
            return AuthFailure.ChannelNotAllowed;
        }

        // 8. Product policy: only the configured tenants.
        if (_options.AllowedTenants.Length > 0 && !_options.AllowedTenants.Contains(activity.TenantId(), StringComparer.OrdinalIgnoreCase))
        {
            return AuthFailure.TenantNotAllowed;
        }

        return AuthFailure.None;
    }

    private AuthFailure Logged(AuthFailure failure)
    {
        if (failure != AuthFailure.None)
        {
            LogRefused(_logger, failure);
        }

        return failure;
    }

    /// <summary>Lifetime against <see cref="TimeProvider"/> (so tests control the clock), with the 5-minute skew.</summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken securityToken, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp
            && now <= exp.ToUniversalTime() + parameters.ClockSkew
            && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - parameters.ClockSkew);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an inbound request: {Reason}")]
    private static partial void LogRefused(ILogger logger, AuthFailure reason);
}
