using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialBot.BotFramework.Invokes;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// A route for an invoke: reads its data once into <typeparamref name="TData"/>, checks it is well-formed, and hands
/// it to the handler. Data that is missing, does not parse or is not well-formed is answered with 400 here, after the
/// handler has been told (<see cref="IInvokeHandler{TData}.RejectedAsync"/>).
/// </summary>
internal sealed class InvokeRoute<TData, THandler>(RouteKey key, JsonTypeInfo<TData> dataType) : Route(key, typeof(THandler))
    where TData : class
    where THandler : class, IInvokeHandler<TData>
{
    internal override async Task<InvokeResponse> InvokeAsync(TurnContext turn, JsonElement? payload, CancellationToken cancellationToken)
    {
        IInvokeHandler<TData> handler = turn.Services.GetRequiredService<THandler>();
        var (data, problem) = Read(payload);
        if (data is null)
        {
            await handler.RejectedAsync(turn, problem!, cancellationToken).ConfigureAwait(false);
            return Malformed(Key);
        }

        return await handler.HandleAsync(new InvokeContext<TData>(turn, data), cancellationToken).ConfigureAwait(false);
    }

    private (TData? Data, string? Problem) Read(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } json)
        {
            return (null, "The request carries no data object.");
        }

        TData? data;
        try
        {
            data = json.Deserialize(dataType);
        }
        catch (JsonException)
        {
            return (null, "The request's data does not have the expected shape.");
        }

        return data is null || (data is IWellFormed checkable && !checkable.IsWellFormed())
            ? (null, "The request's data is incomplete or out of bounds.")
            : (data, null);
    }
}
