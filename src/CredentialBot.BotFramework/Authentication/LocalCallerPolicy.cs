using System.Net;
using CredentialBot.BotFramework.Hosting;
using Microsoft.AspNetCore.Http;

namespace CredentialBot.BotFramework.Authentication;

/// <summary>
/// Who may drive the bot in local mode, where no token exists: a program on this machine, talking to it directly —
/// never a web page in the user's browser (which can POST cross-origin without asking, or reach loopback through a
/// DNS name it controls), never a caller behind a proxy or tunnel (which arrives from loopback on someone else's
/// behalf). The Agents Playground posts from its Node server: loopback socket, loopback Host, no Origin, JSON.
/// </summary>
internal static class LocalCallerPolicy
{
    /// <summary>Headers a proxy adds, and the ones ASP.NET Core's forwarded-headers middleware leaves after it ran.</summary>
    private static readonly string[] ProxyHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix",
        "X-Original-For", "X-Original-Host", "X-Original-Proto", "X-Original-Prefix",
    ];

    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>The first reason to refuse the request, or <see cref="AuthFailure.None"/>.</summary>
    public static AuthFailure Check(HttpContext context)
    {
        var request = context.Request;

        // 1. Straight from the socket: a proxy or tunnel on this machine would make any remote caller look local.
        if (ProxyHeaders.Any(request.Headers.ContainsKey))
        {
            return AuthFailure.ProxiedRequest;
        }

        // 2. The socket's own remote address, recorded before any middleware could rewrite it. Unknown is refused.
        if (SocketRemoteAddress.Of(context)?.Remote is not { } remote || !IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        {
            return AuthFailure.NotLoopback;
        }

        // 3. Addressed to this machine by a loopback name: a page that rebinds its own DNS name to 127.0.0.1 still
        //    sends its name as Host.
        var host = request.Headers.Host;
        if (host.Count != 1 || !IsLoopbackHost(new HostString(host[0]!).Host))
        {
            return AuthFailure.HostNotLoopback;
        }

        // 4. Browsers name the page behind every cross-origin POST; only a page on this machine may call. Programs
        //    (the Playground's server) send no Origin at all.
        var origins = request.Headers.Origin;
        if (origins.Count > 1 || (origins.Count == 1 && !IsLoopbackOrigin(origins[0])))
        {
            return AuthFailure.ForeignOrigin;
        }

        return AuthFailure.None;
    }

    private static bool IsLoopbackHost(string host) => LoopbackHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>An http(s) origin on a loopback host; <c>null</c> (sandboxed frames, files) is foreign.</summary>
    private static bool IsLoopbackOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo)
        && uri.AbsolutePath == "/"
        && IsLoopbackHost(uri.Host);
}
