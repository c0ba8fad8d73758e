using System.Collections.Concurrent;

namespace CredentialBot.Bench;

/// <summary>
/// One simulated person: an Entra owner of <see cref="AppObjectId"/> (an application with secrets), with the
/// elevation requests on that App that others filed and this person may approve. <see cref="UnexpiredSecretKeys"/> are
/// what an Acknowledge button carries: the digest offers Acknowledge only for credentials that have not expired.
/// </summary>
internal sealed record BenchUser(string ObjectId, string Name, string AppObjectId, string AppName, IReadOnlyList<string> SecretKeys, IReadOnlyList<string> UnexpiredSecretKeys)
{
    public ConcurrentQueue<long> PendingRequests { get; } = new();

    /// <summary>The key id of the secret this person's last rotation created (the next rotation replaces it).</summary>
    public string? LastNewKey { get; set; }
}
