using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CredentialBot.Store.Services;

/// <summary>
/// One parameterised statement prepared once and executed per row, on the context's connection and transaction.
/// Used where a scan writes tens of thousands of rows: EF Core's change tracker costs far more than the SQL.
/// The SQL must be portable between SQLite and PostgreSQL (both take <c>@name</c> parameters and
/// <c>INSERT … ON CONFLICT</c>).
/// </summary>
internal sealed class BulkCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private bool _prepared;

    private BulkCommand(DbCommand command, DbParameter[] parameters)
    {
        _command = command;
        _parameters = parameters;
    }

    public static BulkCommand Create(DbContext db, string sql, params string[] parameterNames)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var parameters = parameterNames.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        return new BulkCommand(command, parameters);
    }

    /// <summary>Runs the statement with these values, in the order the parameters were named; null becomes NULL.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        if (!_prepared)
        {
            // Prepared after the first values are bound, so PostgreSQL learns the parameter types.
            await _command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }

        return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
