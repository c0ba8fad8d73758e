using Microsoft.Graph;

namespace CredentialBot.Scanning;

/// <summary>
/// Whether a stored delta link was issued by the directory this host reads now. A link names its tenant address, and a
/// link from another address (local mode's Simulator listened on another port in the previous run, or Graph:BaseUrl
/// changed) can only fail, or worse, answer for another tenant: such a link is dropped and the collection listed in full.
/// </summary>
public sealed class DeltaLinkOrigin(GraphServiceClient graph)
{
    public bool IsOurs(string deltaLink)
    {
        ArgumentNullException.ThrowIfNull(deltaLink);
        var root = (graph.RequestAdapter.BaseUrl ?? string.Empty).TrimEnd('/') + "/";
        return Uri.TryCreate(deltaLink, UriKind.Absolute, out var link)
            && Uri.TryCreate(root, UriKind.Absolute, out var ours)
            && Uri.Compare(link, ours, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && link.AbsolutePath.StartsWith(ours.AbsolutePath, StringComparison.OrdinalIgnoreCase);
    }
}
