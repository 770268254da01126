-- Differential corpus: SQL functions, CAST, LIKE and GLOB, CASE, IN lists, printf.
-- Each statement is compiled by real SQLite, run by it and by the VM, and the rows
-- compared value by value, types included. A statement ends with ';' at a line end.

-- abs, sign, round
SELECT abs(-5), abs(5), abs(-2.5), abs(NULL), abs('-3'), abs('x'), abs(-9223372036854775807);
SELECT sign(-3), sign(0), sign(4.5), sign(NULL), sign('-2'), sign('abc');
SELECT round(2.5), round(-2.5), round(3.14159, 2), round(1234.5678, -2), round(NULL), round('2.7');
SELECT round(0.5), round(1.5), round(2.675, 2), round(1e20), round(-0.4), round(5, 1);
-- length, upper, lower, hex, unicode, char
SELECT length('hello'), length(''), length(NULL), length(12345), length(1.5), length(x'00ff00');
SELECT length('héllo'), upper('héllo'), lower('HÉLLO'), upper(NULL), lower(42);
SELECT hex('abc'), hex(x'00ff'), hex(12), hex(1.5), hex(NULL), hex('');
SELECT unicode('A'), unicode('é'), unicode(''), unicode(NULL), char(72, 105), char(233, 0x20ac), char();
-- substr
SELECT substr('hello', 2), substr('hello', 2, 3), substr('hello', -3), substr('hello', -3, 2);
SELECT substr('hello', 0), substr('hello', 0, 2), substr('hello', 10), substr('hello', 2, -1);
SELECT substr('hello', -10, 3), substr(NULL, 1), substr('abc', NULL), substr(x'0102030405', 2, 2);
SELECT substr(12345, 2, 2), substr('héllo', 2, 2), substring('hello', 3);
-- replace, trim
SELECT replace('hello world', 'o', '0'), replace('aaa', 'a', 'bb'), replace('abc', '', 'x');
SELECT replace(NULL, 'a', 'b'), replace('abc', 'b', NULL), replace(12321, 2, 9);
SELECT trim('  hi  '), ltrim('  hi  '), rtrim('  hi  '), trim('xxhixx', 'x'), ltrim('abcba', 'ab');
SELECT rtrim('abcba', 'ab'), trim(NULL), trim(''), trim('  '), '[' || trim(' a b ') || ']';
-- instr
SELECT instr('hello', 'l'), instr('hello', 'z'), instr('hello', ''), instr(NULL, 'a'), instr('abc', NULL);
SELECT instr(x'010203', x'02'), instr(12345, 34), instr('héllo', 'l');
-- quote, typeof
SELECT quote('it''s'), quote(12), quote(1.5), quote(NULL), quote(x'0aff'), quote(1e100);
SELECT typeof(NULL), typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(1 + 1.0);
SELECT typeof(9223372036854775807 + 1), typeof('5' + 0), typeof('5.0' + 0), typeof(CAST('7' AS INTEGER));
-- coalesce, ifnull, nullif, iif
SELECT coalesce(NULL, NULL, 3), coalesce(NULL, NULL), coalesce(1, 2), coalesce(NULL, 'a', 'b');
SELECT ifnull(NULL, 5), ifnull(4, 5), ifnull(NULL, NULL), nullif(1, 1), nullif(1, 2), nullif(NULL, 1);
SELECT iif(1, 'yes', 'no'), iif(0, 'yes', 'no'), iif(NULL, 'yes', 'no'), iif('a' = 'a', 1, 2);
-- min, max (scalar)
SELECT max(1, 2, 3), min(1, 2, 3), max(1, NULL, 3), min('a', 'B', 'c'), max(1, 'a', x'00');
SELECT max(1.5, 2), min(2, 1.5), max('abc', 'ABD'), min('b' COLLATE NOCASE, 'A');
-- zeroblob, sign
SELECT zeroblob(3), length(zeroblob(10)), typeof(zeroblob(0)), hex(zeroblob(2)), zeroblob(-1);
-- printf / format
SELECT printf('%d', 42), printf('%5d|', 42), printf('%-5d|', 42), printf('%05d', 42), printf('%x', 255);
SELECT printf('%s and %s', 'this', 'that'), printf('%10s|', 'right'), printf('%-10s|', 'left');
SELECT printf('%.2f', 3.14159), printf('%e', 12345.678), printf('%g', 0.0001), printf('%g', 1e20);
SELECT printf('%q', 'it''s'), printf('%Q', 'x'), printf('%Q', NULL), printf('%%'), printf('%c', 'abc');
SELECT printf('%d', '12abc'), printf('%d', 3.9), printf('%s', NULL), printf('%.3s', 'abcdef'), printf('%5.1f', 2.25);
SELECT format('%d-%d', 1, 2), printf(NULL), printf('%o', 8), printf('%X', 48879), printf('%+d', 5);
SELECT printf('%,d', 1234567), printf('%.0f', 2.5), printf('%10.3e', 0.000123), printf('%i', -3);
-- like, glob
SELECT 'abc' LIKE 'a%', 'abc' LIKE 'A_C', 'abc' LIKE 'b%', 'ABC' LIKE 'abc', 'a%c' LIKE 'a\%c' ESCAPE '\';
SELECT 'abc' NOT LIKE 'a%', NULL LIKE 'a', 'a' LIKE NULL, 123 LIKE '1%', 'é' LIKE 'É';
SELECT like('a%', 'abc'), like('x%', 'abc'), like('a!%', 'a%', '!'), 'hello' LIKE '%LL%';
SELECT 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'abc' GLOB 'a?c', 'abc' GLOB '[a-c]bc', 'xbc' GLOB '[^a-c]bc';
SELECT glob('*.txt', 'file.txt'), glob('*.txt', 'file.TXT'), 'a[b' GLOB 'a[[]b', NULL GLOB '*';
-- CAST
SELECT CAST('12' AS INTEGER), CAST('12.7' AS INTEGER), CAST('abc' AS INTEGER), CAST(12.7 AS INTEGER);
SELECT CAST(-12.7 AS INTEGER), CAST('1e3' AS INTEGER), CAST(1e30 AS INTEGER), CAST(-1e30 AS INTEGER);
SELECT CAST('12' AS REAL), CAST(3 AS REAL), CAST('x' AS REAL), CAST('1e3' AS REAL), CAST(NULL AS REAL);
SELECT CAST(12 AS TEXT), CAST(1.5 AS TEXT), CAST(0.1 + 0.2 AS TEXT), CAST(1e100 AS TEXT), CAST(x'4142' AS TEXT);
SELECT CAST('12' AS NUMERIC), CAST('12.0' AS NUMERIC), CAST('1.5' AS NUMERIC), CAST('abc' AS NUMERIC);
SELECT CAST('  7  ' AS NUMERIC), CAST('3.0abc' AS NUMERIC), CAST(x'3132' AS NUMERIC), CAST(4.0 AS NUMERIC);
SELECT CAST('abc' AS BLOB), CAST(12 AS BLOB), typeof(CAST(12 AS BLOB)), CAST(NULL AS TEXT);
SELECT CAST('9223372036854775808' AS INTEGER), CAST('-9223372036854775809' AS INTEGER), CAST(' 0x10' AS INTEGER);
SELECT CAST(1 AS VARCHAR(10)), CAST('5' AS INT), CAST('5.5' AS FLOAT), CAST('x' AS whatever);
-- CASE
SELECT CASE 1 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'other' END, CASE 3 WHEN 1 THEN 'a' END;
SELECT CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END, CASE WHEN NULL THEN 1 ELSE 0 END;
SELECT CASE NULL WHEN NULL THEN 'null matched' ELSE 'no match' END, CASE 'a' WHEN 'A' THEN 1 ELSE 2 END;
SELECT CASE 1.0 WHEN 1 THEN 'equal' ELSE 'not' END, CASE '1' WHEN 1 THEN 'equal' ELSE 'not' END;
-- IN lists
SELECT 1 IN (1, 2), 3 IN (1, 2), NULL IN (1, 2), 1 IN (NULL, 1), 3 IN (NULL, 1);
SELECT 'a' IN ('a', 'b'), 'c' NOT IN ('a', 'b'), 2 NOT IN (1, NULL), 1 IN ();
SELECT 1 IN (1, 2, 3, 4), 5 IN (1, 2, 3, 4), NULL IN (1, 2, 3), 2.0 IN (1, 2, 3);
SELECT 'b' IN ('a', 'b', 'c', 'd'), 'x' NOT IN ('a', 'b', 'c'), 3 NOT IN (1, 2, NULL, 4);
-- NULL logic
SELECT NULL AND 0, NULL AND 1, NULL OR 1, NULL OR 0, NOT NULL, NULL = NULL, NULL <> NULL;
SELECT NULL IS NULL, NULL IS NOT NULL, 1 IS NULL, 1 IS NOT 1, NULL IS 1, 1 ISNULL, NULL NOTNULL;
SELECT 1 AND 'x', 'x' OR 0, '1' AND 1, 0.5 AND 1, NOT 'abc', NOT 0.0, NOT -1;
SELECT 1 IS TRUE, 0 IS FALSE, NULL IS TRUE, NULL IS NOT FALSE, 'abc' IS TRUE, 2 IS NOT TRUE;
SELECT 1 BETWEEN 0 AND 2, 5 BETWEEN 0 AND 2, NULL BETWEEN 0 AND 2, 'b' BETWEEN 'a' AND 'c', 1 NOT BETWEEN 2 AND 3;
-- overflow and division
SELECT 9223372036854775807 + 1, -9223372036854775808 - 1, 9223372036854775807 * 2, 4611686018427387904 * 2;
SELECT -9223372036854775808 / -1, -9223372036854775808 % -1, 5 / 0, 5 % 0, 5.0 / 0, 5 / 0.0;
SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3, 7.5 % 2, -7.5 % 2, 2 / 4.0;
SELECT 1e308 * 10, -1e308 * 10, 1e308 * 10 - 1e308 * 10, 9223372036854775807 + 1.0, 0.1 + 0.2;
SELECT 9223372036854775807 - -1, abs(-9223372036854775808 + 1), -(-9223372036854775807), 1 - -1;
SELECT 9223372036854775808, -9223372036854775808, 18446744073709551616, 1e400, -1e400;
-- bit operations
SELECT 5 & 3, 5 | 3, ~5, 1 << 3, 16 >> 2, -16 >> 2, 1 << 63, 1 << 64, -1 >> 70, 1 << -2, 8 >> -1;
SELECT ~0, ~-1, 255 & -256, NULL & 1, 1 | NULL, ~NULL, 3.7 & 1, '12' | 1, 2 << 62, -1 << 63;
-- number to text and back
SELECT 0.1 + 0.2 || '', 1.0 || '', 1e15 || '', 1e16 || '', 123456789012345678.0 || '', 1.5e-7 || '';
SELECT 100.0, 1e100, -0.0, 3.0e-5, 12345678901234567890.0, 0.30000000000000004, 2.0 / 3;
SELECT '10' + 5, '1.5' * 2, ' 3 ' + 0, '0x10' + 0, '1e2' + 0, '-' + 1, '.5' + 0, '5.' + 0;
SELECT '9223372036854775807' + 0, '9223372036854775808' + 0, '-9223372036854775808' + 0, 'inf' + 0;
-- comparisons with affinity and collation
SELECT 1 < '1', 1 = '1', '1' = 1, 1.0 = 1, 'a' < 'b', 'a' < 'B', x'01' > 'z', NULL < 1;
SELECT 'abc' = 'ABC' COLLATE NOCASE, 'abc ' = 'abc' COLLATE RTRIM, 'a' COLLATE NOCASE < 'B', 'b' < 'A' COLLATE BINARY;
SELECT 2 > 1.5, 1.5 > 2, 9007199254740993 > 9007199254740992.0, 9007199254740993 = 9007199254740992.0;
SELECT (1, 2) = (1, 2), (1, 2) < (1, 3), (1, NULL) = (1, 2), (2, 'a') > (1, 'b');
-- strings
SELECT 'a' || 'b' || 'c', 'x' || NULL, 1 || 2, 1.5 || 'x', x'41' || x'42', '' || '';
SELECT upper('ß'), lower('ÀÉÎ'), length('日本語'), substr('日本語', 2, 1), hex('é');
-- aggregates without tables
SELECT count(*), count(1), count(NULL), sum(1), total(1), avg(2), min(3), max(4);
SELECT sum(NULL), total(NULL), avg(NULL), group_concat('a'), group_concat('a', '-'), group_concat(NULL);
SELECT count(*), sum(1), total(1), avg(1), max(1), group_concat(1) WHERE 0;
-- math and misc functions
SELECT abs(-0.0), round(-0.0), 10 % 3.0, max(NULL, NULL), coalesce(NULL, NULL), nullif('a', 'A');
SELECT likely(1), unlikely(0), likelihood(1, 0.5), typeof(likely(NULL));
SELECT length(printf('%.20f', 1.0 / 3)), printf('%.15g', 0.1), printf('%!.20g', 0.1);
SELECT quote(-0.0), quote(123456789012345678), quote('a' || char(10) || 'b'), quote(zeroblob(2));
SELECT sqlite_version() = sqlite_version(), typeof(sqlite_version());
SELECT trim(x'2020612020'), ltrim(12300, 1), rtrim(12300, 0), replace(x'414243', 'B', 'x');
SELECT instr('abcabc', 'c'), substr('abc', 2, 100), substr('abc', 4), substr('abc', 3, -2);
SELECT hex(char(0)), length(char(0, 65)), unicode(char(128512)), char(65) || char(66);
SELECT 'x' || printf('%5.2s|', 'abc'), printf('%-8.3f|', 3.14159), printf('%08.3f', -3.14159);
SELECT printf('%lld', 9223372036854775807), printf('%d', -9223372036854775808), printf('%u', -1);
SELECT printf('%s', 1.5), printf('%s', x'41'), printf('%d', NULL), printf('%f', 'abc'), printf('%5s|%-5s|', 1, 2);
SELECT round(123.456, 1), round(-123.456, 1), round(0.05, 1), round(2.5, 0), round(1e-5, 10);
SELECT CASE WHEN 1 THEN NULL ELSE 1 END, typeof(CASE WHEN 0 THEN 1 END), CASE 2 WHEN 1 THEN 1 WHEN 2 THEN 2.5 END;
SELECT iif(NULL IS NULL, 'a', 'b'), coalesce(NULL, 1.5, 'x'), ifnull(NULL, x'00'), nullif(x'00', x'00');
SELECT +'12', -'12', -'abc', +NULL, -NULL, - -5, -(1.5), -x'01';
SELECT 1 = 1 = 1, 2 = 2 = 2, 1 < 2 < 3, 3 > 2 > 1, (1 = 1) + (2 = 2);
SELECT 'abc' < 'abd', 'abc' < 'ab', '' < 'a', 'Z' < 'a', 'é' > 'z', x'00' < x'0000';
SELECT DISTINCT CAST(NULL AS INTEGER) * -85 * 50;
