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
        // The search index (IMetadataReader.Search), as SQLite's migration 3: one row per project of an index, from the
        // release registered last (seq stands for SQLite's rowid as the tie-break), kept by a trigger inside the writing
        // transaction. The document weighs name, summary, keywords and description as SQLite's bm25 does (A to D); the
        // 'simple' configuration lower-cases and does not stem, as FTS5's unicode61 tokenizer.
        """
        ALTER TABLE releases ADD COLUMN seq bigserial;
        CREATE TABLE search_docs (
            id bigserial PRIMARY KEY, username text COLLATE "C" NOT NULL, idx text COLLATE "C" NOT NULL,
            project text COLLATE "C" NOT NULL, name text NOT NULL, version text NOT NULL, summary text NOT NULL,
            document tsvector NOT NULL, UNIQUE (username, idx, project));
        CREATE INDEX search_docs_by_project ON search_docs (project);
        CREATE INDEX search_docs_document ON search_docs USING gin (document);
        CREATE FUNCTION search_docs_refresh(u text, i text, p text) RETURNS void LANGUAGE sql AS $$
            DELETE FROM search_docs WHERE username = u AND idx = i AND project = p;
            INSERT INTO search_docs (username, idx, project, name, version, summary, document)
                SELECT username, idx, project, name, version, coalesce(metadata::jsonb ->> 'summary', ''),
                    setweight(to_tsvector('simple', replace(replace(project, '-', ' '), '.', ' ') || ' ' || name), 'A')
                    || setweight(to_tsvector('simple', coalesce(metadata::jsonb ->> 'summary', '')), 'B')
                    || setweight(to_tsvector('simple', coalesce(metadata::jsonb ->> 'keywords', '')), 'C')
                    || setweight(to_tsvector('simple', coalesce(metadata::jsonb ->> 'description', '')), 'D')
                FROM releases WHERE username = u AND idx = i AND project = p ORDER BY created DESC, seq DESC LIMIT 1;
        $$;
        CREATE FUNCTION releases_search() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                PERFORM search_docs_refresh(OLD.username, OLD.idx, OLD.project);
            ELSE
                PERFORM search_docs_refresh(NEW.username, NEW.idx, NEW.project);
            END IF;
            RETURN NULL;
        END;
        $$;
        CREATE TRIGGER releases_search AFTER INSERT OR UPDATE OR DELETE ON releases FOR EACH ROW EXECUTE FUNCTION releases_search();
        SELECT search_docs_refresh(username, idx, project) FROM (SELECT DISTINCT username, idx, project FROM releases) AS projects;
        """,
        // As SQLite's migration 4: a mirror's last pre-fetch run (IMetadataReader.PrefetchStatus).
        """
        CREATE TABLE prefetch_status (
            username text COLLATE "C" NOT NULL, idx text COLLATE "C" NOT NULL, status text NOT NULL, PRIMARY KEY (username, idx),
            FOREIGN KEY (username, idx) REFERENCES indexes(username, name) ON DELETE CASCADE);
        """,
        // The nodes sharing this database and their leases (INodeLeases): PostgreSQL only, SQLite has one process.
        """
        CREATE TABLE nodes (node_id text COLLATE "C" PRIMARY KEY, seen_serial bigint NOT NULL, lease_until timestamptz NOT NULL);
        """,
    ];
}
