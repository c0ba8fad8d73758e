using System.Net;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Connector;

/// <summary>
/// Which serviceUrls the bot may call (and send its Connector token to). Production allows Teams' Connector
/// hosts over HTTPS plus configured additions; local mode allows only loopback. This stops a forged or stored
/// serviceUrl from turning the bot into a request forwarder or leaking its token.
/// </summary>
public sealed class ServiceUrlPolicy
{
    /// <summary>Teams' Connector hosts (public cloud, GCC, GCC High).</summary>
    public static readonly IReadOnlyList<string> TeamsHosts =
        ["smba.trafficmanager.net", "*.botframework.com", "smba.infra.gcc.teams.microsoft.com", "smba.infra.gov.teams.microsoft.us"];

    private readonly string[] _patterns;
    private readonly bool _localMode;

    /// <summary>Builds the policy from <see cref="BotAuthOptions"/>.</summary>
    public ServiceUrlPolicy(IOptions<BotAuthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _localMode = options.Value.IsLocalMode;
        _patterns = [.. TeamsHosts, .. options.Value.AllowedServiceUrls ?? []];
    }

    /// <summary>True when <paramref name="serviceUrl"/> may be called.</summary>
    public bool IsAllowed(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        if (IsLoopback(uri))
        {
            // Loopback is the Agents Playground locally; in production only when explicitly configured (tests).
            return _localMode || _patterns.Any(p => HostMatches(uri.Host, p));
        }

        return !_localMode && uri.Scheme == Uri.UriSchemeHttps && _patterns.Any(p => HostMatches(uri.Host, p));
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static bool HostMatches(string host, string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
        : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
}
