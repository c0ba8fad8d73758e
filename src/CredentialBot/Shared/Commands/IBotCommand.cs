namespace CredentialBot.Shared.Commands;

/// <summary>
/// One bot command. Registered with <c>AddCommand&lt;T&gt;()</c> under its static <see cref="Info"/>, so the command
/// table (and the help card) is built without constructing any command; it runs in the interaction pipeline.
/// </summary>
public interface IBotCommand
{
    /// <summary>Its name, usage and description.</summary>
    static abstract CommandInfo Info { get; }

    Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken);
}
