namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// The tenant's budget for requests to the Bot Connector. Teams limits every request a bot makes in a tenant (50 per
/// second per app per tenant: sends, replies, updates, new conversations, roster reads), and counts them where they
/// arrive, which no sender controls: a request can sit in a socket, a proxy or a stalled process and arrive together
/// with later ones. So <see cref="ConnectorClient"/> enters the budget for each attempt (each retry is a request) just
/// before it is handed to HTTP, and leaves it once the answer came back: the request arrived somewhere in between.
/// An implementation that counts a request from entry until one window after it left admits at most its limit into any
/// window at the receiving end, however late each arrives.
/// </summary>
public interface IConnectorRequestBudget
{
    /// <summary>
    /// Waits until one more request is within the budget; disposing the permit says its answer came back. Throws
    /// <see cref="ConnectorRequestShedException"/> when the budget will not admit the request in time for its caller.
    /// </summary>
    ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken);
}
