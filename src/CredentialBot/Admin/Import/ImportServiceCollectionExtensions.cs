using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Admin.Import;

/// <summary>Owner import (admins): <c>import owners</c> with pasted or attached CSV, and its confirm button.</summary>
public static class ImportServiceCollectionExtensions
{
    public static IServiceCollection AddOwnerImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ImportOptions, ImportOptionsValidator>(configuration, ImportOptions.SectionName);
        services.AddHttpClient(nameof(ImportOwnersCommand), client => client.Timeout = TimeSpan.FromSeconds(20));
        services.AddScoped<OwnerImport>();
        services.AddCommand<ImportOwnersCommand>();
        return services.AddRoutes(routes => routes.Button<ImportActionData, ConfirmImport>(CardVerbs.ConfirmImport));
    }
}
