-- Differential corpus: ANALYZE. It creates sqlite_stat1 and fills it with one row per
-- index ("rows avg-per-prefix ...") and one per table without a usable index; the
-- statistics must be SQLite's to the digit, and later plans are compiled from them.

-- name: analyze_indexes
-- setup:
CREATE TABLE emp(id INTEGER PRIMARY KEY, dept TEXT, role TEXT, salary INT, email TEXT UNIQUE);
CREATE INDEX emp_dept_role ON emp(dept, role);
CREATE INDEX emp_salary ON emp(salary) WHERE salary > 0;
CREATE TABLE plain(x, y);
CREATE TABLE kv(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE INDEX kv_v ON kv(v);
CREATE TABLE empty(a, b);
CREATE INDEX empty_a ON empty(a);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO emp(dept, role, salary, email)
  SELECT 'd' || (i % 7), 'r' || (i % 3), CASE WHEN i % 5 = 0 THEN 0 ELSE i * 10 END, 'e' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO plain SELECT i, i % 2 FROM n;
INSERT INTO kv VALUES ('a', 1), ('b', 1), ('c', 2), ('d', NULL), ('e', NULL);
-- statements:
ANALYZE;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
SELECT count(*) FROM emp WHERE dept = 'd3' AND role = 'r1';
INSERT INTO emp(dept, role, salary, email) VALUES ('d0', 'r0', 5, 'new');
ANALYZE emp;
SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = 'emp' ORDER BY idx;
DELETE FROM kv WHERE v IS NULL;
ANALYZE kv_v;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx;
ANALYZE main;
SELECT count(*), sum(length(stat)) FROM sqlite_stat1;
ANALYZE nosuch;
SELECT dept, count(*) FROM emp WHERE dept > 'd4' GROUP BY dept;

-- name: analyze_unique_and_duplicates
-- setup:
CREATE TABLE u(a, b, c);
CREATE INDEX u_abc ON u(a, b, c);
CREATE UNIQUE INDEX u_c ON u(c);
INSERT INTO u VALUES (1, 1, 1), (1, 1, 2), (1, 2, 3), (2, 2, 4), (2, 2, 5), (3, NULL, 6), (NULL, NULL, 7), (NULL, NULL, 8), (NULL, 1, 9), (4, 4, 10), (4, 4, 11);
-- statements:
ANALYZE;
SELECT idx, stat FROM sqlite_stat1 ORDER BY idx;
INSERT INTO u SELECT a, b, c + 100 FROM u;
ANALYZE u;
SELECT idx, stat FROM sqlite_stat1 ORDER BY idx;
DROP INDEX u_abc;
ANALYZE;
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY idx;
