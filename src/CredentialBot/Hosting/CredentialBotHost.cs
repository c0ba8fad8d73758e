using CredentialBot.Admin;
using CredentialBot.AppRequests;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.Conversation;
using CredentialBot.Digests;
using CredentialBot.Elevation;
using CredentialBot.Ownership;
using CredentialBot.Requests;
using CredentialBot.Rotation;
using CredentialBot.Scanning;
using CredentialBot.Shared;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Pipeline;
using CredentialBot.Status;
using CredentialBot.Store;
using CredentialBot.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace CredentialBot.Hosting;

/// <summary>The composition root, read as a table of contents: the layers below, what features share, then one line per feature.</summary>
public static class CredentialBotHost
{
    private const string ReadyTag = "ready";
    private const string BotMessagesPath = "/api/messages";

    public static WebApplicationBuilder AddCredentialBot(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // The layers below the host: the Teams protocol, the store, the tenant.
        services.AddSingleton(TimeProvider.System);
        services.AddBotFramework(configuration);
        services.AddCredentialBotStore(configuration);
        services.AddTenant(configuration);
        services.AddTelemetry(configuration);
        if (LocalMode.IsOn(configuration))
        {
            services.AddLocalMode(configuration);
        }

        // The features (docs/architecture.md): the four flows, scan → notify → act → ask.
        services.AddShared(configuration);
        services.AddScanning(configuration);
        services.AddDigests(configuration);
        services.AddStatus();
        services.AddRotation(configuration);
        services.AddElevation();
        services.AddOwnership(configuration);
        services.AddRequests();
        services.AddAppRequests(configuration);
        services.AddAdmin(configuration);
        services.AddConversation();

        services.AddHealthChecks()
            .AddCheck<DirectoryHealthCheck>("directory", tags: [ReadyTag])
            .AddCheck<ScanHealthCheck>("scan", tags: [ReadyTag])
            .AddCredentialBotStoreCheck(tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapCredentialBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Fail at start, not on the first message, when two commands or dialogs share a name (nothing is constructed).
        _ = app.Services.GetRequiredService<CommandTable>();
        _ = app.Services.GetRequiredService<DialogTable>();

        app.UsePeopleWaiting(BotMessagesPath);
        app.MapBotMessages(BotMessagesPath);
        app.MapAdmin();
        // Liveness says only that the process serves; readiness checks the store and the directory.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = ReadinessReport.WriteAsync });
        return app;
    }
}
