using System.Text.Json.Serialization.Metadata;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CredentialBot.Shared.Pipeline;

/// <summary>The host's way to declare an Action.Execute button: verb → typed data → <see cref="ICardAction{TData}"/>.</summary>
public static class ActivityRouteBuilderExtensions
{
    /// <summary>Routes <paramref name="verb"/> to <typeparamref name="TAction"/>; its data type must be in <see cref="CardDataJson"/>.</summary>
    public static ActivityRouteBuilder Button<TData, TAction>(this ActivityRouteBuilder routes, string verb)
        where TData : class, IWellFormed
        where TAction : class, ICardAction<TData>
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.Services.TryAddScoped<TAction>();
        return routes.CardAction<TData, CardActionRoute<TData, TAction>>(verb, DataType<TData>());
    }

    /// <summary>The source-generated JSON type of a card data record; a type missing from the context stops start-up.</summary>
    internal static JsonTypeInfo<TData> DataType<TData>() =>
        CardDataJson.Default.GetTypeInfo(typeof(TData)) as JsonTypeInfo<TData>
        ?? throw new InvalidOperationException($"{typeof(TData).Name} is not in {nameof(CardDataJson)}; add it there.");
}
