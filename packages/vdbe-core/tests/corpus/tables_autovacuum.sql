-- Differential corpus: auto-vacuum databases. Every page after page 1 has an entry in the
-- pointer map, which real SQLite's integrity check reads after each statement. In FULL
-- mode each commit moves the pages at the end of the file into the free pages and cuts
-- the file; in INCREMENTAL mode PRAGMA incremental_vacuum(N) gives back N pages. Root
-- pages stay together after the pointer map: CREATE takes the next page, DROP moves the
-- largest root into the gap and corrects its row of sqlite_schema. Page counts are
-- compared where the trees are laid out as SQLite lays them (one page per table, or
-- the same chains); elsewhere the b-trees split differently and only counts that must
-- agree (no free page in FULL mode) are asked for.

-- name: autovacuum_full_inserts_and_deletes
-- setup:
PRAGMA auto_vacuum = FULL;
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX t_v ON t(v);
CREATE TABLE blobs(k INTEGER PRIMARY KEY, b BLOB);
-- statements:
PRAGMA auto_vacuum;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) INSERT INTO t SELECT i, printf('%.*c', i % 90 + 5, 'v') || i FROM n;
PRAGMA freelist_count;
DELETE FROM t WHERE id % 3 = 0;
PRAGMA freelist_count;
DELETE FROM t WHERE id > 100;
PRAGMA freelist_count;
SELECT count(*), sum(id), max(length(v)) FROM t;
SELECT id FROM t WHERE v = printf('%.*c', 15, 'v') || 10;
INSERT INTO blobs VALUES (1, zeroblob(30000)), (2, zeroblob(5000)), (3, zeroblob(100));
UPDATE blobs SET b = zeroblob(200) WHERE k = 1;
DELETE FROM blobs WHERE k = 2;
PRAGMA freelist_count;
UPDATE blobs SET b = zeroblob(12000) WHERE k = 3;
SELECT k, length(b) FROM blobs ORDER BY k;
DELETE FROM t;
PRAGMA freelist_count;
SELECT count(*) FROM t;

-- name: autovacuum_full_drops_move_roots
-- setup:
PRAGMA auto_vacuum = FULL;
CREATE TABLE a(x INTEGER PRIMARY KEY, y);
CREATE INDEX a_y ON a(y);
CREATE TABLE b(p TEXT PRIMARY KEY, q) WITHOUT ROWID;
CREATE TABLE c(m UNIQUE, n);
CREATE TABLE d(z);
INSERT INTO a VALUES (1, 'one'), (2, 'two'), (3, zeroblob(9000));
INSERT INTO b VALUES ('k', 1), ('l', 2);
INSERT INTO c VALUES ('M', 'N');
INSERT INTO d VALUES (zeroblob(5000));
-- statements:
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;
DROP INDEX a_y;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;
DROP TABLE a;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;
SELECT * FROM b ORDER BY p;
SELECT m, n FROM c WHERE m = 'M';
SELECT length(z) FROM d;
CREATE TABLE e(w);
INSERT INTO e VALUES (zeroblob(7000));
CREATE INDEX e_w ON e(w);
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;
DROP TABLE c;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;
PRAGMA freelist_count;
DROP TABLE e;
DROP TABLE d;
DROP TABLE b;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA page_count;

-- name: autovacuum_full_many_tables
-- setup:
PRAGMA auto_vacuum = FULL;
CREATE TABLE t1(a, b);
CREATE TABLE t2(a, b);
CREATE TABLE t3(a, b);
CREATE TABLE t4(a, b);
CREATE TABLE t5(a, b);
CREATE TABLE t6(a, b);
CREATE TABLE t7(a, b);
CREATE TABLE t8(a, b);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO t3 SELECT i, zeroblob(i * 50) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO t6 SELECT i, printf('%.*c', i * 20, 's') FROM n;
-- statements:
CREATE INDEX t3_a ON t3(a);
CREATE INDEX t6_b ON t6(b);
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;
DROP TABLE t1;
DROP TABLE t4;
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;
SELECT count(*), sum(length(b)) FROM t3;
SELECT count(*), sum(length(b)) FROM t6 WHERE b > 'sss';
DELETE FROM t3 WHERE a % 2 = 0;
PRAGMA freelist_count;
CREATE TABLE t9(a PRIMARY KEY, b) WITHOUT ROWID;
INSERT INTO t9 SELECT a, b FROM t6;
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;
DROP TABLE t6;
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA freelist_count;
SELECT count(*), max(length(b)) FROM t9;
PRAGMA integrity_check;

-- name: autovacuum_full_rollback
-- setup:
PRAGMA auto_vacuum = FULL;
CREATE TABLE t(id INTEGER PRIMARY KEY, v);
CREATE TABLE u(x);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO t SELECT i, zeroblob(i % 7 * 300) FROM n;
-- statements:
PRAGMA page_count;
BEGIN;
DELETE FROM t WHERE id < 250;
DROP TABLE u;
CREATE TABLE w(y);
INSERT INTO w VALUES (zeroblob(20000));
ROLLBACK;
PRAGMA page_count;
SELECT count(*), sum(length(v)) FROM t;
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;
BEGIN;
DELETE FROM t WHERE id > 100;
SAVEPOINT s;
DROP TABLE u;
INSERT INTO t VALUES (1000, zeroblob(9000));
ROLLBACK TO s;
RELEASE s;
COMMIT;
PRAGMA freelist_count;
SELECT count(*), sum(length(v)) FROM t;
SELECT name, rootpage FROM sqlite_schema ORDER BY rootpage;

-- name: autovacuum_incremental
-- setup:
PRAGMA auto_vacuum = INCREMENTAL;
CREATE TABLE a(x);
CREATE TABLE b(y);
CREATE INDEX b_y ON b(y);
CREATE TABLE c(z);
INSERT INTO a VALUES (zeroblob(30000));
INSERT INTO c VALUES (zeroblob(10000));
-- statements:
PRAGMA auto_vacuum;
PRAGMA page_count;
DELETE FROM a;
PRAGMA freelist_count;
PRAGMA page_count;
PRAGMA incremental_vacuum(5);
PRAGMA freelist_count;
PRAGMA page_count;
INSERT INTO b VALUES (1), (2), (zeroblob(3000));
DROP TABLE a;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;
PRAGMA freelist_count;
PRAGMA incremental_vacuum(1);
PRAGMA incremental_vacuum(0);
PRAGMA freelist_count;
PRAGMA page_count;
CREATE TABLE d(q);
INSERT INTO d VALUES (zeroblob(9000));
UPDATE c SET z = zeroblob(3000);
PRAGMA freelist_count;
PRAGMA page_count;
BEGIN;
DELETE FROM d;
PRAGMA incremental_vacuum(2);
ROLLBACK;
PRAGMA freelist_count;
PRAGMA page_count;
SELECT length(q) FROM d;
DROP INDEX b_y;
PRAGMA incremental_vacuum(-1);
PRAGMA freelist_count;
PRAGMA page_count;
PRAGMA incremental_vacuum;
SELECT type, name, rootpage FROM sqlite_schema ORDER BY rootpage;

-- name: autovacuum_incremental_rows
-- setup:
PRAGMA auto_vacuum = INCREMENTAL;
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, w BLOB);
CREATE INDEX t_v ON t(v);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO t SELECT i, printf('%.*c', i % 60 + 1, 'w') || i, CASE WHEN i % 25 = 0 THEN zeroblob(6000) END FROM n;
DELETE FROM t WHERE id % 4 = 0;
-- statements:
PRAGMA incremental_vacuum(3);
PRAGMA incremental_vacuum(10);
SELECT count(*), sum(length(w)) FROM t;
DELETE FROM t WHERE id < 200;
PRAGMA incremental_vacuum(7);
INSERT INTO t(v, w) SELECT v || 'x', zeroblob(700) FROM t WHERE id % 5 = 1;
PRAGMA incremental_vacuum;
PRAGMA freelist_count;
SELECT count(*), sum(length(v)), sum(length(w)) FROM t;
SELECT id FROM t WHERE v = printf('%.*c', 22, 'w') || 321;
PRAGMA auto_vacuum = FULL;
PRAGMA auto_vacuum;
DELETE FROM t WHERE id % 3 = 0;
PRAGMA freelist_count;
PRAGMA auto_vacuum = INCREMENTAL;
DELETE FROM t WHERE id % 3 = 1;
PRAGMA incremental_vacuum(4);
SELECT count(*) FROM t;

-- name: autovacuum_switched_on_by_vacuum
-- setup:
CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);
CREATE INDEX t_v ON t(v);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t SELECT i, zeroblob(i % 9 * 150) FROM n;
-- statements:
PRAGMA auto_vacuum;
DELETE FROM t WHERE id % 2 = 0;
PRAGMA incremental_vacuum(5);
PRAGMA freelist_count > 0;
PRAGMA auto_vacuum = FULL;
PRAGMA auto_vacuum;
VACUUM;
PRAGMA auto_vacuum;
PRAGMA page_count;
PRAGMA freelist_count;
DELETE FROM t WHERE id % 3 = 0;
PRAGMA freelist_count;
SELECT count(*), sum(length(v)) FROM t;
PRAGMA auto_vacuum = INCREMENTAL;
PRAGMA auto_vacuum;
DELETE FROM t WHERE id % 5 = 0;
PRAGMA incremental_vacuum(2);
PRAGMA auto_vacuum = NONE;
VACUUM;
PRAGMA auto_vacuum;
PRAGMA page_count;
PRAGMA freelist_count;
