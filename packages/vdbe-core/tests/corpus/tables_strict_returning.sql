-- STRICT tables (TypeCheck) and RETURNING (rows gathered in an ephemeral table, FkCheck).

-- name: strict_types
-- setup:
CREATE TABLE s(id INTEGER PRIMARY KEY, i INT, n INTEGER NOT NULL DEFAULT 0, r REAL, t TEXT, b BLOB, a ANY) STRICT;
INSERT INTO s VALUES (1, 1, 2, 3.5, 'x', x'01', 'any');
-- statements:
INSERT INTO s VALUES (2, '12', 3, 4, 'y', x'02', 5.5);
INSERT INTO s VALUES (3, 'twelve', 3, 4, 'y', x'02', 1);
INSERT INTO s VALUES (4, 1.5, 3, 4, 'y', x'02', 1);
INSERT INTO s VALUES (5, 1.0, 3, '4.25', 'y', x'02', 1);
INSERT INTO s VALUES (6, 1, 3, 'abc', 'y', x'02', 1);
INSERT INTO s VALUES (7, 1, 3, 4, 17, x'02', 1);
INSERT INTO s VALUES (8, 1, 3, 4, 'z', 'not a blob', 1);
INSERT INTO s VALUES (9, x'00', 3, 4, 'z', x'03', 1);
INSERT INTO s VALUES (10, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO s(id, i, r, t, b, a) VALUES (11, NULL, NULL, NULL, NULL, x'ff');
INSERT INTO s(id, r) VALUES (12, 9007199254740993), (13, 140737488355328), (14, -7);
UPDATE s SET i = i + 0.5 WHERE id = 1;
UPDATE s SET i = '7' WHERE id = 1;
UPDATE s SET t = t || 1, r = r * 2;
SELECT id, i, typeof(i), n, r, typeof(r), t, typeof(t), b, a, typeof(a) FROM s ORDER BY id;

-- name: strict_without_rowid_and_generated
-- setup:
CREATE TABLE w(k TEXT PRIMARY KEY, v INTEGER, twice INTEGER AS (v * 2) STORED, half REAL AS (v / 2.0)) STRICT, WITHOUT ROWID;
INSERT INTO w(k, v) VALUES ('a', 1);
-- statements:
INSERT INTO w(k, v) VALUES ('b', '22');
INSERT INTO w(k, v) VALUES ('c', 'x');
INSERT INTO w(k, v) VALUES (5, 5);
UPDATE w SET v = v + 1;
SELECT * FROM w ORDER BY k;

-- name: returning_rows
-- setup:
CREATE TABLE r(id INTEGER PRIMARY KEY, name TEXT UNIQUE, score INTEGER DEFAULT 10);
INSERT INTO r VALUES (1, 'ann', 5), (2, 'bob', 7);
-- statements:
INSERT INTO r(name) VALUES ('cy') RETURNING id, name, score;
INSERT INTO r(name, score) VALUES ('dee', 1), ('eve', 2) RETURNING *, score * 100 AS big;
INSERT INTO r(name) VALUES ('ann') RETURNING id;
UPDATE r SET score = score + 1 WHERE score < 6 RETURNING name, score;
UPDATE r SET name = upper(name) RETURNING rowid, name;
DELETE FROM r WHERE id > 3 RETURNING name, score;
DELETE FROM r WHERE id = 99 RETURNING *;
INSERT INTO r VALUES (1, 'ANN', 50) ON CONFLICT(id) DO UPDATE SET score = excluded.score + score RETURNING id, name, score;
INSERT INTO r VALUES (7, 'BOB', 1) ON CONFLICT(name) DO NOTHING RETURNING id;
INSERT OR REPLACE INTO r VALUES (2, 'bobby', 70) RETURNING *;
SELECT * FROM r ORDER BY id;

-- name: returning_with_triggers_and_keys
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE team(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE player(id INTEGER PRIMARY KEY, team INTEGER REFERENCES team(id), name TEXT);
CREATE TABLE history(what TEXT);
CREATE TRIGGER player_ins AFTER INSERT ON player BEGIN INSERT INTO history VALUES ('joined ' || new.name); END;
INSERT INTO team VALUES (1, 'red'), (2, 'blue');
INSERT INTO player VALUES (1, 1, 'ann');
-- statements:
INSERT INTO player(team, name) VALUES (2, 'bob'), (1, 'cy') RETURNING id, name;
INSERT INTO player(team, name) VALUES (9, 'nobody') RETURNING id;
DELETE FROM team WHERE id = 2 RETURNING name;
UPDATE player SET team = 2 WHERE name = 'ann' RETURNING team;
SELECT * FROM history ORDER BY rowid;
SELECT * FROM player ORDER BY id;
