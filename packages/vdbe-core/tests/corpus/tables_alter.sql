-- Differential corpus: ALTER TABLE. SQLite rewrites the CREATE statements stored in
-- sqlite_schema by editing their text; the VM runs the same programs with its own
-- sqlite_rename_* functions, and the schemas must come out byte for byte the same.

-- name: alter_rename_table
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c, "d e" UNIQUE, FOREIGN KEY(c) REFERENCES t(a));
CREATE INDEX t_b ON t(b, "c");
CREATE INDEX t_expr ON t(lower(b)) WHERE c IS NOT NULL;
CREATE TABLE other(x REFERENCES t, y, z DEFAULT 'keep t');
CREATE TABLE [weird name](p, q CHECK (q > 0));
INSERT INTO t VALUES (1, 'one', NULL, 'x'), (2, 'two', 1, 'y');
INSERT INTO other VALUES (1, 2, 3);
-- statements:
ALTER TABLE t RENAME TO u;
SELECT * FROM u ORDER BY a;
ALTER TABLE other RENAME TO "Other Table";
ALTER TABLE [weird name] RENAME TO plain;
ALTER TABLE u RENAME TO other;
ALTER TABLE nosuch RENAME TO x;
ALTER TABLE u RENAME TO t;
INSERT INTO t VALUES (3, 'three', 2, 'z');
SELECT * FROM t WHERE b = 'three';

-- name: alter_rename_column
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL CHECK (length(b) > 0), c COLLATE NOCASE, d AS (b || c), UNIQUE (b, c), CHECK (c != b));
CREATE INDEX t_bc ON t(b DESC, c COLLATE BINARY);
CREATE INDEX t_where ON t(c) WHERE b > 'a';
CREATE TABLE child(id, ref, FOREIGN KEY (ref) REFERENCES t(b));
CREATE TABLE child2(k REFERENCES t (b));
INSERT INTO t(a, b, c) VALUES (1, 'x', 'y'), (2, 'p', 'q');
-- statements:
ALTER TABLE t RENAME COLUMN b TO bee;
SELECT a, bee, c, d FROM t ORDER BY a;
ALTER TABLE t RENAME COLUMN c TO "see me";
ALTER TABLE t RENAME COLUMN "see me" TO c;
ALTER TABLE t RENAME COLUMN a TO [id];
ALTER TABLE t RENAME COLUMN nosuch TO z;
ALTER TABLE t RENAME COLUMN bee TO c;
ALTER TABLE child RENAME COLUMN ref TO parent_ref;
SELECT * FROM t WHERE bee = 'p';

-- name: alter_drop_column
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d, e DEFAULT 5, UNIQUE(e));
CREATE INDEX t_c ON t(c);
CREATE TABLE last(x, y);
CREATE TABLE lastc(x, y, CHECK (x > 0));
INSERT INTO t VALUES (1, 'one', 1.5, x'00', 7), (2, 'two', 2.5, NULL, 8);
INSERT INTO last VALUES (1, 2);
INSERT INTO lastc VALUES (1, 2);
-- statements:
ALTER TABLE t DROP COLUMN d;
SELECT * FROM t ORDER BY a;
ALTER TABLE t DROP COLUMN b;
ALTER TABLE t DROP COLUMN c;
ALTER TABLE t DROP COLUMN e;
ALTER TABLE t DROP COLUMN a;
ALTER TABLE last DROP COLUMN y;
ALTER TABLE lastc DROP COLUMN y;
ALTER TABLE lastc DROP COLUMN x;
ALTER TABLE last DROP COLUMN x;
SELECT * FROM t ORDER BY a;
SELECT * FROM last;

-- name: alter_checks_the_schema
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT CHECK (b <> ''), c, FOREIGN KEY (c) REFERENCES t(a));
CREATE INDEX t_b ON t(b) WHERE c > 0;
CREATE VIEW v AS SELECT a, b FROM t WHERE c IS NULL;
INSERT INTO t VALUES (1, 'one', NULL), (2, 'two', 1);
-- statements:
ALTER TABLE t DROP COLUMN c;
ALTER TABLE t DROP COLUMN b;
ALTER TABLE t RENAME COLUMN b TO title;
SELECT * FROM v;
ALTER TABLE t RENAME TO books;
SELECT * FROM v;
DROP VIEW v;
DROP INDEX t_b;
ALTER TABLE books DROP COLUMN title;
SELECT * FROM books;

-- name: alter_quotefix_double_quoted_strings
-- setup:
CREATE TABLE t(a, b, c);
CREATE VIEW v AS SELECT "hello" AS x, "a", a, "it's", "q""q" FROM t WHERE b = "zz";
CREATE VIEW w AS SELECT "x"||'y' AS k, 1 "alias", "a" FROM t ORDER BY "alias";
CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO u(c) VALUES ("str" || new."a"); UPDATE t SET b = "b" WHERE a = "nope"; END;
CREATE INDEX t_i ON t(a) WHERE b <> "idx";
CREATE TABLE u(c CHECK (c <> "chk"), d DEFAULT "dflt", e AS (c || "gen"), f);
INSERT INTO t VALUES (1, 'zz', 3);
-- statements:
ALTER TABLE u DROP COLUMN f;
SELECT name, sql FROM sqlite_schema ORDER BY name;
SELECT * FROM v;
INSERT INTO t VALUES (2, 'zz', 4);
SELECT c, d, e FROM u;
ALTER TABLE t RENAME COLUMN b TO "zz";
SELECT * FROM v;
SELECT * FROM w ORDER BY a;
ALTER TABLE t RENAME TO t2;

-- name: alter_rename_inside_trigger_bodies
-- setup:
CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT UNIQUE, qty INTEGER, price REAL);
CREATE TABLE stock(name TEXT PRIMARY KEY, total INTEGER, touched INTEGER DEFAULT 0);
CREATE TABLE audit(seq INTEGER PRIMARY KEY, what TEXT, ref INTEGER);
CREATE TRIGGER item_add AFTER INSERT ON item WHEN new.qty > 0 BEGIN
  INSERT INTO stock(name, total) VALUES (new.name, new.qty)
    ON CONFLICT(name) DO UPDATE SET total = total + excluded.total, touched = stock.touched + 1;
  INSERT INTO audit(what, ref) SELECT 'add ' || item.name, item.id FROM item WHERE item.id = new.id;
END;
CREATE TRIGGER item_qty AFTER UPDATE OF qty, price ON item BEGIN
  UPDATE stock SET total = total - old.qty + new.qty WHERE name = old.name;
  DELETE FROM audit WHERE ref = old.id AND what LIKE 'qty%';
  INSERT INTO audit(what, ref) VALUES ('qty ' || (SELECT count(*) FROM item i WHERE i.qty = new.qty), new.id);
END;
CREATE TRIGGER stock_gone BEFORE DELETE ON stock BEGIN
  SELECT CASE WHEN (SELECT sum(qty) FROM item WHERE item.name = old.name) > 0
    THEN RAISE(ABORT, 'still in stock') END;
END;
CREATE VIEW item_value AS SELECT i.name, i.qty * i.price AS value, s.total
  FROM item AS i JOIN stock s ON s.name = i.name WHERE i.qty IS NOT NULL;
INSERT INTO item VALUES (1, 'bolt', 10, 0.5), (2, 'nut', 5, 0.25);
-- statements:
ALTER TABLE item RENAME COLUMN qty TO quantity;
ALTER TABLE item RENAME COLUMN name TO label;
ALTER TABLE stock RENAME COLUMN total TO on_hand;
SELECT name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') ORDER BY name;
INSERT INTO item VALUES (3, 'bolt2', 4, 1.0);
UPDATE item SET quantity = quantity + 1 WHERE id = 1;
SELECT * FROM stock ORDER BY name;
SELECT * FROM audit ORDER BY seq;
ALTER TABLE item RENAME TO part;
ALTER TABLE audit RENAME TO log;
ALTER TABLE stock RENAME TO store;
SELECT name, tbl_name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') ORDER BY name;
INSERT INTO part VALUES (4, 'washer', 7, 0.1);
SELECT * FROM item_value ORDER BY name;
DELETE FROM store WHERE name = 'bolt';
ALTER TABLE log DROP COLUMN ref;
ALTER TABLE part DROP COLUMN price;

-- name: alter_drop_column_without_rowid
-- setup:
CREATE TABLE w(x INT, y TEXT, z, note TEXT, PRIMARY KEY (x, y)) WITHOUT ROWID;
CREATE INDEX w_note ON w(note);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO w SELECT i % 17, 'y' || i, i * 1.5, 'n' || i FROM n;
-- statements:
ALTER TABLE w DROP COLUMN z;
SELECT count(*), sum(x), max(y) FROM w;
ALTER TABLE w DROP COLUMN note;
ALTER TABLE w DROP COLUMN y;
SELECT * FROM w WHERE x = 3 ORDER BY y LIMIT 3;
UPDATE w SET x = x + 100 WHERE x = 5;
SELECT count(*) FROM w WHERE x > 100;

-- name: alter_drop_last_column_without_rowid
-- Each row is written again with only its PRIMARY KEY; the row whose key is the
-- divider in the interior page is replaced there, and the scan goes on after it.
-- setup:
CREATE TABLE w2(x INT, y TEXT, z, PRIMARY KEY (x, y)) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO w2 SELECT i % 17, 'y' || i, i * 1.5 FROM n;
-- statements:
ALTER TABLE w2 DROP COLUMN z;
SELECT count(*), sum(x), min(y), max(y) FROM w2;
SELECT * FROM w2 WHERE x = 8 ORDER BY y LIMIT 3;

-- name: alter_rename_column_by_scope
-- A renamed column is renamed where SQLite's name resolution finds it: not an alias
-- of the same name, not a bare ORDER BY term naming an alias, not a name that an inner
-- SELECT's own table claims; a compound SELECT's ORDER BY follows its first SELECT.
-- setup:
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE TABLE w(x, y);
CREATE TABLE log(m);
CREATE VIEW v1 AS SELECT a AS b FROM t ORDER BY b;
CREATE VIEW v2 AS SELECT a b FROM t ORDER BY b;
CREATE VIEW v3 AS SELECT a AS b FROM t ORDER BY b + 1;
CREATE VIEW v4 AS SELECT a AS b FROM t GROUP BY b;
CREATE VIEW v5 AS SELECT a AS b, b AS x FROM t ORDER BY b DESC, x;
CREATE VIEW v6 AS SELECT b FROM t UNION SELECT x FROM w ORDER BY b;
CREATE VIEW v7 AS SELECT x FROM w UNION SELECT b FROM t ORDER BY 1;
CREATE VIEW v8 AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE x = b);
CREATE VIEW v9 AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM w WHERE x = b);
CREATE VIEW v10 AS SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u AS q WHERE q.x = t.b);
CREATE VIEW v11 AS SELECT (SELECT max(b) FROM u) FROM t;
CREATE VIEW v12 AS SELECT (SELECT max(b) FROM w) FROM t;
CREATE VIEW v13 AS SELECT * FROM t JOIN w ON w.y = b;
CREATE VIEW v19 AS SELECT a FROM t WHERE b IN (SELECT b FROM u);
CREATE VIEW v20 AS SELECT a FROM t WHERE b IN (SELECT y FROM w WHERE y > b);
CREATE VIEW v21 AS SELECT a FROM t ORDER BY b;
CREATE VIEW v22 AS SELECT a AS c FROM t ORDER BY b;
CREATE VIEW v23 AS SELECT b.a FROM t b;
CREATE VIEW v24 AS SELECT t.b, u.b FROM t, u;
CREATE VIEW v25 AS SELECT b FROM t WHERE b NOT IN (SELECT b FROM u);
CREATE VIEW v26 AS SELECT b, count(*) AS n FROM t GROUP BY b HAVING n > 1 ORDER BY b;
CREATE VIEW v27 AS SELECT b FROM t AS q ORDER BY q.b;
CREATE VIEW v28 AS SELECT max(b) OVER (PARTITION BY b ORDER BY b) FROM t;
CREATE VIEW v29 AS SELECT CAST(b AS b) FROM t;
CREATE VIEW v30 AS SELECT b FROM t LEFT JOIN w ON w.y = t.b;
CREATE VIEW v31 AS WITH b AS (SELECT a FROM t) SELECT * FROM b;
CREATE VIEW v32 AS SELECT * FROM t WHERE b = 1 UNION ALL SELECT * FROM u WHERE b = 2;
CREATE VIEW v33 AS SELECT a FROM t WHERE a = (SELECT b FROM u WHERE x = t.b ORDER BY b LIMIT 1);
CREATE VIEW v34(b) AS SELECT b FROM t;
CREATE VIEW v35 AS SELECT 'b' AS "b", b FROM t;
CREATE VIEW v36 AS SELECT [b] FROM t ORDER BY "b";
CREATE TRIGGER tr37 AFTER INSERT ON w BEGIN INSERT INTO log SELECT a AS b FROM t ORDER BY b; END;
CREATE TRIGGER tr38 AFTER INSERT ON w BEGIN INSERT INTO log SELECT a b FROM t ORDER BY b; END;
CREATE TRIGGER tr39 AFTER INSERT ON w BEGIN INSERT INTO log SELECT b FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.x = b); END;
CREATE TRIGGER tr40 AFTER INSERT ON w BEGIN UPDATE u SET x = b WHERE b IN (SELECT b FROM t); END;
CREATE TRIGGER tr41 AFTER INSERT ON w BEGIN UPDATE t SET a = b + 1 WHERE b > 0; END;
CREATE TRIGGER tr42 AFTER INSERT ON w BEGIN DELETE FROM t WHERE b = (SELECT max(b) FROM u); END;
CREATE TRIGGER tr43 AFTER UPDATE OF b ON t BEGIN INSERT INTO log VALUES (new.b); END;
CREATE TRIGGER tr44 AFTER UPDATE ON t WHEN new.b > 0 BEGIN INSERT INTO log SELECT b FROM u; END;
CREATE TRIGGER tr45 AFTER UPDATE ON t BEGIN INSERT INTO log SELECT b FROM t x WHERE x.b = old.b; END;
CREATE TRIGGER tr46 AFTER INSERT ON w BEGIN INSERT INTO log SELECT b FROM t UNION SELECT x FROM w ORDER BY b; END;
CREATE TRIGGER tr49 AFTER INSERT ON w BEGIN INSERT INTO log SELECT (SELECT count(*) FROM u WHERE u.b = t.b) FROM t; END;
-- statements:
ALTER TABLE t RENAME COLUMN b TO c;
SELECT name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name;
ALTER TABLE u RENAME COLUMN b TO "B 2";
SELECT name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name;
ALTER TABLE t RENAME COLUMN c TO b;
SELECT name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name;
INSERT INTO w VALUES (1, 2);
SELECT * FROM log;

-- name: alter_rename_column_breaks_a_view
-- Where the renamed column leaves a name that no longer resolves, SQLite refuses the
-- ALTER with the view's or trigger's error, and the schema stays as it was.
-- setup:
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE TABLE w(x, y);
CREATE TABLE log(m);
-- statements:
CREATE VIEW v14 AS SELECT s.b FROM (SELECT b FROM t) AS s;
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP VIEW v14;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE VIEW v15 AS SELECT b FROM (SELECT b FROM u);
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP VIEW v15;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE VIEW v16 AS SELECT b FROM (SELECT b FROM t);
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP VIEW v16;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE VIEW v17 AS WITH c AS (SELECT b FROM u) SELECT b FROM c;
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP VIEW v17;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE VIEW v18 AS WITH c AS (SELECT b FROM t) SELECT b FROM c;
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP VIEW v18;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE TRIGGER tr47 AFTER INSERT ON w BEGIN INSERT INTO log SELECT s.b FROM (SELECT b FROM t) AS s; END;
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP TRIGGER tr47;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
CREATE TRIGGER tr48 AFTER INSERT ON w BEGIN INSERT INTO log SELECT b FROM (SELECT b FROM t); END;
ALTER TABLE t RENAME COLUMN b TO c;
ALTER TABLE u RENAME COLUMN b TO c;
DROP TRIGGER tr48;
DROP TABLE t;
DROP TABLE u;
CREATE TABLE t(a, b);
CREATE TABLE u(x, b);
SELECT count(*) FROM sqlite_schema;
