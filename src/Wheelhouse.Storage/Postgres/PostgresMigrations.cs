namespace Wheelhouse.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, as ordered migration scripts; the <c>schema_version</c> table records how many have run.
/// Append new scripts, never edit applied ones. Text columns use the "C" collation so that every ORDER BY sorts as
/// SQLite's binary collation does, whatever the database's locale; times are kept as SQLite keeps them (ISO 8601 text
/// to 100 ns) so that <c>migrate-storage</c> copies them exactly; JSON stays text because its key order is served.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly string[] Scripts =
    [
        """
        CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
        CREATE TABLE serial (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);
        INSERT INTO serial (id, value) VALUES (1, 0);
        CREATE TABLE users (
            name text COLLATE "C" PRIMARY KEY, password_hash text NOT NULL, email text NOT NULL, title text NOT NULL,
            description text NOT NULL, created text NOT NULL, groups text NOT NULL DEFAULT '[]');
        CREATE TABLE indexes (
            username text COLLATE "C" NOT NULL REFERENCES users(name), name text COLLATE "C" NOT NULL, config text NOT NULL,
            PRIMARY KEY (username, name));
        CREATE TABLE releases (
            username text COLLATE "C" NOT NULL, idx text COLLATE "C" NOT NULL, project text COLLATE "C" NOT NULL,
            version text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL, metadata text NOT NULL, created text NOT NULL,
            PRIMARY KEY (username, idx, project, version),
            FOREIGN KEY (username, idx) REFERENCES indexes(username, name) ON DELETE CASCADE);
        CREATE TABLE files (
            username text COLLATE "C" NOT NULL, idx text COLLATE "C" NOT NULL, filename text COLLATE "C" NOT NULL,
            project text COLLATE "C" NOT NULL, version text COLLATE "C" NOT NULL, kind text NOT NULL, sha256 text COLLATE "C" NOT NULL,
            size bigint NOT NULL, uploaded text NOT NULL, requires_python text NOT NULL, metadata_sha256 text, log text NOT NULL,
            PRIMARY KEY (username, idx, filename),
            FOREIGN KEY (username, idx, project, version) REFERENCES releases(username, idx, project, version) ON DELETE CASCADE);
        CREATE INDEX files_by_release ON files (username, idx, project, version);
        CREATE INDEX files_by_sha256 ON files (sha256);
        CREATE TABLE core_metadata (sha256 text COLLATE "C" PRIMARY KEY, content bytea NOT NULL);
        """,
    ];
}
