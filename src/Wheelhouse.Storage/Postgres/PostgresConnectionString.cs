using Npgsql;

namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// Npgsql's connection strings as the configuration and messages need them: checked for form, described without their
/// password, and given the password from a file.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>The database, host and port of <paramref name="connectionString"/>, for messages (never its password).</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL database '{b.Database ?? b.Username ?? "(default)"}' on {b.Host ?? "localhost"}:{b.Port}"
                + (b.Username is { } user ? $" as '{user}'" : "");
        }
        catch (ArgumentException)
        {
            return "a PostgreSQL database (the connection string cannot be parsed)";
        }
    }

    /// <summary>The problem with <paramref name="connectionString"/>'s form, or null; its password never appears in it.</summary>
    public static string? Problem(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(b.Host) ? "it names no Host (such as Host=db.example.com;Database=wheelhouse;Username=wheelhouse)"
                : string.IsNullOrEmpty(b.Database) ? "it names no Database"
                : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // Npgsql's messages quote the offending keyword, not values.
            return $"it is not a valid connection string ({e.Message})";
        }
    }

    /// <summary>True when <paramref name="connectionString"/> (valid) holds a password of its own.</summary>
    public static bool HasPassword(string connectionString) => !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Password);

    /// <summary><paramref name="connectionString"/> (valid) with <paramref name="password"/> (from a password file).</summary>
    public static string WithPassword(string connectionString, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;
}
