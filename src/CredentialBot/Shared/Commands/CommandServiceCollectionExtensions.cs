namespace CredentialBot.Shared.Commands;

/// <summary>Registration of bot commands.</summary>
public static class CommandServiceCollectionExtensions
{
    /// <summary>Registers a command under its static info; the command is constructed only when someone runs it.</summary>
    public static IServiceCollection AddCommand<TCommand>(this IServiceCollection services)
        where TCommand : class, IBotCommand
    {
        services.AddScoped<TCommand>();
        services.AddSingleton(new CommandRegistration(TCommand.Info, typeof(TCommand)));
        return services;
    }
}
