using System.Text.Json.Serialization.Metadata;
using CredentialBot.BotFramework.Invokes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// Declares routes: each names its key and the handler type that answers it, and, for invokes, the type its data is
/// read into. Handlers are registered as scoped services; the routing table is built from the declarations alone.
/// </summary>
public sealed class ActivityRouteBuilder
{
    internal ActivityRouteBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services the routes' handlers are registered in, for what a handler needs besides itself.</summary>
    public IServiceCollection Services { get; }

    /// <summary>A non-invoke activity type (e.g. <c>message</c>).</summary>
    public ActivityRouteBuilder Activity<THandler>(string activityType)
        where THandler : class, IActivityHandler =>
        Add<THandler>(new ActivityRoute<THandler>(activityType));

    /// <summary>An Action.Execute verb; <c>value.action.data</c> is read into <typeparamref name="TData"/>.</summary>
    public ActivityRouteBuilder CardAction<TData, THandler>(string verb, JsonTypeInfo<TData> data)
        where TData : class
        where THandler : class, IInvokeHandler<TData> =>
        Add<THandler>(new InvokeRoute<TData, THandler>(RouteKey.ForCardAction(verb), data));

    /// <summary>A dialog being opened (<c>task/fetch</c>); <c>value.data</c> is read into <typeparamref name="TData"/>.</summary>
    public ActivityRouteBuilder TaskFetch<TData, THandler>(JsonTypeInfo<TData> data)
        where TData : class
        where THandler : class, IInvokeHandler<TData> =>
        Add<THandler>(new InvokeRoute<TData, THandler>(RouteKey.ForInvoke(InvokeNames.TaskFetch), data));

    /// <summary>A dialog being submitted (<c>task/submit</c>); <c>value.data</c> (with the inputs) is read into <typeparamref name="TData"/>.</summary>
    public ActivityRouteBuilder TaskSubmit<TData, THandler>(JsonTypeInfo<TData> data)
        where TData : class
        where THandler : class, IInvokeHandler<TData> =>
        Add<THandler>(new InvokeRoute<TData, THandler>(RouteKey.ForInvoke(InvokeNames.TaskSubmit), data));

    /// <summary>A message-extension search command (<c>composeExtension/query</c> with this <c>commandId</c>).</summary>
    public ActivityRouteBuilder MessageExtensionQuery<THandler>(string commandId)
        where THandler : class, IInvokeHandler<MessagingExtensionQuery> =>
        Add<THandler>(new InvokeRoute<MessagingExtensionQuery, THandler>(RouteKey.ForMessageExtension(commandId), BotJsonContext.Default.MessagingExtensionQuery));

    /// <summary>Link unfurling (<c>composeExtension/queryLink</c>).</summary>
    public ActivityRouteBuilder LinkUnfurl<THandler>()
        where THandler : class, IInvokeHandler<AppBasedLinkQuery> =>
        Add<THandler>(new InvokeRoute<AppBasedLinkQuery, THandler>(RouteKey.ForInvoke(InvokeNames.MessagingExtensionQueryLink), BotJsonContext.Default.AppBasedLinkQuery));

    private ActivityRouteBuilder Add<THandler>(Route route)
        where THandler : class
    {
        Services.TryAddScoped<THandler>();
        Services.AddSingleton(route);
        return this;
    }
}
