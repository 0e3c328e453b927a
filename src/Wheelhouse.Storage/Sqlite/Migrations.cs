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
        // The search index (IMetadataReader.Search): one row per project of an index, from the release registered last,
        // kept by triggers inside the writing transaction. search_text is contentless (the text stays in releases only).
        """
        CREATE TABLE search_docs (
            id INTEGER PRIMARY KEY, user TEXT NOT NULL, idx TEXT NOT NULL, project TEXT NOT NULL, name TEXT NOT NULL,
            version TEXT NOT NULL, summary TEXT NOT NULL, UNIQUE (user, idx, project)) STRICT;
        CREATE INDEX search_docs_by_project ON search_docs (project);
        CREATE VIRTUAL TABLE search_text USING fts5 (
            name, summary, keywords, description, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER releases_search_insert AFTER INSERT ON releases BEGIN
            DELETE FROM search_text WHERE rowid = (
                SELECT id FROM search_docs WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project);
            DELETE FROM search_docs WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project;
            INSERT INTO search_docs (user, idx, project, name, version, summary)
                SELECT user, idx, project, name, version, coalesce(json_extract(metadata, '$.summary'), '') FROM releases
                WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project ORDER BY created DESC, rowid DESC LIMIT 1;
            INSERT INTO search_text (rowid, name, summary, keywords, description)
                SELECT d.id, replace(replace(r.project, '-', ' '), '.', ' ') || ' ' || r.name, d.summary,
                       coalesce(json_extract(r.metadata, '$.keywords'), ''), coalesce(json_extract(r.metadata, '$.description'), '')
                FROM search_docs d JOIN releases r ON r.user = d.user AND r.idx = d.idx AND r.project = d.project AND r.version = d.version
                WHERE d.user = NEW.user AND d.idx = NEW.idx AND d.project = NEW.project;
        END;
        CREATE TRIGGER releases_search_update AFTER UPDATE ON releases BEGIN
            DELETE FROM search_text WHERE rowid = (
                SELECT id FROM search_docs WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project);
            DELETE FROM search_docs WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project;
            INSERT INTO search_docs (user, idx, project, name, version, summary)
                SELECT user, idx, project, name, version, coalesce(json_extract(metadata, '$.summary'), '') FROM releases
                WHERE user = NEW.user AND idx = NEW.idx AND project = NEW.project ORDER BY created DESC, rowid DESC LIMIT 1;
            INSERT INTO search_text (rowid, name, summary, keywords, description)
                SELECT d.id, replace(replace(r.project, '-', ' '), '.', ' ') || ' ' || r.name, d.summary,
                       coalesce(json_extract(r.metadata, '$.keywords'), ''), coalesce(json_extract(r.metadata, '$.description'), '')
                FROM search_docs d JOIN releases r ON r.user = d.user AND r.idx = d.idx AND r.project = d.project AND r.version = d.version
                WHERE d.user = NEW.user AND d.idx = NEW.idx AND d.project = NEW.project;
        END;
        CREATE TRIGGER releases_search_delete AFTER DELETE ON releases BEGIN
            DELETE FROM search_text WHERE rowid = (
                SELECT id FROM search_docs WHERE user = OLD.user AND idx = OLD.idx AND project = OLD.project);
            DELETE FROM search_docs WHERE user = OLD.user AND idx = OLD.idx AND project = OLD.project;
            INSERT INTO search_docs (user, idx, project, name, version, summary)
                SELECT user, idx, project, name, version, coalesce(json_extract(metadata, '$.summary'), '') FROM releases
                WHERE user = OLD.user AND idx = OLD.idx AND project = OLD.project ORDER BY created DESC, rowid DESC LIMIT 1;
            INSERT INTO search_text (rowid, name, summary, keywords, description)
                SELECT d.id, replace(replace(r.project, '-', ' '), '.', ' ') || ' ' || r.name, d.summary,
                       coalesce(json_extract(r.metadata, '$.keywords'), ''), coalesce(json_extract(r.metadata, '$.description'), '')
                FROM search_docs d JOIN releases r ON r.user = d.user AND r.idx = d.idx AND r.project = d.project AND r.version = d.version
                WHERE d.user = OLD.user AND d.idx = OLD.idx AND d.project = OLD.project;
        END;
        INSERT INTO search_docs (user, idx, project, name, version, summary)
            SELECT user, idx, project, name, version, coalesce(json_extract(metadata, '$.summary'), '') FROM (
                SELECT *, row_number() OVER (PARTITION BY user, idx, project ORDER BY created DESC, rowid DESC) AS n FROM releases)
            WHERE n = 1;
        INSERT INTO search_text (rowid, name, summary, keywords, description)
            SELECT d.id, replace(replace(r.project, '-', ' '), '.', ' ') || ' ' || r.name, d.summary,
                   coalesce(json_extract(r.metadata, '$.keywords'), ''), coalesce(json_extract(r.metadata, '$.description'), '')
            FROM search_docs d JOIN releases r ON r.user = d.user AND r.idx = d.idx AND r.project = d.project AND r.version = d.version;
        """,
        // A mirror's last pre-fetch run (IMetadataReader.PrefetchStatus), so a restart knows what it did and when the next is due.
        """
        CREATE TABLE prefetch_status (
            user TEXT NOT NULL, idx TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (user, idx),
            FOREIGN KEY (user, idx) REFERENCES indexes(user, name) ON DELETE CASCADE) STRICT;
        """,
    ];
}
