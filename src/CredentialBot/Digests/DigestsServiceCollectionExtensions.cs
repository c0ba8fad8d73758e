using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.Options;

namespace CredentialBot.Digests;

/// <summary>
/// Digests: planning notices into the outbox, dispatching one card per person (1:1, created from team rosters when
/// needed), escalating to admins, and Snooze / Acknowledge on the card.
/// </summary>
public static class DigestsServiceCollectionExtensions
{
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<NotificationOptions, NotificationOptionsValidator>(configuration, NotificationOptions.SectionName);
        services.AddHttpClient<EscalationWebhook>(client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<TeamRosters>();
        services.AddScoped<NotificationPlanning>();
        services.AddScoped<DigestView>();
        services.AddScoped<PersonalConversations>();
        services.AddScoped<UnreachableRecipients>();
        services.AddScoped<Escalations>();
        services.AddScoped<DigestSender>();
        services.AddScoped<NoticePausing>();
        services.AddSingleton<SendPathWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<SendPathWarmUp>());
        services.AddPeriodicJob<DigestDispatcher>(sp =>
        {
            var notifications = sp.GetRequiredService<IOptions<NotificationOptions>>().Value;
            return new JobSchedule(notifications.DispatcherEnabled, notifications.DispatchInterval, Wake: sp.GetRequiredService<DispatchSignal>());
        });
        return services.AddRoutes(routes => routes
            .Button<PauseNoticesData, SnoozeNotices>(CardVerbs.Snooze)
            .Button<PauseNoticesData, AcknowledgeNotices>(CardVerbs.Acknowledge));
    }
}
