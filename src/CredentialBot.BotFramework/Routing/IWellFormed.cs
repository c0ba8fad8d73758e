namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// Invoke data that can say whether it is well-formed (required fields present, lengths within bounds). The router
/// asks before any handler runs and answers 400 itself when it is not.
/// </summary>
public interface IWellFormed
{
    /// <summary>True when every field is present and within its bounds.</summary>
    bool IsWellFormed();
}
