using Wheelhouse.Storage.Postgres;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// A PostgreSQL connection string with its password kept apart in a file, as the configuration gives them
/// (<c>storage.connectionString</c>, <c>storage.passwordFile</c>) and as <c>migrate-storage</c> does
/// (<c>--connection-string</c>, <c>--password-file</c>): the one place that checks the string's form, refuses a password
/// given in both, and reads the file. No problem ever shows the string or the password.
/// </summary>
public static class PostgresConnection
{
    /// <summary>A value as given: under which key or option, and where (a file, the environment), if not on the command line.</summary>
    public sealed record Given(string Value, string Key, string? Source = null)
    {
        public string Label => Source is null ? Key : $"{Source}: {Key}";
    }

    /// <summary>The connection string, with the file's password if a file is named; or null, with the problem added.</summary>
    public static string? Resolve(Given connection, Given? passwordFile, List<string> problems)
    {
        if (PostgresConnectionString.Problem(connection.Value) is { } problem)
        {
            problems.Add($"{connection.Label}: {problem}");
            return null;
        }
        if (passwordFile is null)
        {
            return connection.Value;
        }
        if (PostgresConnectionString.HasPassword(connection.Value))
        {
            problems.Add($"{connection.Label} holds a password and {passwordFile.Key} gives one too; give it once, in {passwordFile.Key}");
            return null;
        }
        return ReadPassword(Path.GetFullPath(passwordFile.Value), passwordFile.Label, problems) is { } password
            ? PostgresConnectionString.WithPassword(connection.Value, password)
            : null;
    }

    /// <summary>The file's first line; a problem when it is missing, empty, or readable by every user.</summary>
    private static string? ReadPassword(string path, string name, List<string> problems)
    {
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.OtherRead) != 0)
            {
                problems.Add($"{name}: the password file {path} is readable by every user; chmod o-r it (0600 or 0640)");
                return null;
            }
            var password = File.ReadLines(path).FirstOrDefault()?.TrimEnd('\r');
            if (string.IsNullOrEmpty(password))
            {
                problems.Add($"{name}: the password file {path} is empty; its first line is the database password");
                return null;
            }
            return password;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{name}: cannot read the password file {path}: {e.Message}");
            return null;
        }
    }
}
