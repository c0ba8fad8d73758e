using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Digests;

/// <summary>
/// Data of the digest's "Snooze" and "Acknowledge" buttons: which App and credentials, how many days (0: until they
/// expire), and the Apps of the digest it sits on, so the answer can redraw it from the store (only ids: every button
/// carries them, and cards must stay under 28 KB). All of it is untrusted: the action checks the App exists, the
/// credentials are the App's, and the person pressing is one of its owners.
/// </summary>
/// <param name="App">The App's object id.</param>
/// <param name="Keys">The credentials' key ids.</param>
/// <param name="Days">The button's pause: <see cref="DigestCard.SnoozeDays"/>, or 0 for Acknowledge.</param>
/// <param name="Digest">The object ids of the Apps on the digest.</param>
public sealed record PauseNoticesData(
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("keys")] IReadOnlyList<string> Keys,
    [property: JsonPropertyName("days")] int Days,
    [property: JsonPropertyName("digest")] IReadOnlyList<string> Digest) : IWellFormed
{
    /// <summary>At most this many credentials per button: an App's digest entry never lists more.</summary>
    public const int MaxKeys = 20;

    public bool IsWellFormed() =>
        App is { Length: > 0 and <= 128 }
        && Keys is { Count: > 0 and <= MaxKeys } && Keys.All(k => k is { Length: > 0 and <= 128 })
        && Digest is { Count: <= DigestCard.MaxApps } && Digest.All(a => a is { Length: > 0 and <= 128 });
}
