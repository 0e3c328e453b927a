using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>Commands with named parameters (a null is SQL NULL), run on a connection and, when given, in a transaction.</summary>
internal static class PostgresSql
{
    public static void Execute(NpgsqlConnection c, string sql, NpgsqlTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        cmd.ExecuteNonQuery();
    }

    public static object? Scalar(NpgsqlConnection c, string sql, NpgsqlTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = Command(c, sql, tx, args);
        return cmd.ExecuteScalar();
    }

    public static NpgsqlCommand Command(NpgsqlConnection c, string sql, NpgsqlTransaction? tx, (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }
}
