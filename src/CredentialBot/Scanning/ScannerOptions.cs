using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Scanning;

/// <summary>Section "Scanner": how often the tenant is scanned and how many Apps are written per store transaction.</summary>
public sealed class ScannerOptions
{
    public const string SectionName = "Scanner";

    /// <summary>Run the periodic scan at all (a single instance may turn it off and use the CLI instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Scan as soon as the host starts (local mode turns this off: it scans while seeding the demo).</summary>
    public bool ScanAtStart { get; set; } = true;

    /// <summary>Time between scans.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ErrorMessage = "Scanner:Interval must be between 5 minutes and 7 days.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Every this many scans a collection is listed in full instead of read by delta, so whatever delta rounds missed
    /// (drift) heals; 1 lists in full every time.
    /// </summary>
    [Range(1, 10_000, ErrorMessage = "Scanner:FullListingEvery must be between 1 and 10000 scans.")]
    public int FullListingEvery { get; set; } = 28;

    /// <summary>Apps per batch: each batch is written, planned and reported as one piece.</summary>
    [Range(10, 5_000, ErrorMessage = "Scanner:BatchSize must be between 10 and 5000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// On SQLite, at most this many batches share one store transaction, and only while the writer is behind the
    /// listing (the next batch is already waiting) and nobody waits for the bot's answer; 1 commits every batch on its
    /// own. Every SQLite commit writes each page it changed to the log again, and a batch of new Apps changes pages all
    /// over the Apps' key, so a first load fast enough to outrun its writer commits less often. PostgreSQL always
    /// commits each batch on its own.
    /// </summary>
    [Range(1, 20, ErrorMessage = "Scanner:BatchesPerTransaction must be between 1 and 20.")]
    public int BatchesPerTransaction { get; set; } = 4;

    /// <summary>
    /// While the bot is answering people, the scan rests after each batch this many times as long as the batch took
    /// (<see cref="ScanRest"/>); 0 never rests. 1 halves the scan's share of the store's write lock and of the
    /// processor while people act.
    /// </summary>
    [Range(0.0, 10.0, ErrorMessage = "Scanner:YieldToPeople must be between 0 (never rest) and 10.")]
    public double YieldToPeople { get; set; } = 1;
}
