using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>One App in a digest: the notices to show for it, and the policy it is held to (when known).</summary>
/// <param name="App">The App, as the store has it now.</param>
/// <param name="Notices">What the reader is told about its credentials.</param>
/// <param name="PolicyName">The App's policy, shown beside its owners.</param>
public sealed record DigestItem(App App, IReadOnlyList<Notice> Notices, string? PolicyName = null)
{
    /// <summary>Hands-free rotations the bot did for this App whose old secret is still on it: said in the digest, never a value.</summary>
    public IReadOnlyList<AutomaticRotationEntry> RotatedAutomatically { get; init; } = [];
}
