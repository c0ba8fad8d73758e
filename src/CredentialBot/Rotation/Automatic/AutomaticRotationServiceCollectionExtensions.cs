using CredentialBot.Shared.Jobs;

namespace CredentialBot.Rotation.Automatic;

/// <summary>Hands-free rotation: its options and its janitor chore (after the receipts, before old secrets are removed).</summary>
public static class AutomaticRotationServiceCollectionExtensions
{
    public static IServiceCollection AddAutomaticRotation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AutomaticRotationOptions>().Bind(configuration.GetSection(AutomaticRotationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        return services.AddJanitorChore<AutomaticRotations>();
    }
}
