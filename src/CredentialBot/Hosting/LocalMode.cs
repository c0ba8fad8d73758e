using System.Security.Cryptography;
using CredentialBot.Admin.Export;
using CredentialBot.AppRequests;
using CredentialBot.Scanning;
using CredentialBot.Shared.Access;
using CredentialBot.Shared.Cards;
using CredentialBot.Simulator;

namespace CredentialBot.Hosting;

/// <summary>
/// Local mode: no bot app id is configured. The bot then accepts unauthenticated calls from loopback only (the Agents
/// Playground sends no token), uses an embedded Simulator as the tenant unless Graph:BaseUrl is set, and seeds the
/// demo tenant's store-kept owners. Everything local mode changes about the settings is here.
/// </summary>
public static class LocalMode
{
    public static bool IsOn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.IsNullOrWhiteSpace(configuration["Bot:MicrosoftAppId"]);
    }

    /// <summary>Local mode without an explicit Graph endpoint runs the Simulator inside the host.</summary>
    public static bool UsesEmbeddedSimulator(IConfiguration configuration) =>
        IsOn(configuration) && string.IsNullOrWhiteSpace(configuration["Graph:BaseUrl"]);

    /// <summary>
    /// Local mode's defaults: dialogs open inside cards (the Playground cannot open them), no scan at start (the demo
    /// setup scans while seeding), export links to this host signed with a key of this run, and — with the embedded
    /// demo tenant and no admins configured — its "CredentialBot Admins" group as the admins.
    /// </summary>
    public static IServiceCollection AddLocalMode(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<LocalDemoSetup>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalDemoSetup>());

        services.PostConfigure<CardOptions>(o => o.DialogButtons ??= DialogButtons.Inline);
        services.PostConfigure<ScannerOptions>(o => o.ScanAtStart = false);
        var signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        services.PostConfigure<ExportOptions>(o =>
        {
            o.PublicBaseUrl ??= (configuration["Urls"] ?? "http://localhost:3978").Split(';')[0];
            o.SigningKey ??= signingKey;
        });
        if (UsesEmbeddedSimulator(configuration))
        {
            // Megan Bowen is an admin through a nested group of the demo tenant, unless admins are configured.
            services.PostConfigure<AuthorizationOptions>(o =>
            {
                if (o.AdminObjectIds.Count == 0 && o.AdminGroupIds.Count == 0)
                {
                    o.AdminGroupIds.Add(DemoTenant.AdminGroup);
                }
            });

            // "request app" works in the demo unless the setting says otherwise: the demo tenant has the bot's service principal.
            if (configuration[$"{AppRequestsOptions.SectionName}:{nameof(AppRequestsOptions.Enabled)}"] is null)
            {
                services.PostConfigure<AppRequestsOptions>(o =>
                {
                    o.Enabled = true;
                    o.ManagingServicePrincipalId ??= DemoTenant.CredentialBotServicePrincipal;
                });
            }
        }

        return services;
    }
}
