using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Commands;
using CredentialBot.Directory;
using CredentialBot.Domain;
using CredentialBot.Handlers;
using CredentialBot.Scanning;
using CredentialBot.Store;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CredentialBot.Hosting;

/// <summary>The composition root: each layer contributes one <c>Add…</c> call; the host adds its commands and jobs.</summary>
public static class CredentialBotHost
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddCredentialBot(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        var local = LocalMode.IsOn(configuration);

        services.AddSingleton(TimeProvider.System);
        services.AddBotFramework(configuration);
        services.AddCredentialBotStore(configuration);

        if (LocalMode.UsesEmbeddedSimulator(configuration))
        {
            // Registered before anything that reads the directory: hosted services start in order.
            services.AddSingleton<EmbeddedSimulator>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSimulator>());
            services.AddTenantDirectory(configuration, sp => sp.GetRequiredService<EmbeddedSimulator>().BaseAddress);
        }
        else
        {
            services.AddTenantDirectory(configuration);
        }

        services.AddOptions<ScannerOptions>()
            .Bind(configuration.GetSection(ScannerOptions.SectionName))
            .Configure(o => o.ScanAtStart &= !local)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<ScanJob>();
        if (local)
        {
            services.AddSingleton(sp => new LocalDemoSetup(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetService<EmbeddedSimulator>(), sp.GetRequiredService<ILogger<LocalDemoSetup>>()));
            services.AddHostedService(sp => sp.GetRequiredService<LocalDemoSetup>());
        }

        services.AddHostedService<ScanService>();

        services.AddOptions<CredentialBot.Notifications.NotificationOptions>().Bind(configuration.GetSection(CredentialBot.Notifications.NotificationOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CredentialBot.Notifications.NotificationOptions>, CredentialBot.Notifications.NotificationOptionsValidator>();
        services.AddHttpClient<CredentialBot.Notifications.EscalationWebhook>(client => client.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<CredentialBot.Notifications.DispatchSignal>();
        services.AddScoped<CredentialBot.Notifications.NotificationPlanning>();
        services.AddScoped<CredentialBot.Notifications.DigestDispatcher>();
        services.AddScoped<CredentialBot.Notifications.DigestSender>();
        services.AddScoped<CredentialBot.Notifications.PersonalConversations>();
        services.AddSingleton<CredentialBot.Notifications.TeamRosters>();
        services.AddSingleton<CredentialBot.Notifications.ConnectorRateLimits>();
        services.AddHostedService<CredentialBot.Notifications.DispatcherService>();

        var demoAdmins = LocalMode.UsesEmbeddedSimulator(configuration);
        services.AddOptions<CredentialBot.Actions.AuthorizationOptions>()
            .Bind(configuration.GetSection(CredentialBot.Actions.AuthorizationOptions.SectionName))
            .Configure(o =>
            {
                // The demo tenant's "CredentialBot Admins" group (Megan Bowen, through a nested group) unless admins are configured.
                if (demoAdmins && o.AdminObjectIds.Count == 0 && o.AdminGroupIds.Count == 0)
                {
                    o.AdminGroupIds.Add(CredentialBot.Simulator.DemoTenant.AdminGroup);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CredentialBot.Actions.AuthorizationOptions>, CredentialBot.Actions.AuthorizationOptionsValidator>();
        services.AddMemoryCache();
        services.AddScoped<CredentialBot.Actions.AccessControl>();
        services.AddScoped<CredentialBot.Actions.AppRefresher>();
        services.AddOptions<CredentialBot.Actions.KeyVaultOptions>().Bind(configuration.GetSection(CredentialBot.Actions.KeyVaultOptions.SectionName));
        services.AddSingleton(sp => new CredentialBot.Actions.KeyVaultDeliveryCredential(AzureCredentials.ForKeyVault(sp)));
        services.AddSingleton(_ => new Azure.Security.KeyVault.Secrets.SecretClientOptions());
        services.AddSingleton(sp => new CredentialBot.Actions.KeyVaultDelivery(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<CredentialBot.Actions.KeyVaultOptions>>(),
            sp.GetRequiredService<CredentialBot.Actions.KeyVaultDeliveryCredential>().Credential,
            sp.GetRequiredService<Azure.Security.KeyVault.Secrets.SecretClientOptions>()));
        services.AddScoped<CredentialBot.Actions.Messenger>();
        services.AddScoped<CredentialBot.Actions.OwnerChanges>();
        services.AddScoped<CredentialBot.Actions.Approvals>();
        services.AddOptions<CredentialBot.Janitor.JanitorOptions>().Bind(configuration.GetSection(CredentialBot.Janitor.JanitorOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CredentialBot.Janitor.JanitorRound>();
        services.AddHostedService<CredentialBot.Janitor.JanitorService>();

        services.AddOptions<CredentialBot.Cards.CardOptions>()
            .Bind(configuration.GetSection(CredentialBot.Cards.CardOptions.SectionName))
            .PostConfigure(o => o.DialogButtons ??= local ? CredentialBot.Cards.DialogButtons.Inline : CredentialBot.Cards.DialogButtons.TaskModule);
        services.AddScoped<AppLookup>();
        services.AddScoped<IBotCommand, HelpCommand>();
        services.AddScoped<IBotCommand, MyAppsCommand>();
        services.AddScoped<IBotCommand, StatusCommand>();
        services.AddScoped<IBotCommand, ElevateCommand>();
        services.AddScoped<IBotCommand, AuditCommand>();
        services.AddScoped<AdminGate>();
        services.AddScoped<CredentialBot.Admin.ComplianceReport>();
        services.AddScoped<IBotCommand, ComplianceCommand>();
        services.AddSingleton<CredentialBot.Admin.BackgroundScans>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.ScanNowCommand>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.PoliciesCommand>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.PolicyCommand>();
        services.AddScoped<CredentialBot.Dialogs.IDialog, CredentialBot.Admin.PolicyDialog>();
        services.AddOptions<CredentialBot.Admin.ImportOptions>().Bind(configuration.GetSection(CredentialBot.Admin.ImportOptions.SectionName));
        services.AddHttpClient(nameof(CredentialBot.Admin.ImportOwnersCommand), client => client.Timeout = TimeSpan.FromSeconds(20));
        services.AddScoped<CredentialBot.Admin.OwnerImport>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.ImportOwnersCommand>();
        var localSigningKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        services.AddOptions<CredentialBot.Admin.ExportOptions>()
            .Bind(configuration.GetSection(CredentialBot.Admin.ExportOptions.SectionName))
            .PostConfigure(o =>
            {
                // Local mode needs no configuration: links point at this host and are signed with a key of this run.
                if (local)
                {
                    o.PublicBaseUrl ??= (configuration["Urls"] ?? "http://localhost:3978").Split(';')[0];
                    o.SigningKey ??= localSigningKey;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CredentialBot.Admin.ExportOptions>, CredentialBot.Admin.ExportOptionsValidator>();
        services.AddSingleton<CredentialBot.Admin.ExportLinks>();
        services.AddScoped<CredentialBot.Admin.Exports>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.ExportAuditCommand>();
        services.AddScoped<IBotCommand, CredentialBot.Admin.ExportComplianceCommand>();
        services.AddScoped<CommandTable>();

        services.AddScoped<CredentialBot.Dialogs.IDialog, CredentialBot.Dialogs.RotateDialog>();
        services.AddScoped<CredentialBot.Dialogs.IDialog, CredentialBot.Dialogs.ElevateDialog>();
        services.AddScoped<CredentialBot.Dialogs.IDialog, CredentialBot.Dialogs.OwnerDialog>();
        services.AddScoped<CredentialBot.Dialogs.DialogTable>();

        services.AddSingleton<ConversationEvents>();
        services.AddActivityHandler<MessageHandler>();
        services.AddActivityHandler<InstallationUpdateHandler>();
        services.AddActivityHandler<ConversationUpdateHandler>();
        services.AddActivityHandler<SnoozeHandler>();
        services.AddActivityHandler<AcknowledgeHandler>();
        services.AddActivityHandler<CredentialBot.Dialogs.TaskFetchHandler>();
        services.AddActivityHandler<CredentialBot.Dialogs.TaskSubmitHandler>();
        services.AddActivityHandler<CredentialBot.Dialogs.InlineDialogHandler>();
        services.AddActivityHandler<ApproveRequestHandler>();
        services.AddActivityHandler<DenyRequestHandler>();
        services.AddActivityHandler<ViewRequestHandler>();
        services.AddActivityHandler<CancelRemovalHandler>();
        services.AddScoped<StatusCards>();
        services.AddActivityHandler<FindAppHandler>();
        services.AddActivityHandler<UnfurlAppLinkHandler>();
        services.AddActivityHandler<AppStatusRefreshHandler>();
        services.AddActivityHandler<CredentialBot.Admin.ImportConfirmHandler>();

        services.AddHealthChecks()
            .AddCheck<DirectoryHealthCheck>("directory", tags: [ReadyTag])
            .AddCredentialBotStoreCheck(tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapCredentialBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Fail at start, not on the first message, when two commands share a name.
        using (var scope = app.Services.CreateScope())
        {
            _ = scope.ServiceProvider.GetRequiredService<CommandTable>();
            _ = scope.ServiceProvider.GetRequiredService<CredentialBot.Dialogs.DialogTable>();
        }

        app.MapBotMessages("/api/messages");
        CredentialBot.Admin.ExportEndpoint.MapExports(app);
        // Liveness says only that the process serves; readiness checks the store and the directory.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}

/// <summary>Readiness of the tenant directory: one cheap Graph call.</summary>
internal sealed class DirectoryHealthCheck(ITenantDirectory directory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await directory.PingAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The tenant directory did not answer.");
}
