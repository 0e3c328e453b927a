using System.Text.Json;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Configuration;

/// <summary>
/// The <c>storage</c> settings: <c>storage.kind</c> (<c>sqlite</c>, the default, or <c>postgresql</c>),
/// <c>storage.connectionString</c> (Npgsql's form: <c>Host=...;Database=...;Username=...</c>) and
/// <c>storage.passwordFile</c> (the password, kept out of the configuration). In the file they may be written as an
/// object, <c>"storage": { "kind": ..., ... }</c>, or as the dotted keys. Checked together, every problem reported;
/// no message ever shows the connection string or the password, only the database, host and user.
/// </summary>
public static class StorageConfiguration
{
    public const string KindKey = "storage.kind";
    public const string ConnectionStringKey = "storage.connectionString";
    public const string PasswordFileKey = "storage.passwordFile";

    /// <summary>The file's top-level settings, with a <c>storage</c> object's members as dotted keys.</summary>
    public static IEnumerable<(string Name, JsonElement Value)> Flatten(JsonElement root)
    {
        foreach (var p in root.EnumerateObject())
        {
            if (p.Name == "storage" && p.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in p.Value.EnumerateObject())
                {
                    yield return ("storage." + inner.Name, inner.Value);
                }
                continue;
            }
            yield return (p.Name, p.Value);
        }
    }

    /// <summary>A storage kind by its name (<c>postgres</c> is taken for <c>postgresql</c>), or null.</summary>
    public static StorageKind? ParseKind(string name) => name.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StorageKind.Sqlite,
        "postgresql" or "postgres" => StorageKind.PostgreSql,
        _ => null,
    };

    public static StorageSettings Resolve(IReadOnlyDictionary<string, (string Value, string Source)> values, List<string> problems)
    {
        var kind = StorageKind.Sqlite;
        if (values.TryGetValue(KindKey, out var k) && k.Value.Trim().Length > 0)
        {
            if (ParseKind(k.Value) is not { } given)
            {
                problems.Add($"{k.Source}: storage.kind '{k.Value}' must be sqlite (the default: a file in dataDir) or postgresql");
                return StorageSettings.Sqlite;
            }
            kind = given;
        }
        values.TryGetValue(ConnectionStringKey, out var connection);
        values.TryGetValue(PasswordFileKey, out var passwordFile);
        var hasConnection = !string.IsNullOrWhiteSpace(connection.Value);
        var hasPasswordFile = !string.IsNullOrWhiteSpace(passwordFile.Value);
        if (kind == StorageKind.Sqlite)
        {
            if (hasConnection || hasPasswordFile)
            {
                problems.Add($"{(hasConnection ? connection.Source : passwordFile.Source)}: storage.connectionString and storage.passwordFile are for "
                    + "storage.kind postgresql; set storage.kind to postgresql, or remove them to keep the SQLite file in dataDir");
            }
            return StorageSettings.Sqlite;
        }
        if (!hasConnection)
        {
            problems.Add($"{k.Source}: storage.kind postgresql needs storage.connectionString (env WHEELHOUSE_STORAGE_CONNECTION_STRING), "
                + "such as Host=db.example.com;Database=wheelhouse;Username=wheelhouse, with the password in storage.passwordFile");
            return StorageSettings.Sqlite;
        }
        var connectionString = PostgresConnection.Resolve(
            new(connection.Value, ConnectionStringKey, connection.Source),
            hasPasswordFile ? new(passwordFile.Value, PasswordFileKey, passwordFile.Source) : null,
            problems);
        return connectionString is null ? StorageSettings.Sqlite : new StorageSettings(StorageKind.PostgreSql, connectionString);
    }
}
