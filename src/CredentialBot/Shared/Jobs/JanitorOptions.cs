using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Shared.Jobs;

/// <summary>Section "Janitor": how often it runs, and whether it runs in this instance.</summary>
public sealed class JanitorOptions
{
    public const string SectionName = "Janitor";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Janitor:Interval must be between 5 seconds and 1 hour.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
