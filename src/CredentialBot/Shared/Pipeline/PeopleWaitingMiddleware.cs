namespace CredentialBot.Shared.Pipeline;

/// <summary>Counts the requests to the messaging endpoint in <see cref="PeopleWaiting"/> while they are being answered.</summary>
public static class PeopleWaitingMiddleware
{
    public static IApplicationBuilder UsePeopleWaiting(this IApplicationBuilder app, PathString botMessages)
    {
        ArgumentNullException.ThrowIfNull(app);
        var waiting = app.ApplicationServices.GetRequiredService<PeopleWaiting>();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(botMessages, StringComparison.Ordinal))
            {
                await next(context);
                return;
            }

            using (waiting.Begin())
            {
                await next(context);
            }
        });
    }
}
