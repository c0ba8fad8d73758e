using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Shared.Commands;

/// <summary>
/// Runs a typed command in the interaction pipeline: an admin command answers only admins (anyone else is refused
/// politely and the attempt is audited), then the command answers.
/// </summary>
public sealed class CommandRunner(InteractionPipeline pipeline, AdminGate admins, IServiceProvider services)
{
    public Task<CommandReply> RunAsync(TurnContext turn, CommandRegistration command, string arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(command);
        var activity = turn.Activity;
        return pipeline.RunAsync(turn.Actor, async (who, ct) =>
        {
            if (command.Info.AdminOnly && !await admins.AllowsAsync(who, command.Info.Name, ct, command.Info.ScopedAdmins))
            {
                return CommandReply.WithText($"Sorry, **{command.Info.Name}** is for CredentialBot admins. Ask your identity team if you need it; **{CommandNames.MyApps}** and **{CommandNames.Status}** work for everyone.");
            }

            var handler = (IBotCommand)services.GetRequiredService(command.CommandType);
            return await handler.ExecuteAsync(new CommandRequest(arguments, who, activity.Conversation?.ConversationType, activity.Attachments, activity.Text), ct);
        }, cancellationToken);
    }
}
