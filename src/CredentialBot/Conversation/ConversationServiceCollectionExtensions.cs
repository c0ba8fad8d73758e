using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Conversation;

/// <summary>Conversation: messages and commands, installs and the welcome card, and <c>help</c>.</summary>
public static class ConversationServiceCollectionExtensions
{
    public static IServiceCollection AddConversation(this IServiceCollection services)
    {
        services.AddScoped<ConversationEvents>();
        services.AddCommand<HelpCommand>();
        return services.AddRoutes(routes => routes
            .Activity<MessageRoute>(ActivityTypes.Message)
            .Activity<InstallationUpdateRoute>(ActivityTypes.InstallationUpdate)
            .Activity<ConversationUpdateRoute>(ActivityTypes.ConversationUpdate));
    }
}
