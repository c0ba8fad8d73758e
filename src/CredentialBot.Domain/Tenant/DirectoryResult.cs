namespace CredentialBot.Domain;

/// <summary>
/// A directory answer that may be a refusal: either <see cref="Value"/> or <see cref="Refusal"/>, never both. Used
/// where a refusal is an expected outcome to show (a permission not granted, a tenant without the licence, a bad
/// certificate), so that nothing stops on it; exceptions stay for bugs and cancellation.
/// </summary>
public sealed record DirectoryResult<T>
    where T : class
{
    public DirectoryResult(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    public DirectoryResult(DirectoryRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        Refusal = refusal;
    }

    public T? Value { get; }

    public DirectoryRefusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;
}
