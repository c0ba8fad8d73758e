using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Rotation.Automatic;

/// <summary>
/// Section "AutomaticRotation": how the janitor carries out the hands-free rotation policies ask for. Which Apps are
/// rotated, when, and how long the new secret has to be used are the policy's; these are the machinery's.
/// </summary>
public sealed class AutomaticRotationOptions
{
    public const string SectionName = "AutomaticRotation";

    /// <summary>False rotates nothing on its own, whatever the policies say (they are still shown and kept).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long an instance holds a rotation it works on. Longer than Graph plus Key Vault take; after a crash, the next
    /// round waits this long, then finds and removes what the interrupted attempt created.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00", ErrorMessage = "AutomaticRotation:ClaimDuration must be between 1 minute and 1 hour.")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a failed attempt (Entra or the vault refused) waits before the next one.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "AutomaticRotation:RetryAfter must be between 1 minute and 1 day.")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromHours(1);
}
