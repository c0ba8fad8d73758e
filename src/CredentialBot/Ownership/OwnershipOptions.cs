using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Ownership;

/// <summary>Section "Ownership": how often the janitor looks for owners who left.</summary>
public sealed class OwnershipOptions
{
    public const string SectionName = "Ownership";

    /// <summary>
    /// How often technical and business owners are checked in the directory (one <c>$batch</c> per 300 people) and the
    /// owners found disabled or deleted are acted on. Entra owners' state comes with every scan.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Ownership:DepartureCheckInterval must be between 1 minute and 7 days.")]
    public TimeSpan DepartureCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
