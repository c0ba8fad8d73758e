namespace CredentialBot.BotFramework.Invokes;

/// <summary>
/// What a handler answers. On the wire the HTTP status is <see cref="Status"/> and the body is <see cref="Body"/>
/// as JSON (the <c>{status, body}</c> pair is never sent as such). Non-invoke activities always get 200.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The body, serialized with the library's JSON context; null for none.</param>
public sealed record InvokeResponse(int Status, object? Body = null)
{
    /// <summary>200 without a body.</summary>
    public static InvokeResponse Ok() => new(200);

    /// <summary>200 with a body.</summary>
    public static InvokeResponse Ok(object body) => new(200, body);

    /// <summary>501: the invoke is not handled.</summary>
    public static InvokeResponse NotImplemented() => new(501);

    /// <summary>400 with an error body.</summary>
    public static InvokeResponse BadRequest(string code, string message) => new(400, new InvokeError(code, message));
}
