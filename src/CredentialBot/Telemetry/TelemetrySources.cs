using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.Directory.Diagnostics;
using CredentialBot.Store.Diagnostics;

namespace CredentialBot.Telemetry;

/// <summary>Every activity source and meter the bot's own code writes to, from the host and each library.</summary>
public static class TelemetrySources
{
    /// <summary>Activity sources (traces).</summary>
    public static readonly IReadOnlyList<string> Traces = [HostTelemetry.Name, BotTelemetry.Name, DirectoryTelemetry.Name];

    /// <summary>Meters (metrics).</summary>
    public static readonly IReadOnlyList<string> Meters = [HostTelemetry.Name, BotTelemetry.Name, DirectoryTelemetry.Name, StoreTelemetry.Name];
}
