using Microsoft.Kiota.Abstractions;

namespace CredentialBot.Directory;

/// <summary>Request options shared by the SDK calls made while a person waits.</summary>
internal static class GraphRequests
{
    /// <summary>Marks a request a person initiated (<c>x-ms-throttle-priority: high</c>): never paced with the scan.</summary>
    public static void HighPriority<T>(RequestConfiguration<T> request)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add(GraphTenantDirectory.ThrottlePriorityHeader, GraphTenantDirectory.HighPriority);
    }
}
