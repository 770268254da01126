-- Foreign keys (with PRAGMA foreign_keys = ON on both sides): FkCounter, FkIfZero,
-- and ON DELETE/UPDATE actions run as sub-programs.

-- name: fk_immediate
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE artist(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE track(id INTEGER PRIMARY KEY, title TEXT, artist_id INTEGER REFERENCES artist(id));
INSERT INTO artist VALUES (1, 'Nina'), (2, 'Miles'), (3, 'Ella');
INSERT INTO track VALUES (10, 'Sinnerman', 1), (11, 'So What', 2), (12, 'Loose', NULL);
-- statements:
INSERT INTO track VALUES (13, 'Nowhere', 9);
INSERT INTO track VALUES (13, 'Summertime', 3);
INSERT INTO track VALUES (14, 'a', 1), (15, 'b', 7);
UPDATE track SET artist_id = 5 WHERE id = 10;
UPDATE track SET artist_id = 3 WHERE id = 10;
DELETE FROM artist WHERE id = 2;
DELETE FROM artist WHERE id = 1;
UPDATE artist SET id = 20 WHERE id = 2;
UPDATE artist SET name = 'Miles D.' WHERE id = 2;
DELETE FROM track WHERE artist_id = 2;
DELETE FROM artist WHERE id = 2;
SELECT * FROM track ORDER BY id;
SELECT * FROM artist ORDER BY id;

-- name: fk_cascade_set_null_set_default
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE dept(code TEXT PRIMARY KEY, name TEXT);
CREATE TABLE emp(id INTEGER PRIMARY KEY, dept TEXT REFERENCES dept(code) ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE desk(id INTEGER PRIMARY KEY, dept TEXT REFERENCES dept(code) ON DELETE SET NULL ON UPDATE SET NULL);
CREATE TABLE badge(id INTEGER PRIMARY KEY, dept TEXT DEFAULT 'hq' REFERENCES dept(code) ON DELETE SET DEFAULT);
CREATE INDEX emp_dept ON emp(dept);
INSERT INTO dept VALUES ('hq', 'Head office'), ('rd', 'Research'), ('ops', 'Operations');
INSERT INTO emp VALUES (1, 'rd'), (2, 'rd'), (3, 'ops'), (4, 'hq');
INSERT INTO desk VALUES (1, 'rd'), (2, 'ops'), (3, NULL);
INSERT INTO badge VALUES (1, 'rd'), (2, 'ops'), (3, 'hq');
-- statements:
UPDATE dept SET code = 'lab' WHERE code = 'rd';
SELECT * FROM emp ORDER BY id;
SELECT * FROM desk ORDER BY id;
DELETE FROM dept WHERE code = 'ops';
SELECT * FROM emp ORDER BY id;
SELECT * FROM desk ORDER BY id;
SELECT * FROM badge ORDER BY id;
DELETE FROM dept WHERE code = 'hq';
DELETE FROM dept;
SELECT count(*) FROM emp;

-- name: fk_restrict_and_no_action
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE p(id INTEGER PRIMARY KEY, v);
CREATE TABLE c1(x REFERENCES p(id) ON DELETE RESTRICT ON UPDATE RESTRICT);
CREATE TABLE c2(y REFERENCES p(id));
INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c');
INSERT INTO c1 VALUES (1);
INSERT INTO c2 VALUES (2);
-- statements:
DELETE FROM p WHERE id = 1;
UPDATE p SET id = 10 WHERE id = 1;
DELETE FROM p WHERE id = 2;
DELETE FROM p WHERE id = 3;
UPDATE p SET v = 'z';
SELECT * FROM p ORDER BY id;

-- name: fk_deferred_in_autocommit
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE node(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id) DEFERRABLE INITIALLY DEFERRED);
INSERT INTO node VALUES (1, NULL), (2, 1);
-- statements:
INSERT INTO node VALUES (3, 4);
INSERT INTO node VALUES (3, 4), (4, 1);
DELETE FROM node WHERE id = 1;
UPDATE node SET id = 10 WHERE id = 1;
SELECT * FROM node ORDER BY id;

-- name: fk_composite_and_self
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE place(country TEXT, city TEXT, PRIMARY KEY (country, city));
CREATE TABLE visit(who TEXT, country TEXT, city TEXT,
  FOREIGN KEY (country, city) REFERENCES place(country, city) ON UPDATE CASCADE ON DELETE CASCADE);
CREATE TABLE boss(id INTEGER PRIMARY KEY, reports_to INTEGER REFERENCES boss(id) ON DELETE CASCADE);
INSERT INTO place VALUES ('fr', 'paris'), ('fr', 'lyon'), ('it', 'rome');
INSERT INTO visit VALUES ('ann', 'fr', 'paris'), ('bob', 'it', 'rome'), ('cy', 'fr', 'lyon');
INSERT INTO boss VALUES (1, NULL), (2, 1), (3, 2), (4, 1), (5, NULL);
-- statements:
INSERT INTO visit VALUES ('dee', 'es', 'madrid');
INSERT INTO visit VALUES ('dee', 'fr', NULL);
UPDATE place SET city = 'Paris' WHERE city = 'paris';
DELETE FROM place WHERE country = 'it';
SELECT * FROM visit ORDER BY who;
DELETE FROM boss WHERE id = 2;
SELECT * FROM boss ORDER BY id;
INSERT INTO boss VALUES (6, 6);
INSERT INTO boss VALUES (7, 8);
DELETE FROM boss WHERE id = 1;
SELECT * FROM boss ORDER BY id;

-- name: fk_with_triggers
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE owner(id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE pet(id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owner(id) ON DELETE CASCADE, name TEXT);
CREATE TABLE farewell(name TEXT);
CREATE TRIGGER pet_gone AFTER DELETE ON pet BEGIN INSERT INTO farewell VALUES (old.name); END;
INSERT INTO owner VALUES (1, 'ann'), (2, 'bob');
INSERT INTO pet VALUES (1, 1, 'rex'), (2, 1, 'tom'), (3, 2, 'kit');
-- statements:
DELETE FROM owner WHERE id = 1;
SELECT * FROM farewell ORDER BY name;
INSERT INTO pet VALUES (4, 3, 'nobody');
REPLACE INTO owner VALUES (2, 'robert');
SELECT * FROM pet ORDER BY id;
SELECT * FROM farewell ORDER BY name;

-- name: fk_drop_and_replace
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE maker(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE car(id INTEGER PRIMARY KEY, maker TEXT REFERENCES maker(name) ON UPDATE CASCADE);
CREATE TABLE spare(id INTEGER PRIMARY KEY, maker INTEGER REFERENCES maker(id));
INSERT INTO maker VALUES (1, 'fiat'), (2, 'saab'), (3, 'volvo');
INSERT INTO car VALUES (1, 'fiat'), (2, 'saab');
INSERT INTO spare VALUES (1, 3);
-- statements:
REPLACE INTO maker VALUES (1, 'FIAT');
REPLACE INTO maker VALUES (4, 'fiat');
UPDATE maker SET name = 'SAAB' WHERE id = 2;
SELECT * FROM car ORDER BY id;
DROP TABLE spare;
DROP TABLE maker;
DELETE FROM car;
DROP TABLE maker;
SELECT name FROM sqlite_schema ORDER BY name;

-- name: fk_actions_called_twice_by_replace
-- pragma: foreign_keys = ON
-- setup:
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE child(id INTEGER PRIMARY KEY,
                   owner INTEGER REFERENCES parent(id) ON DELETE CASCADE,
                   keeper TEXT REFERENCES parent(name) ON DELETE SET NULL);
CREATE TABLE grandchild(id INTEGER PRIMARY KEY, child INTEGER REFERENCES child(id) ON DELETE CASCADE);
CREATE TABLE log(what TEXT, a, b);
CREATE TRIGGER parent_log AFTER INSERT ON parent BEGIN INSERT INTO log VALUES ('parent+', new.id, new.name); END;
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2'), (21, 'p21');
INSERT INTO child VALUES (1, 1, 'p2'), (2, 2, 'p1'), (3, 21, 'p1');
INSERT INTO grandchild VALUES (1, 1), (2, 2), (3, 3);
-- statements:
UPDATE parent SET id = id + 20 WHERE id = 1;
REPLACE INTO parent VALUES (1, 'p1');
SELECT * FROM log ORDER BY rowid;
SELECT * FROM child ORDER BY id;
SELECT * FROM grandchild ORDER BY id;
REPLACE INTO parent VALUES (2, 'p21');
SELECT * FROM child ORDER BY id;
SELECT * FROM grandchild ORDER BY id;
SELECT * FROM log ORDER BY rowid;

-- name: fk_actions_and_delete_triggers_called_twice_by_replace
-- pragma: foreign_keys = ON
-- pragma: recursive_triggers = ON
-- setup:
CREATE TABLE parent(id INTEGER PRIMARY KEY, name TEXT UNIQUE, up INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE child(id INTEGER PRIMARY KEY,
                   owner INTEGER REFERENCES parent(id) ON DELETE CASCADE ON UPDATE CASCADE,
                   keeper TEXT REFERENCES parent(name) ON DELETE SET NULL);
CREATE TABLE log(what TEXT, a, b);
CREATE TRIGGER parent_log AFTER INSERT ON parent BEGIN INSERT INTO log VALUES ('parent+', new.id, new.name); END;
CREATE TRIGGER parent_gone AFTER DELETE ON parent BEGIN INSERT INTO log VALUES ('parent-', old.id, old.name); END;
CREATE TRIGGER child_gone AFTER DELETE ON child BEGIN INSERT INTO log VALUES ('child-', old.id, old.owner); END;
INSERT INTO parent VALUES (1, 'p1', NULL), (2, 'p2', 1);
INSERT INTO child VALUES (1, 1, 'p2'), (2, 2, 'p1');
-- statements:
UPDATE parent SET id = id + 20 WHERE id = 1;
REPLACE INTO parent VALUES (1, 'p1', NULL);
REPLACE INTO parent VALUES (1, 'p2', 1);
SELECT * FROM log ORDER BY rowid;
SELECT * FROM child ORDER BY id;
SELECT * FROM parent ORDER BY id;
