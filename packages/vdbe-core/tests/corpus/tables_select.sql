-- Differential corpus: read-only statements over tables.
-- Each case is a setup script (run by real sqlite3) and statements, each compiled by real
-- SQLite's EXPLAIN and run both by sqlite3 and by the VM on copies of the same file.
-- A statement ends with a line that ends in ';'. Lines starting with '--' are comments.

-- name: scans
-- setup:
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB, e);
CREATE INDEX t_b ON t(b);
CREATE INDEX t_ce ON t(c DESC, e);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
INSERT INTO t SELECT i * 3, 'name' || (i % 37), i / 7.0, CAST('b' || i AS BLOB),
  CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN i WHEN 2 THEN 'txt' || i WHEN 3 THEN i * 0.5 ELSE x'41' END
FROM n;
-- statements:
SELECT * FROM t;
SELECT a, e, typeof(e) FROM t;
SELECT count(*) FROM t;
SELECT count(e), count(DISTINCT b) FROM t;
SELECT * FROM t WHERE a = 30;
SELECT * FROM t WHERE a = 31;
SELECT b FROM t WHERE a = '30';
SELECT b FROM t WHERE a = 30.0;
SELECT a, b FROM t WHERE a BETWEEN 100 AND 130;
SELECT a FROM t WHERE a > 1700;
SELECT a FROM t WHERE a >= 1790 ORDER BY a DESC;
SELECT a FROM t WHERE a < 10 ORDER BY a DESC;
SELECT a FROM t WHERE a > 'abc';
SELECT a FROM t WHERE a < 'abc' AND a > 1780;
SELECT a FROM t WHERE rowid IN (3, 6, 9, 10, 600);
SELECT a, b FROM t WHERE b = 'name5';
SELECT a, b, c FROM t WHERE b = 'name5' ORDER BY a DESC;
SELECT a, b FROM t WHERE b > 'name30' AND b < 'name33';
SELECT b, c FROM t WHERE b >= 'name35';
SELECT DISTINCT b FROM t WHERE b < 'name2';
SELECT a, c FROM t WHERE c > 80.5;
SELECT a, c, e FROM t WHERE c < 2 ORDER BY c;
SELECT a, c FROM t WHERE c BETWEEN 10 AND 11;
SELECT max(a), min(a) FROM t;
SELECT max(b), min(c) FROM t;
SELECT a FROM t WHERE e IS NULL LIMIT 5;
SELECT a, e FROM t WHERE e = 'txt12';
SELECT a, hex(d) FROM t WHERE d = CAST('b17' AS BLOB);
SELECT count(*) FROM t WHERE b LIKE 'name1%';

-- name: without_rowid
-- setup:
CREATE TABLE w(k TEXT PRIMARY KEY, v INT, note TEXT) WITHOUT ROWID;
CREATE TABLE w2(x INT, y TEXT, z, PRIMARY KEY (x, y)) WITHOUT ROWID;
CREATE INDEX w_v ON w(v);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO w SELECT printf('key%04d', i), i % 50, 'note ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO w2 SELECT i % 17, 'y' || i, i * 1.5 FROM n;
-- statements:
SELECT * FROM w;
SELECT * FROM w WHERE k = 'key0100';
SELECT * FROM w WHERE k = 'nope';
SELECT k, v FROM w WHERE k > 'key0390';
SELECT k FROM w WHERE k < 'key0005' ORDER BY k DESC;
SELECT k, note FROM w WHERE v = 7;
SELECT count(*), sum(v) FROM w;
SELECT * FROM w2 WHERE x = 3;
SELECT * FROM w2 WHERE x = 3 AND y = 'y20';
SELECT x, count(*) FROM w2 GROUP BY x;
SELECT * FROM w2 WHERE x > 15 ORDER BY y;

-- name: big_rows
-- setup:
CREATE TABLE big(id INTEGER PRIMARY KEY, body TEXT, data BLOB, tail INT);
INSERT INTO big VALUES (1, printf('%.*c', 12000, 'x'), zeroblob(15000), 1);
INSERT INTO big VALUES (2, printf('%.*c', 30000, 'y') || 'end', CAST(printf('%.*c', 20000, 'z') AS BLOB), 2);
INSERT INTO big VALUES (3, 'small', x'0102', 3);
INSERT INTO big VALUES (4, printf('%.*c', 70000, 'w'), NULL, 4);
CREATE INDEX big_body ON big(substr(body, 1, 5));
-- statements:
SELECT id, length(body), length(data), tail FROM big;
SELECT id, substr(body, -5), hex(substr(data, 1, 4)), tail FROM big WHERE id = 2;
SELECT id, body = printf('%.*c', 12000, 'x') FROM big;
SELECT id, tail FROM big WHERE length(body) > 20000 ORDER BY id DESC;
SELECT body, data FROM big WHERE id = 2;
SELECT max(length(body)) FROM big;

-- name: order_limit
-- setup:
CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, score REAL, grp INT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250)
INSERT INTO p SELECT i, CASE i % 3 WHEN 0 THEN 'Ann' || (i % 11) WHEN 1 THEN 'bob' || (i % 11) ELSE 'ANN' || (i % 11) END,
  (i * 37 % 101) / 4.0, i % 7 FROM n;
INSERT INTO p VALUES (300, NULL, NULL, NULL);
-- statements:
SELECT * FROM p ORDER BY score, id LIMIT 10;
SELECT * FROM p ORDER BY score DESC, id LIMIT 10 OFFSET 5;
SELECT name, id FROM p ORDER BY name, id LIMIT 20;
SELECT name, id FROM p ORDER BY name DESC, id DESC LIMIT 7;
SELECT id FROM p ORDER BY grp, score DESC, id LIMIT 12 OFFSET 30;
SELECT id, grp FROM p ORDER BY id DESC LIMIT 3;
SELECT id FROM p LIMIT 5 OFFSET 245;
SELECT id FROM p ORDER BY score LIMIT -1 OFFSET 245;
SELECT DISTINCT grp FROM p ORDER BY grp DESC;
SELECT DISTINCT name FROM p ORDER BY 1 LIMIT 8;
SELECT DISTINCT score > 10, grp FROM p ORDER BY 1, 2;
SELECT name COLLATE BINARY AS n FROM p GROUP BY n ORDER BY n LIMIT 10;
SELECT upper(name), count(*) FROM p GROUP BY name ORDER BY 1;

-- name: aggregates
-- setup:
CREATE TABLE s(k TEXT, i INT, r REAL, x);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
INSERT INTO s SELECT 'k' || (i % 9), i, i / 3.0, CASE WHEN i % 4 = 0 THEN NULL ELSE i % 13 END FROM n;
INSERT INTO s VALUES ('empty', NULL, NULL, NULL);
-- statements:
SELECT k, count(*), count(x), sum(i), total(r), avg(r), min(x), max(x) FROM s GROUP BY k;
SELECT k, group_concat(x) FROM s WHERE i < 40 GROUP BY k;
SELECT k, group_concat(i, '-') FROM s WHERE i < 60 GROUP BY k ORDER BY k DESC;
SELECT k, sum(i) FROM s GROUP BY k HAVING sum(i) > 5000;
SELECT k, avg(i) FROM s GROUP BY k HAVING count(x) < 25 ORDER BY avg(i);
SELECT x, count(*) FROM s GROUP BY x;
SELECT count(DISTINCT x), sum(DISTINCT x), avg(DISTINCT x) FROM s;
SELECT sum(i), avg(i), min(r), max(r), total(x), count(*) FROM s;
SELECT sum(x) FROM s WHERE k = 'empty';
SELECT total(x), avg(x), max(x) FROM s WHERE k = 'none';
SELECT k, max(i), r FROM s GROUP BY k;
SELECT i % 3 AS m, count(*) FROM s WHERE i IS NOT NULL GROUP BY m HAVING m > 0;

-- name: joins
-- setup:
CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT UNIQUE, floor INT);
CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, dept_id INT, salary INT);
CREATE INDEX emp_dept ON emp(dept_id);
CREATE TABLE tag(emp_id INT, label TEXT);
INSERT INTO dept VALUES (1, 'eng', 3), (2, 'ops', 1), (3, 'sales', 2), (4, 'empty', 9);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
INSERT INTO emp SELECT i, 'emp' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE i % 3 + 1 END, 1000 + i * 17 % 500 FROM n;
INSERT INTO tag SELECT id, 'senior' FROM emp WHERE salary > 1400;
INSERT INTO tag SELECT id, 'remote' FROM emp WHERE id % 7 = 0;
-- statements:
SELECT e.name, d.name FROM emp e JOIN dept d ON e.dept_id = d.id WHERE e.id < 20;
SELECT d.name, count(e.id), sum(e.salary) FROM dept d LEFT JOIN emp e ON e.dept_id = d.id GROUP BY d.id;
SELECT e.id, d.name FROM emp e LEFT JOIN dept d ON d.id = e.dept_id WHERE e.id % 10 = 0;
SELECT e.id, t.label FROM emp e LEFT JOIN tag t ON t.emp_id = e.id WHERE e.id < 30 ORDER BY e.id, t.label;
SELECT d.name, e.name, t.label FROM dept d JOIN emp e ON e.dept_id = d.id JOIN tag t ON t.emp_id = e.id ORDER BY 1, 2, 3;
SELECT a.id, b.id FROM emp a, emp b WHERE a.salary = b.salary AND a.id < b.id;
SELECT d.name FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept_id = d.id);
SELECT count(*) FROM emp e JOIN tag t ON t.emp_id = e.id;
SELECT e.name FROM emp e CROSS JOIN dept d WHERE d.name = 'ops' AND e.dept_id = d.id AND e.salary > 1300;

-- name: subqueries
-- setup:
CREATE TABLE a(x INTEGER PRIMARY KEY, y TEXT);
CREATE TABLE b(x INT, z TEXT);
CREATE INDEX b_x ON b(x);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80)
INSERT INTO a SELECT i, 'y' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80)
INSERT INTO b SELECT i * 2, 'z' || i FROM n WHERE i % 3 <> 0;
-- statements:
SELECT * FROM a WHERE x IN (1, 5, 9, 200);
SELECT * FROM a WHERE x IN (SELECT x FROM b) AND x < 30;
SELECT * FROM a WHERE x NOT IN (SELECT x FROM b) AND x > 60;
SELECT y FROM a WHERE y IN ('y3', 'y30', 'y300');
SELECT x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x + 1) ORDER BY x DESC LIMIT 5;
SELECT x, (SELECT z FROM b WHERE b.x = a.x) FROM a WHERE x < 15;
SELECT (SELECT count(*) FROM b), (SELECT max(y) FROM a);
SELECT x FROM a WHERE x > (SELECT avg(x) FROM b) LIMIT 4;
SELECT * FROM (SELECT x, y FROM a WHERE x % 2 = 0) WHERE x > 70;
SELECT x, y FROM a WHERE y IN (SELECT 'y' || (x / 2) FROM b) ORDER BY x LIMIT 6;

-- name: compound
-- setup:
CREATE TABLE c1(v);
CREATE TABLE c2(v);
INSERT INTO c1 VALUES (1), (2), (2), (3), ('a'), (NULL), (4.5), (x'ff');
INSERT INTO c2 VALUES (2), (3), (3), ('b'), (NULL), (5);
-- statements:
SELECT v FROM c1 UNION SELECT v FROM c2;
SELECT v FROM c1 UNION ALL SELECT v FROM c2;
SELECT v FROM c1 INTERSECT SELECT v FROM c2;
SELECT v FROM c1 EXCEPT SELECT v FROM c2;
SELECT v FROM c1 UNION SELECT v FROM c2 ORDER BY 1 DESC;
SELECT v FROM c1 EXCEPT SELECT v FROM c2 ORDER BY 1 LIMIT 2;
SELECT v, typeof(v) FROM c1 UNION ALL SELECT v, 'other' FROM c2 ORDER BY 2, 1;
SELECT count(*) FROM (SELECT v FROM c1 UNION SELECT v FROM c2);

-- name: ctes
-- setup:
CREATE TABLE edge(src INT, dst INT);
INSERT INTO edge VALUES (1, 2), (2, 3), (3, 4), (2, 5), (5, 6), (6, 3), (7, 8);
-- statements:
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50) SELECT sum(n), count(*) FROM c;
WITH RECURSIVE reach(n) AS (SELECT 1 UNION SELECT dst FROM edge JOIN reach ON src = n) SELECT n FROM reach ORDER BY n;
WITH RECURSIVE fib(a, b, i) AS (SELECT 0, 1, 1 UNION ALL SELECT b, a + b, i + 1 FROM fib WHERE i < 40) SELECT i, a FROM fib WHERE i > 35;
WITH big(s) AS (SELECT src FROM edge WHERE src > 2) SELECT s, count(*) FROM big GROUP BY s;
WITH q AS (SELECT src, dst FROM edge) SELECT q1.src, q2.dst FROM q q1 JOIN q q2 ON q1.dst = q2.src ORDER BY 1, 2;
WITH RECURSIVE cnt(x) AS (VALUES(1) UNION ALL SELECT x + 1 FROM cnt LIMIT 12) SELECT group_concat(x) FROM cnt;

-- name: windows
-- setup:
CREATE TABLE sales(id INTEGER PRIMARY KEY, region TEXT, month INT, amount REAL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 48)
INSERT INTO sales SELECT i, CASE i % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' ELSE 'west' END, (i - 1) / 3 + 1, (i * 29 % 17) * 10.5 FROM n;
-- statements:
SELECT id, row_number() OVER (ORDER BY amount, id) FROM sales;
SELECT region, month, sum(amount) OVER (PARTITION BY region ORDER BY month) FROM sales ORDER BY region, month;
SELECT id, avg(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM sales;
SELECT id, lag(amount) OVER (ORDER BY id), lead(amount, 2, -1) OVER (ORDER BY id) FROM sales;
SELECT region, id, first_value(id) OVER w, last_value(id) OVER w FROM sales WINDOW w AS (PARTITION BY region ORDER BY id) ORDER BY id;
SELECT id, ntile(4) OVER (ORDER BY id), percent_rank() OVER (ORDER BY month) FROM sales;
SELECT region, count(*) OVER (PARTITION BY region), max(amount) OVER (PARTITION BY region) FROM sales ORDER BY id LIMIT 6;
SELECT id, sum(amount) OVER (ORDER BY month RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM sales ORDER BY id;
SELECT id, group_concat(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM sales WHERE id < 10;
SELECT id, nth_value(amount, 3) OVER (ORDER BY id), cume_dist() OVER (ORDER BY region) FROM sales;
SELECT region, lag(id, 2, 0) OVER w, lead(id, 1) OVER w, nth_value(id, 2) OVER w FROM sales WINDOW w AS (PARTITION BY region ORDER BY amount DESC, id) ORDER BY id;
SELECT id, sum(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) FROM sales WHERE id < 12;
SELECT month, min(amount) OVER (ORDER BY month GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), max(amount) OVER (PARTITION BY region) FROM sales ORDER BY id;
SELECT region, sum(amount) FILTER (WHERE month > 5) OVER (PARTITION BY region) FROM sales ORDER BY id LIMIT 5;

-- name: freelist
-- setup:
CREATE TABLE f(id INTEGER PRIMARY KEY, pad TEXT);
CREATE INDEX f_pad ON f(pad);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO f SELECT i, printf('%.*c', 100 + i % 200, 'p') || i FROM n;
CREATE TABLE gone(x);
INSERT INTO gone SELECT pad FROM f;
DELETE FROM f WHERE id % 3 <> 0;
DROP TABLE gone;
-- statements:
SELECT count(*), sum(length(pad)) FROM f;
SELECT id FROM f WHERE pad = (SELECT pad FROM f WHERE id = 300);
INSERT INTO f SELECT id + 5000, pad || 'again' FROM f WHERE id < 900;
SELECT count(*), max(id) FROM f;
CREATE TABLE fresh AS SELECT id, pad FROM f WHERE id % 2 = 0;
SELECT count(*) FROM fresh;
DELETE FROM f WHERE id > 5000;
SELECT count(*) FROM f;

-- name: real_bounds
-- exercise: vdbe-seek
-- setup:
CREATE TABLE r(id INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE n(i) AS (SELECT -20 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO r SELECT i, 'v' || i FROM n;
-- statements:
SELECT id FROM r WHERE id > 10.5 AND id < 20.5;
SELECT id FROM r WHERE id <= 12.5 ORDER BY id DESC;
SELECT id FROM r WHERE id >= -3.5 AND id <= -0.5;
SELECT id FROM r WHERE id < -15.25 ORDER BY id DESC;
SELECT id FROM r WHERE id > 3.25 AND id < 6.0;
SELECT count(*) FROM r WHERE id > 1e300;
SELECT count(*) FROM r WHERE id < 1e300;
SELECT count(*) FROM r WHERE id > -1e300;
SELECT count(*) FROM r WHERE id <= -1e300;

-- name: multi_index
-- setup:
CREATE TABLE m(a INTEGER PRIMARY KEY, b TEXT, c REAL, d INT);
CREATE INDEX m_b ON m(b);
CREATE INDEX m_c ON m(c);
CREATE INDEX m_bd ON m(b, d);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO m SELECT i, 'b' || (i % 20), (i * 13 % 97) / 2.0, i % 7 FROM n;
ANALYZE;
-- statements:
SELECT a FROM m WHERE b = 'b3' OR c > 47 ORDER BY a;
SELECT a, d FROM m WHERE b IN ('b1', 'b2') AND d IN (1, 3) ORDER BY a;
SELECT a FROM m WHERE b = 'b5' AND d IN (0, 6);
SELECT count(*) FROM m WHERE b > 'b15' OR c < 2;
SELECT a FROM m WHERE b = 'b7' AND d > 2 AND d < 6 ORDER BY a DESC;
DELETE FROM m WHERE b = 'b4' OR c > 48;
SELECT count(*), sum(a) FROM m;
UPDATE m SET d = d + 10 WHERE b IN ('b8', 'b9') AND d IN (2, 4);
SELECT d, count(*) FROM m GROUP BY d;

-- name: window_rank
-- exercise: vdbe-window-rank
-- setup:
CREATE TABLE score(id INTEGER PRIMARY KEY, team TEXT, points INT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO score SELECT i, CASE i % 3 WHEN 0 THEN 'red' WHEN 1 THEN 'blue' ELSE 'green' END, (i * 7) % 9 FROM n;
-- statements:
SELECT id, rank() OVER (ORDER BY points), dense_rank() OVER (ORDER BY points) FROM score ORDER BY id;
SELECT team, id, rank() OVER w, dense_rank() OVER w FROM score WINDOW w AS (PARTITION BY team ORDER BY points DESC) ORDER BY team, id;
SELECT points, rank() OVER (ORDER BY points DESC) FROM score GROUP BY points;
SELECT id, rank() OVER () FROM score WHERE id < 4;

-- name: distinct_nulls
-- setup:
CREATE TABLE dn(a, b INTEGER);
INSERT INTO dn VALUES (NULL, 1), (NULL, 2), (1, NULL), (1, NULL), (NULL, NULL), ('x', 3);
CREATE INDEX dn_a ON dn(a);
-- statements:
SELECT DISTINCT a FROM dn WHERE a IS NULL;
SELECT DISTINCT b FROM dn WHERE b IS NULL;
SELECT DISTINCT a, b FROM dn ORDER BY 1, 2;
SELECT DISTINCT a FROM dn ORDER BY a;
SELECT DISTINCT CAST(NULL AS INTEGER) * -85 * 50 FROM dn;
