using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using CredentialBot.BotFramework.Authentication;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CredentialBot.BotFramework.Hosting;

/// <summary>The messaging endpoint Teams posts activities to.</summary>
public static partial class BotEndpoint
{
    /// <summary>Largest accepted activity; Teams messages are at most ~100 KB.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>
    /// Maps <c>POST {pattern}</c>: authenticate (or, in local mode, admit only a direct caller on this machine), require
    /// a JSON body, parse the activity, check it against the token and the channel/tenant policy, route it, and write
    /// 200 for ordinary activities or the invoke's status and body. Every refusal is a 4xx with a JSON
    /// <c>{code, message}</c> body: 401 (with <c>WWW-Authenticate: Bearer</c>) for a token that proves nothing, 403 for
    /// a caller outside the policy, 400 for a body that is not an activity, 413 for one too large, 415 for one that is
    /// not JSON. Resolves the router immediately so a duplicate route stops start-up.
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

        return endpoints.MapMethods(pattern, ["POST"], (HttpContext context) => HandleAsync(context, options, logger));
    }

    private static async Task HandleAsync(HttpContext context, BotAuthOptions options, ILogger logger)
    {
        var services = context.RequestServices;
        var authenticator = services.GetRequiredService<BotRequestAuthenticator>();
        var cancellationToken = context.RequestAborted;

        TokenCheck? token = null;
        if (options.IsLocalMode)
        {
            var caller = authenticator.ValidateLocalCaller(context);
            if (caller != AuthFailure.None)
            {
                await RefuseAsync(context, Refusal.For(caller, options), cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            token = await authenticator.ValidateTokenAsync(context.Request, cancellationToken).ConfigureAwait(false);
            if (!token.IsValid)
            {
                await RefuseAsync(context, Refusal.For(token.Failure, options), cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        // A browser sends text/plain, form and multipart bodies cross-origin without a preflight; JSON needs one.
        if (!IsJson(context.Request.ContentType))
        {
            LogBadBody(logger, Refusal.NotJson.Status, Refusal.NotJson.Message);
            await RefuseAsync(context, Refusal.NotJson, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (activity, problem) = await ReadActivityAsync(context, cancellationToken).ConfigureAwait(false);
        if (activity is null)
        {
            LogBadBody(logger, problem!.Status, problem.Message);
            await RefuseAsync(context, problem, cancellationToken).ConfigureAwait(false);
            return;
        }

        var failure = token is null ? authenticator.ValidateLocalActivity(activity) : authenticator.ValidateActivity(token, activity);
        if (failure != AuthFailure.None)
        {
            await RefuseAsync(context, Refusal.For(failure, options), cancellationToken).ConfigureAwait(false);
            return;
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

    /// <summary><c>application/json</c>, in UTF-8 (the only encoding the Bot Framework uses) when a charset is named.</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static async Task<(Activity? Activity, Refusal? Problem)> ReadActivityAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return (null, Refusal.TooLarge);
        }

        // Read from Kestrel's own pooled buffers: the body is parsed where it arrived, with no copy and no array per
        // request (copying it out cost 4 % of what the host allocated in P5; docs/benchmarks.md, session 31).
        var body = context.Request.BodyReader;
        ReadResult read;
        try
        {
            while (true)
            {
                read = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (read.Buffer.Length > MaxBodyBytes)
                {
                    body.AdvanceTo(read.Buffer.End);
                    return (null, Refusal.TooLarge);
                }

                if (read.IsCompleted)
                {
                    break;
                }

                body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // The server refused the body itself (a broken chunked encoding, its own size limit, a stalled upload).
            return (null, new Refusal(ex.StatusCode, "BadBody", "The request body could not be read."));
        }

        Activity? activity;
        try
        {
            activity = Parse(read.Buffer);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // JsonException: not JSON, or a field of the wrong shape; InvalidOperationException: text that is not UTF-8.
            return (null, Refusal.BadActivity("the body is not a JSON activity"));
        }
        finally
        {
            body.AdvanceTo(read.Buffer.End);
        }

        return MissingField(activity) is { } missing ? (null, Refusal.BadActivity($"it has no {missing}")) : (activity, null);
    }

    /// <summary>One JSON activity and nothing after it, as <see cref="JsonSerializer"/> reads a whole span.</summary>
    private static Activity? Parse(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var activity = JsonSerializer.Deserialize(ref reader, BotJsonContext.Default.Activity);
        if (reader.Read())
        {
            throw new JsonException("Text after the activity.");
        }

        return activity;
    }

    /// <summary>
    /// The first field every activity from Teams carries that this one lacks: what the bot needs to know who is speaking
    /// (<c>from.id</c>), where (<c>conversation.id</c>, <c>channelId</c>) and where replies go (<c>serviceUrl</c>).
    /// </summary>
    private static string? MissingField(Activity? activity) => activity switch
    {
        null => "body",
        not { Type.Length: > 0 } => "type",
        not { ChannelId.Length: > 0 } => "channelId",
        not { ServiceUrl.Length: > 0 } => "serviceUrl",
        not { Conversation.Id.Length: > 0 } => "conversation.id",
        not { From.Id.Length: > 0 } => "from.id",
        _ => null,
    };

    private static async Task RefuseAsync(HttpContext context, Refusal refusal, CancellationToken cancellationToken)
    {
        // Refused before routing: counted with the request rate, under no route.
        BotTelemetry.Record(null, null, routed: false, refusal.Status, TimeSpan.Zero);
        context.Response.StatusCode = refusal.Status;
        if (refusal.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new InvokeError(refusal.Code, refusal.Message), BotJsonContext.Default.InvokeError, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A refusal at the edge: status, a stable code and a sentence for whoever reads the response.</summary>
    private sealed record Refusal(int Status, string Code, string Message)
    {
        public static readonly Refusal NotJson = new(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", "Activities must be sent as application/json (UTF-8).");

        public static readonly Refusal TooLarge = new(StatusCodes.Status413PayloadTooLarge, "TooLarge", $"Activities larger than {MaxBodyBytes / 1024} KB are refused.");

        public static Refusal BadActivity(string why) => new(StatusCodes.Status400BadRequest, "BadActivity", $"This is not a Bot Framework activity: {why}.");

        /// <summary>
        /// 401 says only that a token is needed (which check failed is logged, never told); 403s name the policy, which
        /// a caller holding a genuine token, or sitting at this machine, may know.
        /// </summary>
        public static Refusal For(AuthFailure failure, BotAuthOptions options) => failure switch
        {
            AuthFailure.ChannelNotEndorsed => new(StatusCodes.Status403Forbidden, "ChannelNotEndorsed", "The token's signing key is not endorsed for this activity's channel."),
            AuthFailure.ChannelNotAllowed => new(StatusCodes.Status403Forbidden, "ChannelNotAllowed", $"This bot serves only these channels: {string.Join(", ", options.ServedChannels)}."),
            AuthFailure.TenantNotAllowed => new(StatusCodes.Status403Forbidden, "TenantNotAllowed", "This bot does not serve this tenant."),
            AuthFailure.NotLoopback => new(StatusCodes.Status403Forbidden, "NotLoopback", "Local mode (no Bot:MicrosoftAppId) accepts requests from this machine only."),
            AuthFailure.ProxiedRequest => new(StatusCodes.Status403Forbidden, "Proxied", "Local mode accepts direct requests only, not ones forwarded by a proxy or tunnel."),
            AuthFailure.HostNotLoopback => new(StatusCodes.Status403Forbidden, "HostNotLoopback", "Local mode answers only requests addressed to localhost, 127.0.0.1 or [::1]."),
            AuthFailure.ForeignOrigin => new(StatusCodes.Status403Forbidden, "ForeignOrigin", "Local mode refuses requests sent by web pages from other origins."),
            _ => new(StatusCodes.Status401Unauthorized, "Unauthorized", "A valid Bot Connector token for this bot is required."),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request body with {Status}: {Reason}")]
    private static partial void LogBadBody(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LOCAL MODE: Bot:MicrosoftAppId is not set, so /api/messages accepts UNAUTHENTICATED requests, only from programs on this machine (loopback socket and Host, JSON, no foreign Origin, no proxy headers). Never run like this in production.")]
    private static partial void LogLocalMode(ILogger logger);
}
