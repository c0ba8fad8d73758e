using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Rotation.Receipts;

/// <summary>Rotation receipts: the usage reports, the receipt chore, and the still-used question with its two buttons.</summary>
public static class ReceiptsServiceCollectionExtensions
{
    public static IServiceCollection AddReceipts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReceiptOptions>().Bind(configuration.GetSection(ReceiptOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReceiptSchedule>();
        services.AddScoped<UsageReports>();
        services.AddScoped<StillUsedQuestions>();
        services.AddJanitorChore<RotationReceipts>();
        services.AddJanitorChore<UnusedCredentialsSurvey>();
        return services.AddRoutes(routes => routes
            .Button<StillUsedDecisionData, RemoveOldAnyway>(CardVerbs.RemoveOldAnyway)
            .Button<StillUsedDecisionData, KeepOldLonger>(CardVerbs.KeepOldLonger));
    }
}
