using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CredentialBot.BotFramework.Hosting;

/// <summary>
/// The remote address as the socket saw it, recorded before any middleware runs. The forwarded-headers middleware
/// (switched on by <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>, which then trusts every proxy) rewrites
/// <see cref="ConnectionInfo.RemoteIpAddress"/> from <c>X-Forwarded-For</c>, so a remote caller could claim to be
/// 127.0.0.1; local mode decides "this machine" from this record instead.
/// </summary>
internal sealed class SocketRemoteAddress(IPAddress? remote)
{
    /// <summary>The connection's remote address before any rewriting; null when the server gave none.</summary>
    public IPAddress? Remote { get; } = remote;

    /// <summary>The address recorded for this request, or null when <see cref="CaptureFilter"/> did not run.</summary>
    public static SocketRemoteAddress? Of(HttpContext context) => context.Features.Get<SocketRemoteAddress>();

    /// <summary>
    /// Runs first in the pipeline: it must be registered ahead of every other startup filter (the web host's
    /// forwarded-headers filter included), because the first registered filter wraps all the others.
    /// </summary>
    internal sealed class CaptureFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var connection = context.Features.Get<IHttpConnectionFeature>();
                context.Features.Set(new SocketRemoteAddress(connection?.RemoteIpAddress));
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
