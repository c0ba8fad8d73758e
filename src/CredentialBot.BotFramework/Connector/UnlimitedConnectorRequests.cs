namespace CredentialBot.BotFramework.Connector;

/// <summary>No budget: what <see cref="ConnectorClient"/> uses when the host registers none (tools and tests).</summary>
internal sealed class UnlimitedConnectorRequests : IConnectorRequestBudget, IAsyncDisposable
{
    public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IAsyncDisposable>(this);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
