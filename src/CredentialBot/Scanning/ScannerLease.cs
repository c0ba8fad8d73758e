using System.Globalization;

namespace CredentialBot.Scanning;

/// <summary>
/// The scanner lease: one scan at a time across every instance on one store, whatever started it (the schedule, the
/// chat, the <c>scan</c> verb, local mode's demo setup). The holder's name says what scans and where, so an attempt
/// that is refused can tell the person who is scanning.
/// </summary>
public static class ScannerLease
{
    /// <summary>The lease's name in the store.</summary>
    public const string Name = "scanner";

    /// <summary>
    /// A holder name for one scan: what started it, this machine and process, and a run id that keeps two scans of one
    /// process apart (a holder re-taking its own lease would otherwise succeed).
    /// </summary>
    public static string HolderFor(string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{Truncate(what, 120)} on {Truncate(Environment.MachineName, 60)}, process {Environment.ProcessId}, run {Guid.NewGuid().ToString("N")[..8]}");

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
