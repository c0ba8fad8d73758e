namespace CredentialBot.Shared.Dialogs;

/// <summary>
/// One dialog: opened from a card button, then submitted (possibly several times, showing its form again with the
/// problems). Registered with <c>AddDialog&lt;T&gt;()</c> under its static <see cref="Name"/>, so the dialog table is
/// built without constructing any dialog; each step runs in the interaction pipeline.
/// </summary>
public interface IDialog
{
    /// <summary>The name cards open it by (<see cref="DialogNames"/>).</summary>
    static abstract string Name { get; }

    /// <summary>
    /// True when the dialog acts on the App its data names: the runner finds it (<see cref="DialogRequest.App"/>) or
    /// closes the dialog saying it is gone, before the dialog runs.
    /// </summary>
    static abstract bool ActsOnAnApp { get; }

    Task<DialogAnswer> OpenAsync(DialogRequest request, CancellationToken cancellationToken);

    Task<DialogAnswer> SubmitAsync(DialogRequest request, CancellationToken cancellationToken);
}
