-- Triggers: each runs as a sub-program (Program, Param) in a frame of its own.

-- name: trigger_after_insert_log
-- setup:
CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT);
CREATE TABLE log(n INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT, x, y);
CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
  INSERT INTO log(what, x, y) VALUES ('ins', new.id, new.a * 2);
END;
CREATE TRIGGER t_ins_big AFTER INSERT ON t WHEN new.a > 10 BEGIN
  INSERT INTO log(what, x, y) VALUES ('big', new.id, new.b || '!');
END;
-- statements:
INSERT INTO t(a, b) VALUES (1, 'one');
INSERT INTO t(a, b) VALUES (20, 'twenty'), (3, 'three'), (40, NULL);
INSERT INTO t(id, a, b) SELECT id + 100, a + 1, b FROM t WHERE a > 2;
SELECT * FROM log ORDER BY n;
SELECT name, seq FROM sqlite_sequence;
SELECT count(*) FROM t;

-- name: trigger_before_and_after_update
-- setup:
CREATE TABLE acct(id INTEGER PRIMARY KEY, owner TEXT, balance INTEGER);
CREATE TABLE audit(id, old_balance, new_balance, stage TEXT);
INSERT INTO acct VALUES (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);
CREATE TRIGGER acct_before BEFORE UPDATE ON acct BEGIN
  INSERT INTO audit VALUES (old.id, old.balance, new.balance, 'before');
END;
CREATE TRIGGER acct_after AFTER UPDATE OF balance ON acct WHEN new.balance < old.balance BEGIN
  INSERT INTO audit VALUES (new.id, old.balance, new.balance, 'after-down');
END;
CREATE TRIGGER acct_owner AFTER UPDATE OF owner ON acct BEGIN
  INSERT INTO audit VALUES (new.id, old.owner, new.owner, 'owner');
END;
-- statements:
UPDATE acct SET balance = balance + 10 WHERE id = 1;
UPDATE acct SET balance = balance - 20;
UPDATE acct SET owner = upper(owner) WHERE balance > 0;
UPDATE acct SET owner = owner, balance = balance;
SELECT * FROM audit ORDER BY rowid;
SELECT * FROM acct ORDER BY id;

-- name: trigger_delete_cascade_by_hand
-- setup:
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER, note TEXT);
CREATE TABLE gone(kind TEXT, id INTEGER);
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (3, 'p3');
INSERT INTO child VALUES (10, 1, 'a'), (11, 1, 'b'), (12, 2, 'c'), (13, 3, 'd');
CREATE TRIGGER parent_del AFTER DELETE ON parent BEGIN
  DELETE FROM child WHERE parent_id = old.id;
  INSERT INTO gone VALUES ('parent', old.id);
END;
CREATE TRIGGER child_del BEFORE DELETE ON child BEGIN
  INSERT INTO gone VALUES ('child', old.id);
END;
CREATE INDEX child_parent ON child(parent_id);
-- statements:
DELETE FROM parent WHERE id = 1;
DELETE FROM parent WHERE name > 'p1';
SELECT * FROM gone ORDER BY rowid;
SELECT count(*) FROM child;
DELETE FROM child;

-- name: trigger_raise
-- setup:
CREATE TABLE item(id INTEGER PRIMARY KEY, qty INTEGER);
CREATE TABLE seen(id);
INSERT INTO item VALUES (1, 5), (2, 7);
CREATE TRIGGER item_check BEFORE INSERT ON item WHEN new.qty < 0 BEGIN
  SELECT RAISE(ABORT, 'negative quantity');
END;
CREATE TRIGGER item_skip BEFORE INSERT ON item WHEN new.qty = 0 BEGIN
  INSERT INTO seen VALUES (new.id);
  SELECT RAISE(IGNORE);
END;
CREATE TRIGGER item_fail BEFORE UPDATE ON item WHEN new.qty > 100 BEGIN
  SELECT RAISE(FAIL, 'too many');
END;
CREATE TRIGGER item_rollback BEFORE DELETE ON item WHEN old.qty = 13 BEGIN
  SELECT RAISE(ROLLBACK, 'unlucky');
END;
-- statements:
INSERT INTO item VALUES (3, -1);
INSERT INTO item VALUES (3, 0), (4, 4), (5, 0);
INSERT INTO item VALUES (6, 1), (7, -5), (8, 2);
SELECT * FROM item ORDER BY id;
SELECT * FROM seen;
UPDATE item SET qty = qty * 30;
SELECT * FROM item ORDER BY id;
UPDATE item SET qty = 13 WHERE id = 1;
DELETE FROM item WHERE qty < 20;
SELECT * FROM item ORDER BY id;

-- name: trigger_instead_of_view
-- setup:
CREATE TABLE person(id INTEGER PRIMARY KEY, first TEXT, last TEXT);
INSERT INTO person VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');
CREATE VIEW full_name AS SELECT id, first || ' ' || last AS name FROM person;
CREATE TRIGGER full_name_ins INSTEAD OF INSERT ON full_name BEGIN
  INSERT INTO person VALUES (new.id, substr(new.name, 1, instr(new.name, ' ') - 1),
                             substr(new.name, instr(new.name, ' ') + 1));
END;
CREATE TRIGGER full_name_upd INSTEAD OF UPDATE OF name ON full_name BEGIN
  UPDATE person SET first = substr(new.name, 1, instr(new.name, ' ') - 1),
                    last = substr(new.name, instr(new.name, ' ') + 1) WHERE id = old.id;
END;
CREATE TRIGGER full_name_del INSTEAD OF DELETE ON full_name BEGIN
  DELETE FROM person WHERE id = old.id;
END;
-- statements:
INSERT INTO full_name VALUES (3, 'Grace Hopper'), (4, 'Edsger Dijkstra');
UPDATE full_name SET name = 'Alan M. Turing' WHERE id = 2;
DELETE FROM full_name WHERE name LIKE 'E%';
SELECT * FROM full_name ORDER BY id;
SELECT * FROM person ORDER BY id;
UPDATE full_name SET id = 9;

-- name: trigger_chains_and_recursion
-- setup:
CREATE TABLE a(x);
CREATE TABLE b(x);
CREATE TABLE c(x);
CREATE TABLE counter(n INTEGER);
INSERT INTO counter VALUES (0);
CREATE TRIGGER a_to_b AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x + 1); END;
CREATE TRIGGER a_to_b2 AFTER INSERT ON a BEGIN INSERT INTO b VALUES (new.x + 100); END;
CREATE TRIGGER b_to_c AFTER INSERT ON b BEGIN INSERT INTO c VALUES (new.x * 10); END;
CREATE TRIGGER c_again AFTER INSERT ON c WHEN new.x < 100000 BEGIN
  UPDATE counter SET n = n + 1;
  INSERT INTO c VALUES (new.x * 10);
END;
-- statements:
INSERT INTO a VALUES (1);
INSERT INTO a VALUES (2), (3);
SELECT * FROM b ORDER BY x;
SELECT * FROM c ORDER BY x;
SELECT n FROM counter;
INSERT INTO c SELECT x FROM b;
SELECT count(*), sum(x) FROM c;

-- name: trigger_upsert_and_replace
-- setup:
CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);
CREATE TABLE events(what TEXT, k TEXT, v);
INSERT INTO kv VALUES ('a', 1), ('b', 2);
CREATE TRIGGER kv_ins AFTER INSERT ON kv BEGIN INSERT INTO events VALUES ('ins', new.k, new.v); END;
CREATE TRIGGER kv_upd AFTER UPDATE ON kv BEGIN INSERT INTO events VALUES ('upd', new.k, old.v || '->' || new.v); END;
CREATE TRIGGER kv_del AFTER DELETE ON kv BEGIN INSERT INTO events VALUES ('del', old.k, old.v); END;
-- statements:
INSERT INTO kv VALUES ('a', 10), ('c', 3) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v;
INSERT OR REPLACE INTO kv VALUES ('b', 20);
REPLACE INTO kv VALUES ('d', 4);
INSERT INTO kv VALUES ('c', 30) ON CONFLICT DO NOTHING;
UPDATE OR REPLACE kv SET k = 'a' WHERE k = 'd';
SELECT * FROM events ORDER BY rowid;
SELECT * FROM kv ORDER BY k;

-- name: trigger_body_shapes
-- setup:
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, amount REAL);
CREATE TABLE totals(customer TEXT PRIMARY KEY, n INTEGER, total REAL);
CREATE TRIGGER orders_total AFTER INSERT ON orders BEGIN
  INSERT OR IGNORE INTO totals VALUES (new.customer, 0, 0);
  UPDATE totals SET n = n + 1, total = total + new.amount WHERE customer = new.customer;
  DELETE FROM totals WHERE n > 3;
  SELECT new.amount, (SELECT count(*) FROM orders);
END;
CREATE TRIGGER orders_gone AFTER DELETE ON orders BEGIN
  UPDATE totals SET n = (SELECT count(*) FROM orders o WHERE o.customer = old.customer),
                    total = (SELECT coalesce(sum(amount), 0) FROM orders o WHERE o.customer = old.customer)
   WHERE customer = old.customer;
END;
-- statements:
INSERT INTO orders(customer, amount) VALUES ('x', 1.5), ('y', 2), ('x', 3.25);
INSERT INTO orders(customer, amount) SELECT 'z', value FROM (SELECT 1 AS value UNION ALL SELECT 2);
INSERT INTO orders(customer, amount) VALUES ('x', 1), ('x', 1);
SELECT * FROM totals ORDER BY customer;
DELETE FROM orders WHERE amount > 1.9;
SELECT * FROM totals ORDER BY customer;
DROP TRIGGER orders_total;
INSERT INTO orders(customer, amount) VALUES ('w', 9);
SELECT * FROM totals ORDER BY customer;

-- name: trigger_rowid_without_rowid_and_upsert_body
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE p(id INTEGER PRIMARY KEY, v);
CREATE TABLE c(x REFERENCES p(id), y);
CREATE TABLE w(k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE log(a, b, c);
CREATE TRIGGER w_ins AFTER INSERT ON w BEGIN INSERT INTO log VALUES (new.k, new.n, last_insert_rowid()); END;
CREATE TRIGGER w_upd BEFORE UPDATE ON w BEGIN INSERT INTO log VALUES (old.k, old.n, new.n); END;
CREATE TRIGGER p_ins AFTER INSERT ON p BEGIN
  INSERT INTO w VALUES ('p' || new.id, new.v) ON CONFLICT(k) DO UPDATE SET n = n + 1;
END;
INSERT INTO p VALUES (1, 1), (2, 2);
INSERT INTO c VALUES (1, 'a'), (3, 'bad');
-- statements:
PRAGMA foreign_key_check;
PRAGMA foreign_key_check(c);
INSERT INTO w VALUES ('a', 1), ('b', 2);
UPDATE w SET n = n * 10;
INSERT INTO p VALUES (3, 3), (4, 3);
INSERT INTO p SELECT id + 10, v FROM p;
INSERT INTO p VALUES (1, 5);
INSERT INTO log VALUES (last_insert_rowid(), NULL, NULL), (last_insert_rowid(), NULL, NULL);
SELECT * FROM log ORDER BY rowid;
SELECT * FROM w ORDER BY k;

-- name: trigger_programs_shared_by_several_callers
-- setup:
CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);
CREATE TABLE log(what TEXT, k TEXT);
CREATE TABLE tally(n INTEGER);
INSERT INTO tally VALUES (0);
INSERT INTO kv VALUES ('a', 1);
CREATE TRIGGER kv_ins AFTER INSERT ON kv BEGIN INSERT INTO log VALUES ('ins', new.k); END;
CREATE TRIGGER kv_upd AFTER UPDATE ON kv BEGIN INSERT INTO log VALUES ('upd', new.k); END;
CREATE TRIGGER kv_del AFTER DELETE ON kv BEGIN INSERT INTO log VALUES ('del', old.k); END;
CREATE TRIGGER log_ins AFTER INSERT ON log BEGIN UPDATE tally SET n = n + 1; END;
CREATE TRIGGER tally_upd AFTER UPDATE ON tally WHEN new.n % 2 = 0 BEGIN INSERT INTO log VALUES ('even', new.n); END;
-- statements:
INSERT INTO kv VALUES ('a', 5), ('b', 6) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v;
REPLACE INTO kv VALUES ('b', 60);
DELETE FROM kv WHERE k = 'a';
SELECT * FROM log ORDER BY rowid;
SELECT * FROM tally;

-- name: trigger_recursive_replace_and_fibonacci
-- pragma: recursive_triggers = ON
-- setup:
CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);
CREATE TABLE log(what TEXT, k TEXT);
INSERT INTO kv VALUES ('a', 1), ('b', 2);
CREATE TRIGGER kv_del AFTER DELETE ON kv BEGIN INSERT INTO log VALUES ('del', old.k); END;
CREATE TRIGGER kv_ins BEFORE INSERT ON kv BEGIN INSERT INTO log VALUES ('ins', new.k); END;
CREATE TABLE fib(i INTEGER PRIMARY KEY, a INTEGER, b INTEGER);
CREATE TRIGGER fib_next AFTER INSERT ON fib WHEN new.i < 30 BEGIN
  INSERT INTO fib VALUES (new.i + 1, new.b, new.a + new.b);
END;
-- statements:
REPLACE INTO kv VALUES ('a', 10);
INSERT OR REPLACE INTO kv VALUES ('b', 20), ('c', 30);
INSERT INTO fib VALUES (1, 0, 1);
SELECT * FROM log ORDER BY rowid;
SELECT max(i), max(b) FROM fib;

-- name: trigger_ddl_without_rowid_views_set_default
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE w(k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE hist(k, old, new);
-- statements:
CREATE TRIGGER w_upd AFTER UPDATE OF n ON w FOR EACH ROW WHEN old.n IS NOT new.n BEGIN INSERT INTO hist VALUES (new.k, old.n, new.n); END;
CREATE TRIGGER IF NOT EXISTS w_upd AFTER DELETE ON w BEGIN SELECT 1; END;
CREATE TRIGGER w_upd AFTER DELETE ON w BEGIN SELECT 1; END;
CREATE VIEW vw AS SELECT k, n FROM w;
CREATE TRIGGER vw_upd INSTEAD OF UPDATE ON vw BEGIN UPDATE w SET n = new.n WHERE k = old.k; END;
INSERT INTO w VALUES ('a', 1), ('b', 2);
UPDATE vw SET n = n + 1 WHERE k = 'a';
UPDATE w SET n = n;
UPDATE w SET k = k || '!';
SELECT * FROM hist ORDER BY rowid;
SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name;
DROP VIEW vw;
DROP TABLE w;
SELECT type, name FROM sqlite_schema ORDER BY name;
CREATE TABLE child(x INTEGER REFERENCES t(id) ON DELETE SET DEFAULT DEFAULT 0);
INSERT INTO t VALUES (0, 'zero'), (1, 'one');
INSERT INTO child VALUES (1), (1), (0);
DELETE FROM t WHERE id = 1;
SELECT * FROM child;
DELETE FROM t WHERE id = 0;
