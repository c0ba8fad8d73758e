using System.Collections.Concurrent;

namespace CredentialBot.Simulator;

/// <summary>
/// What Entra's usage reports know: the last sign-in of each credential (by the App's appId and the credential's keyId),
/// and whether the tenant is licensed for the reports at all (Microsoft Entra ID P1 or P2).
/// </summary>
public sealed class SimSignInActivity
{
    private readonly ConcurrentDictionary<string, (string AppId, string KeyId, DateTimeOffset At)> _last = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False answers every report request as Graph does for a tenant without P1/P2.</summary>
    public bool Licensed { get; set; } = true;

    /// <summary>True answers every report request 503, as a reporting outage does: nothing is known, nothing is refused.</summary>
    public bool Down { get; set; }

    /// <summary>Records a sign-in with credential <paramref name="keyId"/> of App <paramref name="appId"/>; the latest one counts.</summary>
    public void Record(string appId, string keyId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrEmpty(appId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        _last.AddOrUpdate($"{appId}|{keyId}", (appId, keyId, at), (_, previous) => previous.At > at ? previous : (appId, keyId, at));
    }

    /// <summary>Every credential sign-in of <paramref name="appId"/> (all Apps when null): keyId and last time.</summary>
    public IReadOnlyList<(string AppId, string KeyId, DateTimeOffset LastSignIn)> Of(string? appId) =>
        [.. _last.Values.Where(e => appId is null || string.Equals(e.AppId, appId, StringComparison.OrdinalIgnoreCase)).Select(e => (e.AppId, e.KeyId, e.At))];
}
