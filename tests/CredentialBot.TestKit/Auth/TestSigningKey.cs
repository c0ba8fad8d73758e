using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace CredentialBot.TestKit.Auth;

/// <summary>An RSA key generated in memory for signing test tokens, published by <see cref="LocalOpenIdMetadataServer"/>.</summary>
public sealed class TestSigningKey
{
    private TestSigningKey(RsaSecurityKey key, IReadOnlyList<string> endorsements)
    {
        Key = key;
        Endorsements = endorsements;
    }

    public RsaSecurityKey Key { get; }

    public string KeyId => Key.KeyId;

    /// <summary>Channels the metadata says this key is endorsed for.</summary>
    public IReadOnlyList<string> Endorsements { get; }

    public static TestSigningKey Create(string? keyId = null, params string[] endorsements)
    {
        var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = keyId ?? "test-" + Guid.NewGuid().ToString("N")[..12] };
        return new TestSigningKey(key, endorsements.Length == 0 ? ["msteams", "webchat"] : endorsements);
    }

    /// <summary>The public JWK with the Bot Framework's <c>endorsements</c> member.</summary>
    public Dictionary<string, object> ToPublicJwk()
    {
        var parameters = Key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["endorsements"] = Endorsements,
        };
    }
}
