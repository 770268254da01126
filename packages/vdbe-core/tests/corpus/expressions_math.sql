-- Differential corpus: the math functions (SQLite built with ENABLE_MATH_FUNCTIONS), and
-- a few more expressions: nesting, subqueries in expressions, connection functions.
-- A statement ends with ';' at a line end.

SELECT sqrt(2), sqrt(0), sqrt(-1), sqrt(NULL), sqrt('16'), sqrt(x'31');
SELECT pow(2, 10), power(2, 0.5), pow(0, 0), pow(-8, 1.0 / 3), pow(NULL, 2), pow(10, -2);
SELECT exp(0), exp(1), ln(1), ln(0), ln(-1), log(100), log(2, 8), log10(1000), log2(1024);
SELECT sin(0), cos(0), tan(0), asin(1), acos(1), atan(1), atan2(1, 1), sinh(0), cosh(0), tanh(0);
SELECT ceil(1.2), ceiling(-1.2), floor(1.8), floor(-1.8), trunc(2.7), trunc(-2.7), ceil(5), floor('3.5');
SELECT pi(), degrees(pi()), radians(180), mod(7, 3), mod(-7, 3), mod(7.5, 2), mod(1, 0);
SELECT asinh(1), acosh(1), atanh(0), log(0), exp(1000), typeof(ceil(1)), typeof(ceil(1.5));
SELECT abs(round(-1.5)), upper(lower('MiXeD')), length(hex(zeroblob(4))), substr(upper('abc'), -1);
SELECT coalesce(nullif(1, 1), ifnull(NULL, iif(1, 'x', 'y'))), max(min(3, 4), 2), abs(-(-(-5)));
SELECT (SELECT 1), (SELECT 1 + (SELECT 2)), (SELECT NULL), (SELECT 'a' || 'b');
SELECT EXISTS (SELECT 1), NOT EXISTS (SELECT 1 WHERE 0), (SELECT 5 WHERE 0);
SELECT 1 WHERE 1;
SELECT 1 WHERE 0;
SELECT 1 WHERE NULL;
SELECT 'a' UNION ALL SELECT 'b';
SELECT 1, 2 UNION ALL SELECT 3, 4 UNION ALL SELECT NULL, 'x';
SELECT 2 + 3 * 4 - 10 / 3 % 2, (2 + 3) * 4, -2 * -3, 2 * -(3 + 4), 1 - 2 - 3, 2 - (2 - 3);
SELECT 1 + 2 * 3 || 4, (1 || 2) + 3, '3' * '4', '3' || '4' * 2, -'3' || 'x';
SELECT ((((((1 + 2) * 3) - 4) / 5) % 6) << 2) | 1, ~(1 << 10) & 0xFFFF, 0x7FFFFFFFFFFFFFFF + 0, -0x7FFFFFFFFFFFFFFF;
SELECT hex(-1), hex(-1.5), quote(-9223372036854775808), quote(0.1), quote(1e-300), quote(123e300);
SELECT 1e-300 * 1e-300, 4.9e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1 * 3;
SELECT 100000000000000000000, 12345678901234567890123, 1e15 + 0.3, 123456789.123456789, 1e-5;
SELECT CAST(1e15 AS TEXT), CAST(1e14 + 0.5 AS TEXT), CAST(-1.5e-10 AS TEXT), CAST(3.0 AS TEXT), CAST(1e21 AS TEXT);
SELECT printf('%.30f', 0.1), printf('%.17g', 0.1), printf('%20.10e|', -1234.5678), printf('%#x', 255);
SELECT printf('%s|%s|%s', 1, 2.5, 'x'), printf('%-6d|%6d', -42, -42), printf('%.2f%%', 99.5);
SELECT length(printf('%1000d', 1)), printf('%.*d', 5, 42), printf('%*d|', 6, 42), printf('%c%c', 'a', 'b');
SELECT instr('aaaa', 'aa'), replace('aaaa', 'aa', 'b'), substr('abcdef', 3, 0), substr('abcdef', 0, 0);
SELECT trim('  x  ', ' '), ltrim('xxyxz', 'xy'), rtrim('hello!!!', '!'), trim(123456, '16');
SELECT 'A' = 'a', 'A' < 'a', 'a' COLLATE NOCASE = 'A', 'abc' COLLATE RTRIM = 'abc  ', x'41' = 'A';
SELECT 1 IN (SELECT 1), 2 IN (SELECT 1 UNION SELECT 2), 3 NOT IN (SELECT 1), NULL IN (SELECT 1);
SELECT group_concat(x, ':') FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3);
SELECT sum(x), avg(x), total(x), min(x), max(x), count(x) FROM (SELECT 1 AS x UNION ALL SELECT 2.5 UNION ALL SELECT NULL);
SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1);
SELECT abs(-9223372036854775808);
SELECT 'no error' WHERE 0 AND abs(-9223372036854775808);
