namespace CredentialBot.Domain;

/// <summary>
/// The public part of an X.509 certificate (DER, what a <c>.cer</c> file holds) and what is read from it. It carries no
/// private key by construction; it is what Graph's <c>keyCredentials[].key</c> takes ("You should only provide the public
/// key value when adding a certificate credential to your application", learn.microsoft.com/graph/api/application-addkey).
/// </summary>
public sealed record PublicCertificate(ReadOnlyMemory<byte> Der, string Thumbprint, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    public override string ToString() => $"PublicCertificate {{ Subject = {Subject}, Thumbprint = {Thumbprint}, NotAfter = {NotAfter:O} }}";
}
