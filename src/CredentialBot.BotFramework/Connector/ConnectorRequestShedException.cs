namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// Thrown by an <see cref="IConnectorRequestBudget"/> that will not admit a request at all: its caller needed it sent
/// by a time the budget cannot meet (a reply to a person that would arrive after Teams stopped waiting for it). Nothing
/// was sent. <see cref="ConnectorClient"/> turns it into a <see cref="SendOutcome.Failed"/> result with the error code
/// <see cref="ErrorCode"/>, never an exception in a handler.
/// </summary>
public sealed class ConnectorRequestShedException : Exception
{
    /// <summary>The <see cref="SendResult.ErrorCode"/> of a request the budget shed.</summary>
    public const string ErrorCode = "Shed";

    /// <summary>A request shed with the standard message.</summary>
    public ConnectorRequestShedException()
        : base("The Connector request budget shed this request: it could not be sent in time.")
    {
    }

    /// <summary>A request shed, saying why.</summary>
    public ConnectorRequestShedException(string message)
        : base(message)
    {
    }

    /// <summary>A request shed because of <paramref name="innerException"/>.</summary>
    public ConnectorRequestShedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
