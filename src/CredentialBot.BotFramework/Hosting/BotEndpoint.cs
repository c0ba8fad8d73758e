using System.Text.Json;
using CredentialBot.BotFramework.Authentication;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Hosting;

/// <summary>The messaging endpoint Teams posts activities to.</summary>
public static partial class BotEndpoint
{
    /// <summary>Largest accepted activity; Teams messages are at most ~100 KB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Maps <c>POST {pattern}</c>: authenticate (or, in local mode, require a loopback caller), parse the activity,
    /// route it, and write 200 for ordinary activities or the invoke's status and body. Auth failures are a bare 401
    /// (403 for a tenant outside the allow-list) with <c>WWW-Authenticate: Bearer</c>; bad JSON is 400. Resolves the
    /// router immediately so a duplicate route stops start-up.
    /// </summary>
    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        _ = services.GetRequiredService<ActivityRouter>();
        var options = services.GetRequiredService<IOptions<BotAuthOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotEndpoint));
        if (options.IsLocalMode)
        {
            LogLocalMode(logger);
        }

        return endpoints.MapMethods(pattern, ["POST"], (HttpContext context) => HandleAsync(context, options.IsLocalMode));
    }

    private static async Task HandleAsync(HttpContext context, bool localMode)
    {
        var services = context.RequestServices;
        var authenticator = services.GetRequiredService<BotRequestAuthenticator>();
        var cancellationToken = context.RequestAborted;

        TokenCheck? token = null;
        if (localMode)
        {
            if (!authenticator.IsLocalCallerAllowed(context))
            {
                Unauthorized(context);
                return;
            }
        }
        else
        {
            token = await authenticator.ValidateTokenAsync(context.Request, cancellationToken).ConfigureAwait(false);
            if (!token.IsValid)
            {
                Unauthorized(context);
                return;
            }
        }

        var activity = await ReadActivityAsync(context, cancellationToken).ConfigureAwait(false);
        if (activity is null)
        {
            return;
        }

        if (token is not null)
        {
            var failure = authenticator.ValidateActivity(token, activity);
            if (failure == AuthFailure.TenantNotAllowed)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            if (failure != AuthFailure.None)
            {
                Unauthorized(context);
                return;
            }
        }

        var turn = new TurnContext(activity, services, services.GetRequiredService<IConnectorClient>());
        var response = await services.GetRequiredService<ActivityRouter>().RouteAsync(turn, cancellationToken).ConfigureAwait(false);
        var isInvoke = string.Equals(activity.Type, ActivityTypes.Invoke, StringComparison.Ordinal);
        context.Response.StatusCode = isInvoke || response.Status >= 500 ? response.Status : StatusCodes.Status200OK;
        if (response.Body is { } body && (isInvoke || response.Status >= 400))
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(context.Response.Body, body, body.GetType(), BotJsonContext.Default, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Activity?> ReadActivityAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var activity = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), BotJsonContext.Default.Activity);
            if (activity is { Type.Length: > 0 })
            {
                return activity;
            }
        }
        catch (JsonException)
        {
            // Falls through to 400: the body is not an activity.
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }

    private static void Unauthorized(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LOCAL MODE: Bot:MicrosoftAppId is not set, so /api/messages accepts UNAUTHENTICATED requests from loopback addresses only. Never run like this in production.")]
    private static partial void LogLocalMode(ILogger logger);
}
