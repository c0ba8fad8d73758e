namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Tests that read the bot's telemetry run alone: its activity sources and meters are process-wide, so a host running
/// beside them would add its spans and measurements to theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunningAlone
{
    public const string Name = "Running alone";
}
