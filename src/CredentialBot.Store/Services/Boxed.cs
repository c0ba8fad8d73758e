namespace CredentialBot.Store.Services;

/// <summary>
/// The two booleans as objects, for rows of <c>object?[]</c> values: boxing a <see cref="bool"/> allocates each time,
/// and a first load writes about a million such values.
/// </summary>
internal static class Boxed
{
    public static readonly object True = true;

    public static readonly object False = false;

    public static object Of(bool value) => value ? True : False;
}
