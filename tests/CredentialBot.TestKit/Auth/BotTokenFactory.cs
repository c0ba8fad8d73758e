using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.TestKit.Auth;

/// <summary>Creates Bot Connector tokens as Teams would send them, and deliberately broken ones.</summary>
public static class BotTokenFactory
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    public static string Create(
        TestSigningKey key,
        string audience,
        string? serviceUrl,
        string issuer = BotFrameworkIssuer,
        DateTimeOffset? now = null,
        TimeSpan? notBeforeOffset = null,
        TimeSpan? lifetime = null,
        string? keyIdOverride = null,
        string algorithm = SecurityAlgorithms.RsaSha256)
    {
        ArgumentNullException.ThrowIfNull(key);
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object> { ["iss"] = issuer, ["aud"] = audience };
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        var signingKey = keyIdOverride is null ? key.Key : new RsaSecurityKey(key.Key.Rsa) { KeyId = keyIdOverride };
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            NotBefore = (issuedAt + (notBeforeOffset ?? TimeSpan.FromMinutes(-1))).UtcDateTime,
            IssuedAt = (issuedAt + (notBeforeOffset ?? TimeSpan.FromMinutes(-1))).UtcDateTime,
            Expires = (issuedAt + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token signed with HMAC (e.g. by someone who knows the app secret), which must be refused.</summary>
    public static string CreateHmac(string secret, string audience, string serviceUrl)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["iss"] = BotFrameworkIssuer, ["aud"] = audience, ["serviceurl"] = serviceUrl },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SHA256.HashData(Encoding.UTF8.GetBytes(secret))) { KeyId = "hmac" }, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string CreateUnsigned(string audience, string serviceUrl, string keyId)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{keyId}}"}""");
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($$"""{"iss":"{{BotFrameworkIssuer}}","aud":"{{audience}}","serviceurl":"{{serviceUrl}}","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    /// <summary>Changes one character of the payload, keeping the original signature.</summary>
    public static string Tamper(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("https://api.botframework.com", "https://api.botframework.con", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
