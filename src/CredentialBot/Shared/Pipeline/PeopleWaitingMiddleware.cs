using CredentialBot.Shared.Messaging;

namespace CredentialBot.Shared.Pipeline;

/// <summary>
/// Marks every request to the messaging endpoint as a person waiting for the bot's answer, until it is answered: what
/// is sent while answering it goes ahead of proactive sends (<see cref="InteractiveSends"/>), and bulk work steps
/// aside while it is counted (<see cref="PeopleWaiting"/>).
/// </summary>
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

            using (InteractiveSends.Begin())
            using (waiting.Begin())
            {
                await next(context);
            }
        });
    }
}
