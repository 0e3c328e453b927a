namespace Wheelhouse.Storage.Sqlite;

/// <summary>
/// The schema, as ordered migration scripts; <c>PRAGMA user_version</c> records how many have run.
/// Append new scripts, never edit applied ones.
/// </summary>
internal static class Migrations
{
    public static readonly string[] Scripts =
    [
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        CREATE TABLE users (
            name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, email TEXT NOT NULL, title TEXT NOT NULL,
            description TEXT NOT NULL, created TEXT NOT NULL) STRICT;
        CREATE TABLE indexes (
            user TEXT NOT NULL REFERENCES users(name), name TEXT NOT NULL, config TEXT NOT NULL,
            PRIMARY KEY (user, name)) STRICT;
        CREATE TABLE releases (
            user TEXT NOT NULL, idx TEXT NOT NULL, project TEXT NOT NULL, version TEXT NOT NULL,
            name TEXT NOT NULL, metadata TEXT NOT NULL, created TEXT NOT NULL,
            PRIMARY KEY (user, idx, project, version),
            FOREIGN KEY (user, idx) REFERENCES indexes(user, name) ON DELETE CASCADE) STRICT;
        CREATE TABLE files (
            user TEXT NOT NULL, idx TEXT NOT NULL, filename TEXT NOT NULL, project TEXT NOT NULL,
            version TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
            uploaded TEXT NOT NULL, requires_python TEXT NOT NULL, metadata_sha256 TEXT, log TEXT NOT NULL,
            PRIMARY KEY (user, idx, filename),
            FOREIGN KEY (user, idx, project, version) REFERENCES releases(user, idx, project, version) ON DELETE CASCADE) STRICT;
        CREATE INDEX files_by_release ON files (user, idx, project, version);
        CREATE INDEX files_by_sha256 ON files (sha256);
        CREATE TABLE core_metadata (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL) STRICT;
        INSERT INTO meta (key, value) VALUES ('serial', '0');
        """,
        // Groups of local users (a JSON array), set by layout files; ACL entries ":group" match them.
        """
        ALTER TABLE users ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';
        """,
    ];
}
