using System.Net;
using CredentialBot.Domain;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace CredentialBot.Directory;

/// <summary>Graph's expected refusals as <see cref="DirectoryRefusal"/> values, one sentence each.</summary>
internal static class GraphRefusals
{
    /// <summary>
    /// Graph's answer to a reports call in a tenant without Microsoft Entra ID P1/P2: 403 with this code and "Neither
    /// tenant is B2C or tenant doesn't have premium license" ("Accessing sign-in reports requires a Microsoft Entra ID P1
    /// or P2 license", learn.microsoft.com/entra/identity/monitoring-health/howto-configure-prerequisites-for-reporting-api).
    /// </summary>
    public const string NotPremiumCode = "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

    /// <summary>
    /// <paramref name="error"/> as a refusal of <paramref name="what"/> (a phrase: "read the authorization policy"), naming
    /// <paramref name="permission"/> when the status says a permission is missing.
    /// </summary>
    public static DirectoryRefusal From(ODataError error, string what, string permission)
    {
        var message = error.Error?.Message;
        return error.ResponseStatusCode switch
        {
            403 when error.Error?.Code == NotPremiumCode => new DirectoryRefusal(DirectoryRefusalKind.NotLicensed, $"CredentialBot cannot {what}: the tenant needs a Microsoft Entra ID P1 or P2 licence for it."),
            401 or 403 => new DirectoryRefusal(DirectoryRefusalKind.MissingPermission, $"CredentialBot may not {what}: grant it the Graph permission {permission}.", permission),
            404 => new DirectoryRefusal(DirectoryRefusalKind.NotFound, $"CredentialBot cannot {what}: it is not in the directory (any more)."),
            400 => new DirectoryRefusal(DirectoryRefusalKind.Invalid, $"The directory refused to {what}: {(message ?? "the request was not valid").TrimEnd('.')}."),
            _ => Unavailable(what, $"Graph answered {error.ResponseStatusCode}{(message is null ? string.Empty : $": {message}")}"),
        };
    }

    public static DirectoryRefusal Unavailable(string what, string detail) =>
        new(DirectoryRefusalKind.Unavailable, $"CredentialBot could not {what} just now ({detail}). Try again later.");

    /// <summary>
    /// A transport failure, a timeout (as opposed to the caller giving up), or Graph still answering 429/503/504 when
    /// the retry handler gave up.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested) || LastOfRetries(exception) is not null;

    public static string Describe(Exception exception) => exception switch
    {
        AggregateException retries when LastOfRetries(retries) is { } last => $"HTTP {last.ResponseStatusCode} after {retries.InnerExceptions.Count} attempts",
        HttpRequestException { StatusCode: HttpStatusCode status } => $"HTTP {(int)status}",
        HttpRequestException => "the connection failed",
        _ => "it timed out",
    };

    /// <summary>Kiota's retry handler gives up with an <see cref="AggregateException"/> of every attempt's answer.</summary>
    private static ApiException? LastOfRetries(Exception exception) =>
        exception is AggregateException { InnerExceptions: [.., ApiException last] } ? last : null;
}
