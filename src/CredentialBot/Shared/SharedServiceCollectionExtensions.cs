using CredentialBot.Shared.Access;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Apps;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Messaging;
using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.Options;

namespace CredentialBot.Shared;

/// <summary>What every feature stands on: access and audit, the interaction pipeline, cards, commands, dialogs, messaging, jobs.</summary>
public static class SharedServiceCollectionExtensions
{
    public static IServiceCollection AddShared(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AuthorizationOptions, AuthorizationOptionsValidator>(configuration, AuthorizationOptions.SectionName);
        services.AddValidatedOptions<AdminScopesOptions, AdminScopesOptionsValidator>(configuration, AdminScopesOptions.SectionName);
        services.AddValidatedOptions<CardOptions, CardOptionsValidator>(configuration, CardOptions.SectionName);
        services.AddOptions<SendLimitOptions>().Bind(configuration.GetSection(SendLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JanitorOptions>().Bind(configuration.GetSection(JanitorOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddMemoryCache();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AccessControl>();
        services.AddScoped<AdminGate>();
        services.AddScoped<AdminScopeResolver>();
        services.AddScoped<InteractionPipeline>();
        services.AddSingleton<PeopleWaiting>();
        services.AddScoped<AppRefresher>();

        services.AddSingleton<CommandTable>();
        services.AddScoped<CommandRunner>();
        services.AddScoped<AppLookup>();
        services.AddDialogs();

        services.AddSingleton<ConnectorRateLimits>();
        services.AddSingleton<SendPacing>();
        services.AddSingleton<BotFramework.Connector.IConnectorRequestBudget, TenantRequestBudget>();
        services.AddScoped<ThrottledSends>();
        services.AddScoped<Messenger>();

        services.AddPeriodicJob<JanitorRound>(sp =>
        {
            var janitor = sp.GetRequiredService<IOptions<JanitorOptions>>().Value;
            return new JobSchedule(janitor.Enabled, janitor.Interval);
        });
        return services;
    }

    /// <summary>Binds section <paramref name="section"/>, checked by <typeparamref name="TValidator"/> at start-up.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }
}
