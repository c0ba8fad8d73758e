using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// The outbound token as the Connector client uses it, whichever <see cref="IConnectorTokenProvider"/> acquires it:
/// bounded by <see cref="ConnectorRetryOptions.TokenTimeout"/>, and after a failure not tried again for
/// <see cref="ConnectorRetryOptions.TokenRetryAfterFailure"/>, so a broken credential costs one wait, not one per
/// reply. A failure never throws into a handler: it is logged once, naming the credential setting to fix, and the
/// send reports <c>TokenUnavailable</c>.
/// </summary>
public sealed partial class ConnectorTokenSource
{
    private readonly IConnectorTokenProvider _provider;
    private readonly ConnectorRetryOptions _options;
    private readonly BotAuthOptions _bot;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectorTokenSource> _logger;
    private long _failedUntilTicks;

    /// <summary>Wraps the registered provider.</summary>
    public ConnectorTokenSource(IConnectorTokenProvider provider, ConnectorRetryOptions options, IOptions<BotAuthOptions> bot, TimeProvider time, ILogger<ConnectorTokenSource> logger)
    {
        ArgumentNullException.ThrowIfNull(bot);
        _provider = provider;
        _options = options;
        _bot = bot.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>The token for one send. Throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<ConnectorToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow().UtcTicks < Interlocked.Read(ref _failedUntilTicks))
        {
            return ConnectorToken.Unavailable;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<string?>? acquisition = null;
        try
        {
            // Not waited for beyond the timeout, even by a provider that blocks before returning its task or does not
            // listen to its token (it is told to stop then).
            acquisition = Task.Run(() => _provider.GetTokenAsync(stop.Token).AsTask(), stop.Token);
            var token = await acquisition.WaitAsync(_options.TokenTimeout, _time, cancellationToken).ConfigureAwait(false);
            return ConnectorToken.Of(token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of any credential library is the same outcome here: no token, said clearly.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _ = acquisition?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Failed(ex);
            return ConnectorToken.Unavailable;
        }
    }

    private void Failed(Exception exception)
    {
        var now = _time.GetUtcNow();
        var previous = Interlocked.Exchange(ref _failedUntilTicks, (now + _options.TokenRetryAfterFailure).UtcTicks);
        if (previous > now.UtcTicks)
        {
            return; // another send already said so
        }

        var reason = exception is TimeoutException ? $"no answer within {_options.TokenTimeout.TotalSeconds:0.#} s" : exception.GetType().Name;
        LogTokenFailed(_logger, reason, CredentialSetting(_bot), _bot.MicrosoftAppId, _options.TokenRetryAfterFailure.TotalSeconds, exception);
    }

    /// <summary>The setting that holds the credential in use, so the log line says what to fix.</summary>
    private static string CredentialSetting(BotAuthOptions bot) => bot switch
    {
        { ClientSecret.Length: > 0 } => "Bot:ClientSecret",
        { CertificatePath.Length: > 0 } => "Bot:CertificatePath (and Bot:CertificatePassword)",
        { ManagedIdentityClientId.Length: > 0 } => "Bot:ManagedIdentityClientId",
        _ => "AzureAd:ClientCredentials (or Bot:ManagedIdentityClientId, Bot:ClientSecret, Bot:CertificatePath)",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The bot could not get its Bot Connector token ({Reason}): check {CredentialSetting} for Bot:MicrosoftAppId {AppId} and Bot:MicrosoftAppTenantId. Replies, cards and notices are not sent until it works; the next attempt is in {RetrySeconds:0} s.")]
    private static partial void LogTokenFailed(ILogger logger, string reason, string credentialSetting, string? appId, double retrySeconds, Exception exception);
}
