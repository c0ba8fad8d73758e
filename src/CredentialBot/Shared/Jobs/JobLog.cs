namespace CredentialBot.Shared.Jobs;

/// <summary>Log messages of the periodic-job host (source-generated logging cannot live in its generic class).</summary>
internal static partial class JobLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying at the next interval")]
    public static partial void RoundFailed(ILogger logger, string job, Exception exception);
}
