-- Differential corpus: VACUUM. The VM rebuilds the file compactly and copies it back
-- under its journal; the rows, the schema, the page count and the empty freelist must
-- come out as real SQLite's VACUUM leaves them.

-- name: vacuum_freed_pages
-- setup:
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX t_v ON t(v);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO t SELECT i, printf('%.*c', i % 90 + 5, 'x') FROM n;
DELETE FROM t WHERE id % 3 <> 0;
-- statements:
PRAGMA freelist_count > 0;
VACUUM;
PRAGMA freelist_count;
PRAGMA page_count;
SELECT count(*), sum(id), max(length(v)) FROM t;
SELECT id FROM t WHERE v = printf('%.*c', 50, 'x') ORDER BY id;
INSERT INTO t(v) VALUES ('after');
SELECT id, v FROM t ORDER BY id DESC LIMIT 2;
VACUUM main;
PRAGMA page_count;

-- name: vacuum_overflow_and_without_rowid
-- setup:
CREATE TABLE big(k INTEGER PRIMARY KEY, blob_ BLOB, note TEXT);
CREATE TABLE kv(k TEXT PRIMARY KEY, v, UNIQUE (v)) WITHOUT ROWID;
CREATE INDEX kv_v_desc ON kv(v DESC);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO big SELECT i, zeroblob(i * 97), printf('%.*c', i * 13, 'n') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO kv SELECT printf('key%05d', i * 7 % 307), printf('%.*c', i % 40, 'v') || i FROM n;
DELETE FROM big WHERE k % 2 = 0;
DELETE FROM kv WHERE k > 'key00150';
-- statements:
VACUUM;
PRAGMA page_count;
PRAGMA freelist_count;
SELECT k, length(blob_), length(note) FROM big ORDER BY k LIMIT 5;
SELECT count(*), min(k), max(k) FROM kv;
SELECT k FROM kv WHERE v = 'vvvvv5';
UPDATE big SET note = note || note WHERE k < 10;
VACUUM;
PRAGMA page_count;

-- name: vacuum_schema_order
-- setup:
CREATE TABLE a(x INTEGER PRIMARY KEY AUTOINCREMENT, y UNIQUE, z);
CREATE VIEW a_view AS SELECT x, z FROM a WHERE z IS NOT NULL;
CREATE INDEX a_z ON a(z) WHERE z > 0;
CREATE TABLE b(p, q, PRIMARY KEY (q, p)) WITHOUT ROWID;
CREATE TRIGGER a_log AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x, new.y); END;
CREATE TABLE c(m UNIQUE, n UNIQUE, o);
CREATE INDEX c_expr ON c(lower(o));
INSERT INTO a(y, z) VALUES (1, 1), (2, NULL), (3, 3);
INSERT INTO c VALUES ('M', 'N', 'O');
DROP TABLE c;
CREATE TABLE d(e);
-- statements:
VACUUM;
SELECT rowid, type, name, tbl_name, sql FROM sqlite_schema;
SELECT name, seq FROM sqlite_sequence;
INSERT INTO a(y, z) VALUES (4, 4);
SELECT * FROM b ORDER BY q;
SELECT * FROM a_view ORDER BY x;
PRAGMA page_count;

-- name: vacuum_errors
-- setup:
CREATE TABLE t(a);
INSERT INTO t VALUES (1), (2);
-- statements:
BEGIN;
VACUUM;
INSERT INTO t VALUES (3);
COMMIT;
VACUUM INTO 42;
VACUUM INTO NULL;
VACUUM temp;
SAVEPOINT s;
VACUUM;
RELEASE s;
SELECT * FROM t ORDER BY a;

-- name: vacuum_empty_and_small
-- setup:
CREATE TABLE gone(x);
INSERT INTO gone VALUES (randomblob(5000));
DROP TABLE gone;
-- statements:
PRAGMA page_count > 1;
VACUUM;
PRAGMA page_count;
SELECT count(*) FROM sqlite_schema;
CREATE TABLE t(a);
VACUUM;
PRAGMA page_count;

-- name: vacuum_user_version_and_stats
-- setup:
PRAGMA user_version = 42;
PRAGMA application_id = 1234;
CREATE TABLE t(a, b);
CREATE INDEX t_ab ON t(a, b);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO t SELECT i % 17, i FROM n;
ANALYZE;
DELETE FROM t WHERE a > 5;
-- statements:
VACUUM;
PRAGMA user_version;
PRAGMA application_id;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
SELECT count(*) FROM t WHERE a = 3;
PRAGMA page_count;
