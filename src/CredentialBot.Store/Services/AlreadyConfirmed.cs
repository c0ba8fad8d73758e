using System.Globalization;

namespace CredentialBot.Store.Services;

/// <summary>A confirm that was already consumed: by whom and when, so the second press can say so and change nothing.</summary>
public sealed record AlreadyConfirmed(string Scope, string ByObjectId, string? ByName, DateTimeOffset At)
{
    /// <summary>"already done by Megan Bowen at 2026-12-04 09:00 UTC".</summary>
    public string Describe() =>
        $"already done by {ByName ?? ByObjectId} at {At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
}
