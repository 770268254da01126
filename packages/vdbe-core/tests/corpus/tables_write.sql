-- Differential corpus: statements that change the file.
-- After each statement both files must hold the same rows, and the VM's file must pass
-- real SQLite's PRAGMA integrity_check. A statement that fails must fail with the same
-- message and leave the file unchanged.

-- name: inserts
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL CHECK (c IS NULL OR c >= 0), e UNIQUE);
CREATE INDEX t_b ON t(b);
CREATE TABLE kv(k TEXT PRIMARY KEY, v INT DEFAULT 0, n INT) WITHOUT ROWID;
CREATE TABLE cnt(id INTEGER PRIMARY KEY, name TEXT UNIQUE, hits INT DEFAULT 0);
CREATE TABLE loose(x, y INTEGER, z TEXT);
-- statements:
INSERT INTO t VALUES (1, 'one', 1.5, 'e1');
INSERT INTO t(b, c) VALUES ('two', 2), ('three', NULL), ('four', 4.25);
INSERT INTO t VALUES (10, 'ten', '10', 10);
INSERT INTO t(b, e) VALUES ('dup', 'e1');
INSERT INTO t(b) VALUES (NULL);
INSERT INTO t(b, c) VALUES ('neg', -1);
INSERT INTO t VALUES (1, 'again', 0, NULL);
INSERT OR REPLACE INTO t VALUES (1, 'replaced', 0.5, 'e9');
INSERT OR REPLACE INTO t VALUES (50, 'steal', 1, 10);
INSERT OR IGNORE INTO t VALUES (2, 'ignored', 1, NULL);
INSERT OR IGNORE INTO t VALUES (60, 'sixty', 6, NULL);
SELECT * FROM t ORDER BY a;
INSERT INTO loose VALUES (1, '2', 3), ('x', '12.0', 4.5), (NULL, 'abc', x'00ff'), (2.0, 3.5, NULL);
SELECT x, typeof(x), y, typeof(y), z, typeof(z) FROM loose;
INSERT INTO loose SELECT a, c, b FROM t WHERE a > 2;
INSERT INTO loose(z) SELECT group_concat(b) FROM t;
INSERT INTO kv VALUES ('a', 1, 0), ('b', 2, 0), ('c', 3, 0);
INSERT INTO kv VALUES ('a', 9, 9);
INSERT INTO kv(k, v) VALUES ('a', 10) ON CONFLICT DO NOTHING;
INSERT INTO kv(k, v) VALUES ('a', 10) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v, n = n + 1;
INSERT INTO kv(k, v) VALUES ('d', 4) ON CONFLICT(k) DO UPDATE SET n = n + 1;
INSERT OR REPLACE INTO kv VALUES ('b', 20, 2);
INSERT INTO kv VALUES (NULL, 1, 1);
INSERT INTO cnt(name) VALUES ('x'), ('y');
INSERT INTO cnt(name) VALUES ('x') ON CONFLICT(name) DO UPDATE SET hits = hits + 1;
INSERT INTO cnt(name) VALUES ('x') ON CONFLICT(name) DO UPDATE SET hits = hits + 1;
INSERT INTO cnt(name) VALUES ('z') ON CONFLICT DO NOTHING;
INSERT INTO cnt(name) VALUES ('z') ON CONFLICT DO NOTHING;
INSERT INTO cnt VALUES (9223372036854775807, 'max', 0);
SELECT count(*) FROM cnt WHERE id > 0;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700)
INSERT INTO loose SELECT i, i * 2, printf('row %d %.*c', i, i % 90, '-') FROM n;
SELECT count(*), sum(x), max(length(z)) FROM loose;

-- name: updates
-- setup:
CREATE TABLE u(id INTEGER PRIMARY KEY, name TEXT UNIQUE, qty INT NOT NULL, price REAL);
CREATE INDEX u_qty ON u(qty);
CREATE TABLE w(k INT PRIMARY KEY, v TEXT) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO u SELECT i, 'item' || i, i % 20, i * 0.25 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO w SELECT i, 'v' || i FROM n;
-- statements:
UPDATE u SET price = price * 2 WHERE id = 7;
UPDATE u SET qty = qty + 100 WHERE qty = 3;
UPDATE u SET name = upper(name) WHERE id BETWEEN 10 AND 20;
UPDATE u SET price = NULL WHERE price > 90;
UPDATE u SET id = id + 1000 WHERE id > 390;
UPDATE u SET name = 'item1' WHERE id = 2;
UPDATE u SET qty = NULL WHERE id = 3;
UPDATE OR IGNORE u SET name = 'item5' WHERE id IN (4, 6);
UPDATE OR REPLACE u SET name = 'item8' WHERE id = 9;
UPDATE u SET qty = qty * 2;
SELECT qty, count(*) FROM u GROUP BY qty ORDER BY qty;
UPDATE w SET v = v || '!' WHERE k % 10 = 0;
UPDATE w SET k = k + 1000 WHERE k > 190;
UPDATE w SET v = 'all';
UPDATE u SET name = printf('%.*c', 3000, 'n') WHERE id = 100;
SELECT id, length(name), qty FROM u WHERE id IN (1, 100, 1391, 1400);

-- name: deletes
-- setup:
CREATE TABLE d(id INTEGER PRIMARY KEY, g INT, body TEXT);
CREATE INDEX d_g ON d(g);
CREATE TABLE dw(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 900)
INSERT INTO d SELECT i, i % 13, printf('%.*c', i % 300, 'd') FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO dw SELECT printf('k%05d', i), i FROM n;
-- statements:
DELETE FROM d WHERE id = 5;
DELETE FROM d WHERE id = 5;
DELETE FROM d WHERE g = 4;
DELETE FROM d WHERE id > 850;
DELETE FROM d WHERE length(body) > 250;
DELETE FROM d WHERE id % 3 = 0 AND g > 6;
SELECT count(*), sum(g) FROM d;
DELETE FROM dw WHERE v % 2 = 0;
DELETE FROM dw WHERE k > 'k00250';
DELETE FROM dw;
DELETE FROM d;
SELECT count(*) FROM d;
INSERT INTO d(g, body) VALUES (1, 'fresh');
SELECT * FROM d;

-- name: ddl
-- setup:
CREATE TABLE base(id INTEGER PRIMARY KEY, x INT, y TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO base SELECT i, i % 17, 'y' || (i % 23) FROM n;
-- statements:
CREATE TABLE made(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'b', c REAL);
INSERT INTO made(c) VALUES (1.5), (2.5);
SELECT * FROM made;
CREATE INDEX base_x ON base(x);
SELECT id FROM base WHERE x = 5 ORDER BY id;
CREATE UNIQUE INDEX base_y_id ON base(y, id);
CREATE UNIQUE INDEX base_y ON base(y);
CREATE INDEX IF NOT EXISTS base_x ON base(x);
CREATE TABLE made(z);
CREATE TABLE IF NOT EXISTS made(z);
CREATE TABLE copy AS SELECT x, y FROM base WHERE id < 50;
SELECT count(*), sum(x) FROM copy;
CREATE TABLE wr(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO wr SELECT y, max(x) FROM base GROUP BY y;
DROP INDEX base_x;
SELECT id FROM base WHERE x = 5 ORDER BY id;
DROP TABLE made;
DROP TABLE IF EXISTS made;
DROP TABLE made;
DROP TABLE copy;
CREATE TABLE after_drop(q);
INSERT INTO after_drop VALUES (1), (2);
DROP INDEX base_y_id;
SELECT name, type FROM sqlite_schema ORDER BY name;

-- name: constraints
-- setup:
CREATE TABLE acct(id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance INT CHECK (balance >= 0), code TEXT UNIQUE);
CREATE TABLE pair(a INT, b INT, note TEXT, PRIMARY KEY (a, b));
CREATE UNIQUE INDEX acct_owner_code ON acct(owner, code);
INSERT INTO acct VALUES (1, 'ann', 10, 'A1'), (2, 'bob', 20, 'B1'), (3, 'cy', 0, NULL);
INSERT INTO pair VALUES (1, 1, 'x'), (1, 2, 'y');
-- statements:
INSERT INTO acct VALUES (1, 'dup', 5, 'Z');
INSERT INTO acct VALUES (4, NULL, 5, 'Z');
INSERT INTO acct VALUES (4, 'dan', -5, 'Z');
INSERT INTO acct VALUES (4, 'dan', 5, 'A1');
INSERT INTO acct VALUES (4, 'dan', 5, NULL), (5, 'eve', -1, NULL);
UPDATE acct SET balance = balance - 15;
UPDATE acct SET code = 'B1' WHERE id = 1;
UPDATE acct SET owner = NULL WHERE id = 2;
INSERT INTO pair VALUES (1, 2, 'dup');
INSERT INTO pair VALUES (NULL, 3, 'null key');
UPDATE pair SET b = 1 WHERE b = 2;
INSERT INTO acct SELECT id + 10, owner, balance, code FROM acct;
SELECT * FROM acct ORDER BY id;
SELECT * FROM pair;

-- name: autoincrement
-- setup:
CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
INSERT INTO seq(v) VALUES ('a'), ('b'), ('c');
-- statements:
INSERT INTO seq(v) VALUES ('d');
DELETE FROM seq WHERE id >= 3;
INSERT INTO seq(v) VALUES ('e');
SELECT * FROM seq;
SELECT name, seq FROM sqlite_sequence;
CREATE TABLE seq2(id INTEGER PRIMARY KEY AUTOINCREMENT, w);
INSERT INTO seq2(w) SELECT v FROM seq;
INSERT INTO seq2 VALUES (100, 'hundred');
INSERT INTO seq2(w) VALUES ('after');
SELECT * FROM seq2;
DELETE FROM seq2;
INSERT INTO seq2(w) VALUES ('fresh');
SELECT * FROM seq2;
DROP TABLE seq2;
SELECT name, seq FROM sqlite_sequence;

-- name: transfers
-- setup:
CREATE TABLE a(x INTEGER PRIMARY KEY, y TEXT, z);
CREATE INDEX a_y ON a(y);
CREATE TABLE b(x INTEGER PRIMARY KEY, y TEXT, z);
CREATE INDEX b_y ON b(y);
CREATE TABLE wa(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE wb(k PRIMARY KEY, v) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO a SELECT i, 'y' || (i % 17), printf('%.*c', i % 150, 'z') FROM n;
INSERT INTO wa SELECT y || x, z FROM a;
ALTER TABLE a ADD COLUMN extra TEXT DEFAULT 'dflt';
-- statements:
INSERT INTO b SELECT x, y, z FROM a;
INSERT INTO wb SELECT * FROM wa;
SELECT count(*), sum(length(z)) FROM b WHERE y = 'y3';
SELECT x, extra FROM a WHERE x < 4;
INSERT INTO a(y) VALUES ('new');
SELECT x, y, extra FROM a ORDER BY x DESC LIMIT 2;
REINDEX a_y;
SELECT count(*) FROM a WHERE y = 'y3';
PRAGMA user_version = 7;
PRAGMA user_version;

-- name: alter_add_column
-- setup:
CREATE TABLE t(a INTEGER, b TEXT);
INSERT INTO t VALUES (1, 'one'), (2, 'two');
CREATE TABLE "odd name"(x);
-- statements:
ALTER TABLE t ADD COLUMN c DEFAULT 7;
SELECT * FROM t ORDER BY a;
ALTER TABLE t ADD COLUMN d TEXT DEFAULT 'dee' COLLATE NOCASE;
ALTER TABLE t ADD e REAL;
INSERT INTO t(a, b, e) VALUES (3, 'three', 1.5);
ALTER TABLE t ADD COLUMN g DEFAULT (printf('%d-%s', 4, 'x'));
SELECT * FROM t ORDER BY a;
ALTER TABLE "odd name" ADD COLUMN "y z" INTEGER DEFAULT (-1);
SELECT * FROM "odd name";
ALTER TABLE t ADD COLUMN f NOT NULL;
ALTER TABLE t ADD COLUMN a2 UNIQUE;
SELECT * FROM t ORDER BY a;

-- name: wal_checkpoint_without_a_log
-- The pager keeps a rollback journal, never a write-ahead log: a checkpoint answers
-- as SQLite's does for a database not in WAL mode, (0, -1, -1).
-- setup:
CREATE TABLE t(a);
-- statements:
PRAGMA wal_checkpoint;
INSERT INTO t VALUES (1);
PRAGMA wal_checkpoint(FULL);
PRAGMA main.wal_checkpoint(TRUNCATE);
PRAGMA wal_checkpoint(PASSIVE);
PRAGMA journal_mode;
SELECT * FROM t;
