-- Differential corpus: what SQLite's releases after 3.40 changed or added in expressions
-- and functions. Each statement is compiled and run by the SQLite that compiles (3.40
-- by default, a newer one in the sqlite-* tox environments: see vdbe.sqlite_library)
-- and run by the VM; rows, types and error messages must match. Under a release that
-- lacks a function both sides say 'no such function'. A statement ends with ';'.

-- 3.41: unhex()
SELECT unhex('414243'), unhex('41 42', ' '), unhex('zz'), unhex(NULL), unhex('4'), unhex('41-42', '-');
SELECT unhex('00ff', ''), unhex('0 0'), unhex(' 00', ' '), unhex('00 ', ' '), unhex('0g'), unhex(''), unhex(x'3431'), unhex(4142), unhex('aé', 'é'), unhex('4é1', 'é');
-- 3.43: octet_length() and timediff()
SELECT octet_length('héllo'), octet_length(x'0102'), octet_length(NULL), octet_length(12), octet_length(1.5);
SELECT timediff('2023-06-01', '2023-01-01'), timediff('2023-01-01', '2023-06-01 12:30:45.5'), timediff('2024-02-29', '2023-02-28');
SELECT timediff(NULL, '2020-01-01'), timediff('x', 'y'), timediff(2460000.5, 2450000.5);
SELECT timediff('2024-03-31', '2024-02-29'), timediff('2024-02-29', '2024-03-31'), timediff('2023-03-31', '2023-01-31 10:00'), timediff('2000-01-01', '2000-01-01');
SELECT timediff('2024-01-31', '2023-12-31 23:59:59.999'), timediff(0, 1), timediff('2020-02-29', '2021-02-28');
SELECT timediff('2023-01-01', 'xyz'), timediff(NULL, NULL), timediff('1999-12-31 12:00', '2023-06-15 18:30:15.25');
SELECT octet_length(''), octet_length(x''), octet_length('a' || char(0) || 'b'), octet_length(-0.0), octet_length(1e100), octet_length(9223372036854775807);
-- 3.44: concat(), concat_ws(), string_agg(), ORDER BY inside an aggregate
SELECT concat('a', 1, NULL, 2.5, x'41'), concat(NULL), concat_ws(',', 1, NULL, 'b'), concat_ws(NULL, 1, 2), concat_ws('', 'a', 'b');
SELECT concat();
SELECT concat_ws(',');
SELECT typeof(concat(NULL)), concat(1.0, 1e100);
SELECT string_agg(x, '-') FROM (SELECT 'a' x UNION ALL SELECT 'b' UNION ALL SELECT NULL UNION ALL SELECT 3);
SELECT string_agg(x, '-' ORDER BY x DESC), group_concat(x ORDER BY x), group_concat(DISTINCT x ORDER BY x) FROM (SELECT 'a' x UNION ALL SELECT 'c' UNION ALL SELECT 'b' UNION ALL SELECT 'a');
SELECT count(*), sum(x ORDER BY x), max(x ORDER BY y), group_concat(x, y ORDER BY y DESC) FROM (SELECT 1 x, 'p' y UNION ALL SELECT 2, 'q');
SELECT string_agg(x)  FROM (SELECT 1 x);
SELECT concat('a' || char(0) || 'b', 'c'), length(concat(x'00', 'z')), concat(1, 2.0, -3), concat_ws(x'2c', 'a', 'b'), concat_ws(1.5, 2, 3), concat_ws('', NULL), concat_ws(',', NULL, NULL);
-- 3.48: substr() takes 64-bit positions; if() and iif() with two or many arguments
SELECT if(1, 'a', 'b'), if(0, 'a'), iif(0, 'a'), iif(0, 1, 0, 2, 3), iif(0, 1, 0, 2), if(1,2,3,4,5);
SELECT substr('hello', -9223372036854775808, 3), substr('hello', 9223372036854775807), substr('hello', 2, -9223372036854775808);
SELECT substr('hello', -9223372036854775808, 3), substr('hello', 9223372036854775807), substr('hello', 2, -9223372036854775808);
SELECT substr('abc', 4294967298, 1), substr('abc', 2, 4294967297), substr('abc', -4294967295, 2), substr(x'010203', 4294967298);
SELECT substr('hello', 0, -1), substr('hello', 3, -2), substr('hello', -2, -9), substr('hello', 9223372036854775807, -9223372036854775807);
SELECT substr('hello', -9223372036854775807, 9223372036854775807), substr('héllo', 2, 9223372036854775807);
SELECT if(0, 1), iif(NULL, 1, 0, 2, 3), if(1, 2, 3, 4), iif(0, 'a', 0, 'b');
-- 3.50: unistr(), unistr_quote(), printf's %#q and %#Q
SELECT unistr('a\u00e9\U0001F600b'), unistr('\\'), unistr_quote('it''s'), unistr_quote(char(10)), unistr_quote(12);
SELECT unistr('\x');
SELECT unistr('\0041\u0042\+000043\U00000044'), unistr('no escapes'), unistr(NULL), unistr(65), unistr('a\\\\b');
SELECT unistr('\u12');
SELECT unistr('\');
SELECT unistr_quote('plain'), unistr_quote('tab' || char(9) || 'x\y''z'), unistr_quote(NULL), unistr_quote(x'0a'), unistr_quote(1.5), unistr_quote(char(31, 127));
SELECT printf('%#q|%#Q', 'a' || char(10) || 'b\c', 'x\y'), printf('%#Q', NULL), printf('%#q', 'it''s');
-- 3.42 to 3.46: the date and time functions: 'subsec', '+YYYY-MM-DD' shifts, new strftime
-- letters, normalized dates, 'floor' and 'ceiling'
SELECT date('2023-01-31', '+1 month'), date('2023-01-31', '+1 month', 'floor'), date('2023-01-31', '+1 month', 'ceiling'), date('2024-02-29', '+1 year', 'floor');
SELECT date('2023-01-01', '+1000-01-01'), datetime('2023-01-01 00:00:00', '-0001-02-03 04:05:06.5'), date('2023-05-10', '+0000-00-25');
SELECT strftime('%e|%F|%I|%k|%l|%p|%P|%R|%T|%u', '2023-07-04 15:06:07'), strftime('%G|%g|%U|%V', '2021-01-01');
SELECT strftime('%G %V %U %g', '2024-12-30'), strftime('%V', '2026-01-01'), strftime('%U', '2023-01-01'), strftime('%l %I', '2023-01-01 00:30');
SELECT unixepoch('2023-01-01 00:00:00.5', 'subsec'), unixepoch('2023-01-01 00:00:00.5', 'subsecond'), datetime(1672531200.25, 'unixepoch', 'subsec'), time('12:00:00.123', 'subsec');
SELECT date('2024-02-30'), date('2023-02-31'), datetime('2023-04-31 10:00'), date('2023-02-31', '+0 days'), julianday('2023-02-29'), strftime('%Y-%m-%d', '2023-06-31');
SELECT date('2024-02-29', '+1 year'), date('2024-02-29', '+1 year', 'ceiling'), date('2024-03-31', '-1 month', 'floor'), date('2023-05-31', '+1 month', 'floor'), date('2023-01-30', '+1 month', 'floor', '+1 day');
SELECT date('2023-01-31', '+0000-01-00', 'floor'), date('2024-01-31', '+0000-01-00', 'floor'), date('2023-03-31', '-0000-01-00', 'floor'), date('2023-03-15', 'floor'), date('2023-03-15', 'ceiling');
SELECT date('2023-01-01', '+0000-12-00'), date('2023-01-01', '+0000-00-31'), date('2023-01-01', '1000-01-01'), date('2023-01-01', '+1000-01-01x'), date('2023-01-01', '+1000-01-01 x'), date('2023-01-01', '+1000-1-01');
SELECT datetime('2023-06-15 08:09:10.987', 'subsec'), time('2023-06-15 08:09:59.9996', 'subsec'), strftime('%s|%f', '2023-06-15 08:09:10.987', 'subsec'), unixepoch('1970-01-01 00:00:00.001', 'subsec'), julianday('2023-01-01', 'subsec');
SELECT strftime('%u%w', '2023-07-02'), strftime('%u%w', '2023-07-03'), strftime('%k|%l|%I|%p', '2023-07-03 00:00'), strftime('%k|%l|%I|%P', '2023-07-03 12:59'), strftime('%e', '2023-07-13'), strftime('%F', '-0044-03-15');
SELECT strftime('%G-W%V-%u', '2020-12-31'), strftime('%G-W%V', '2021-01-03'), strftime('%G-W%V', '2021-01-04'), strftime('%g %G', '2000-01-01'), strftime('%U %W', '2023-12-31'), strftime('%U %W', '2024-01-01');
SELECT strftime('%V', '2015-12-31'), strftime('%V', '2016-01-03'), strftime('%V', '2009-12-31'), strftime('%V %G', '2008-12-29'), strftime('%U', '2000-01-01'), strftime('%U', '2000-01-02');
SELECT julianday('2023-06-15 08:09:59.9996'), time('08:09:59.9999'), strftime('%f', '2023-01-01 00:00:01.99999'), julianday('2023-06-15 08:09:59.99949');
SELECT date('2024-02-30'), date('2023-02-31'), datetime('2023-04-31 10:00'), date('2023-02-31', '+0 days'), julianday('2023-02-29'), strftime('%Y-%m-%d', '2023-06-31');
SELECT datetime('2023-01-01', '+0000-00-00 12:30'), datetime('2023-01-01', '+0001-02-03 04:05:06'), datetime('2023-01-01 12:00', '-0000-00-01 13:00'), date('2023-01-01', '+00001-00-00');
SELECT date('2023-01-01', '+0000-12-00'), date('2023-01-01', '+0000-00-31'), date('2023-01-01', '1000-01-01'), date('2023-01-01', '+1000-01-01x'), date('2023-01-01', '+1000-01-01 x'), date('2023-01-01', '+1000-1-01');
-- 3.43 to 3.54: REALs written as text: printf's digits, round(), quote(), CAST (the digits
-- come from vdbe.fpdecode in these releases, from vdbe.realfmt in 3.40)
SELECT quote(1.5), quote(0.1), quote(1e100), quote(-0.0), quote(123456789.123456789), quote(1.0), quote(2.5e-7), quote(3.0e15);
SELECT quote(1/3.0), quote(100.0), quote(1e16), quote(9007199254740993.0);
SELECT round(2.5), round(-2.5), round(0.15, 1), round(2.675, 2), round(1.005, 2), round(1e20, 2), round(123.456, -1);
SELECT round(0.285, 2), round(1.0000000000000002, 15), round(9.995, 2), round(4.35, 1), round(-4.35, 1), round(5e-324, 300);
SELECT round(12345678901234567.5), round(0.5e16), round(1234.5678, 3), round(1.5, 30);
SELECT printf('%f', 1.5), printf('%.20f', 0.1), printf('%e', 123.456), printf('%g', 0.0001), printf('%.30g', 0.1), printf('%!.20g', 0.1);
SELECT printf('%.17g', 1/3.0), printf('%.25f', 1e-10), printf('%a', 1.0), printf('%.40f', 2.0/3);
SELECT format('%.3f', 2.0005), printf('%10.4e', 9.87654e10), printf('%g', 1e100), printf('%.0f', 2.5), printf('%.0f', 3.5);
SELECT printf('%.15g', 0.1+0.2), printf('%.16g', 0.1+0.2), printf('%.18g', 0.1+0.2), printf('%!g', 1e20);
SELECT CAST(0.1 AS TEXT), CAST(1e100 AS TEXT), CAST(1.0/3 AS TEXT), 0.1 || '', 123456789012345.678 || '';
SELECT CAST('1e500' AS REAL), CAST(1.7976931348623157e308 AS TEXT), 4.9e-324 || '';
SELECT printf('%!.20g', 0.1), printf('%!.17g', 49.47), printf('%!.17g', 0.3), printf('%.16g', 0.1 + 0.2), printf('%!.25e', 1e-300), printf('%!.26f', 2.0 / 3);
SELECT printf('%f', 9223372036854775807), printf('%.0e', 5e-324), printf('%g', 1e-5), printf('%#.3g', 1.0), printf('%+.3f|% .2e', 2.5, 2.5), printf('%015.4f', -3.14159);
SELECT CAST('0.1' AS REAL) = 0.1, CAST('3500000000000000.2500001' AS REAL), CAST('1e-320' AS REAL), CAST('123456789012345678901234567890' AS REAL), '2.675' + 0, CAST(' 1.5e3 ' AS REAL);
SELECT round(1234567.891234567, 8), round(0.1 + 0.2, 15), round(-2.5), round(2.5, 0), round(1e15 + 0.5, 1), round(0.05, 1);
SELECT 1.0 / 3 || '', 2.0 / 3 || '', 1e15 || '', 1e16 || '', 123.456e-10 || '', -0.0 || '', 100 * 1.1 || '';
SELECT group_concat(x) FROM (SELECT 0.1 * 3 AS x UNION ALL SELECT 1.0 / 7 UNION ALL SELECT 1e21);
SELECT printf(''), printf('%a'), format(''), printf('x%a'), typeof(printf(''));
SELECT sqlite_version(), typeof(sqlite_version());
-- builds with SQLITE_ENABLE_PERCENTILE (apsw's 3.54): median() and the percentile aggregates
SELECT median(x), percentile(x, 25), percentile_cont(x, 0.25), percentile_disc(x, 0.25), percentile_disc(x, 0.5), percentile_disc(x, 0.51), percentile_disc(x, 1), percentile_disc(x, 0) FROM (SELECT column1 AS x FROM (VALUES (1), (3), (2), (10), (NULL)));
SELECT median(x), percentile_disc(x, 0.5), typeof(median(x)), typeof(percentile_disc(x, 0.5)) FROM (SELECT column1 AS x FROM (VALUES (1), (2)));
SELECT median(x) FROM (SELECT 1 AS x WHERE 0);
SELECT percentile(x, 101) FROM (SELECT column1 AS x FROM (VALUES (1)));
SELECT percentile_cont(x, 2) FROM (SELECT column1 AS x FROM (VALUES (1)));
SELECT percentile_disc(x, -0.1) FROM (SELECT column1 AS x FROM (VALUES (1)));
SELECT median(x) FROM (SELECT column1 AS x FROM (VALUES ('a')));
SELECT median(x) FROM (SELECT column1 AS x FROM (VALUES (9e999)));
SELECT percentile(x, y) FROM (SELECT column1 AS x, column2 AS y FROM (VALUES (1, 10), (2, 20)));
SELECT percentile(x, 'abc') FROM (SELECT column1 AS x FROM (VALUES (1)));
SELECT median(x) FROM (SELECT column1 AS x FROM (VALUES ('12'), (x'00')));
SELECT median(x), percentile_disc(x, 0.5) FROM (SELECT column1 AS x FROM (VALUES (2.5), (1), ('3.5')));
SELECT x, median(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), percentile_disc(x, 0.5) OVER (ORDER BY x) FROM (SELECT column1 AS x FROM (VALUES (5), (1), (4), (2), (3)));
SELECT median(x) FILTER (WHERE x > 1), percentile(DISTINCT x, 50) FROM (SELECT column1 AS x FROM (VALUES (1), (1), (2), (3)));
SELECT percentile(x, NULL) FROM (SELECT column1 AS x FROM (VALUES (1)));
SELECT percentile_disc(x, 0.3) FROM (SELECT column1 AS x FROM (VALUES (1), (2), (3), (4)));
SELECT percentile_disc(x, 0.34) FROM (SELECT column1 AS x FROM (VALUES (1), (2), (3), (4)));
SELECT percentile_cont(x, 0.5) FROM (SELECT column1 AS x FROM (VALUES (-0.0), (0.0)));
-- changed in smaller ways: 'auto' and 'julianday' modifiers, replace(), substr()
SELECT unixepoch(1672531200, 'auto'), datetime(1672531200, 'auto'), datetime(2460000.5, 'auto'), datetime(1e12, 'auto'), unixepoch(2460000, 'auto');
SELECT datetime('2023-01-01', 'julianday'), datetime(2460000.5, 'julianday'), julianday(1672531200, 'unixepoch');
SELECT replace('abc', 'b', 'xyz'), replace(x'616263', 'b', 'z'), replace('aaa', 'aa', 'b'), replace(1.5, '.', ','), replace('abc', 'b', 1e100);
SELECT substr('hello', 0, 2), substr('hello', -1, 5), substr(x'01020304', -2), substr('hello', 2, NULL), substr('hello', 1.9, 2.9), substr('héllo', -4, 2);
SELECT replace(5, '', NULL), replace(x'00', '', 'a'), replace('abc', 'b', x'00'), typeof(replace(5, '5', 6)), replace('aXbX', 'X', ''), replace(NULL, '', 'x');
SELECT unixepoch('2023-06-15', 'auto'), datetime(-210866760000, 'auto'), datetime(253402300799, 'auto'), datetime(253402300800, 'auto'), datetime(5373484, 'auto'), datetime('2023-06-15', 'auto');
SELECT substr('abcdef', -9223372036854775808), substr('abcdef', -9223372036854775807), substr('abcdef', -4611686018427387904), substr('abcdef', -1000000000000), substr(x'010203', -9223372036854775808), substr('abcdef', 0, -9223372036854775808);
SELECT round(1.5, 4294967297), round(1.5, 4294967296), round(1.5, 1e100), round(1.25, -4294967295), round(2.5, '1'), round(2.55, 1.9);
SELECT printf('%010.2f', 9e999), printf('%010.2e', -9e999), length(printf('%0f', 9e999)), printf('%010g|%10g', 9e999, -9e999), printf('%0+8.1f', 9e999);
SELECT date('2024-01-15 24:00'), time('24:00'), datetime('2024-01-15 24:00:00'), datetime('2024-01-15 24:00', '+0 days'), time('24:00:30'), datetime('2024-01-31 24:00'), strftime('%H', '2024-01-15 24:00'), datetime('2024-02-30 24:00'), time('2024-01-15 24:00:00.5', 'subsec'), time('24:00:00.000'), julianday('2024-12-31 24:00');
SELECT date('2024-01-15 24:00', 'start of day'), datetime('2024-01-15 24:00', 'start of month'), strftime('%d %H', '2024-01-15 24:00', 'start of day'), time('24:00', 'start of day'), date('24:00'), datetime('2024-01-15 24:00-01:00');
SELECT soundex('Robert'), soundex('Tymczak');
