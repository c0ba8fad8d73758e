using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CredentialBot.Store.Services;

/// <summary>
/// Plain ADO.NET commands on a context's own connection, where EF Core's query pipeline costs more than the SQL (bulk
/// writes, per-request statements). A command joins the context's open transaction, so raw SQL commits or rolls back
/// with the EF Core change around it.
/// </summary>
internal static class ContextCommands
{
    /// <summary>A command for <paramref name="sql"/> on <paramref name="db"/>'s connection, in its current transaction if any.</summary>
    public static DbCommand CreateCommand(this DbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>Adds parameter <paramref name="name"/> with <paramref name="value"/> as given (callers that allow null pass <see cref="DBNull"/>).</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
