-- Differential corpus: JSON stored in tables, read with the JSON functions and the
-- json_each and json_tree tables, and rewritten with json_set, json_remove and
-- json_patch. After each statement both files must hold the same rows.

-- name: json_documents
-- setup:
CREATE TABLE doc(id INTEGER PRIMARY KEY, body TEXT CHECK (json_valid(body)), tag TEXT);
CREATE INDEX doc_kind ON doc(json_extract(body, '$.kind'));
INSERT INTO doc(body, tag) VALUES
  ('{"kind":"book","title":"Dune","year":1965,"tags":["sf","classic"],"price":9.99}', 'a'),
  ('{"kind":"book","title":"Emma","year":1815,"tags":["novel"],"price":4.5}', 'b'),
  ('{"kind":"film","title":"Alien","year":1979,"cast":{"lead":"Weaver"}}', 'c'),
  ('{"kind":"film","title":"Heat","year":1995,"cast":{"lead":"Pacino","also":["De Niro"]}}', 'd'),
  ('[1, 2, 3]', 'e');
-- statements:
SELECT id, body ->> '$.title', body -> '$.tags', json_type(body, '$.year') FROM doc ORDER BY id;
SELECT id FROM doc WHERE json_extract(body, '$.kind') = 'film' ORDER BY id;
SELECT body ->> 'kind' AS kind, count(*), json_group_array(body ->> 'title') FROM doc GROUP BY kind ORDER BY kind;
SELECT json_group_object(tag, json(body)) FROM doc WHERE id < 3;
SELECT doc.id, t.value FROM doc, json_each(doc.body, '$.tags') AS t ORDER BY doc.id, t.key;
SELECT id, fullkey, atom FROM doc, json_tree(doc.body) WHERE atom IS NOT NULL AND id > 2 ORDER BY id, fullkey;
SELECT id, json_array_length(body, '$.tags') FROM doc ORDER BY id;
UPDATE doc SET body = json_set(body, '$.price', 12.5, '$.stock', 3) WHERE id = 1;
UPDATE doc SET body = json_insert(body, '$.tags[#]', 'reread') WHERE body ->> 'kind' = 'book';
UPDATE doc SET body = json_remove(body, '$.cast.also', '$.year') WHERE id = 4;
UPDATE doc SET body = json_patch(body, '{"cast":{"lead":null,"director":"Scott"},"rating":8.5}') WHERE id = 3;
UPDATE doc SET body = json_replace(body, '$[0]', 'one', '$[9]', 'nine') WHERE id = 5;
UPDATE doc SET body = 'not json' WHERE id = 2;
INSERT INTO doc(body, tag) VALUES ('{"kind":"book"', 'bad');
INSERT INTO doc(body, tag) SELECT json_object('kind', 'tag', 'name', value), 'from-each' FROM json_each('["x","y","z"]');
SELECT id, body FROM doc ORDER BY id;
DELETE FROM doc WHERE json_extract(body, '$.kind') = 'tag' AND body ->> 'name' > 'x';
SELECT id, json(body) FROM doc ORDER BY id;
SELECT json_extract(body, '$.title', '$.year', '$.missing') FROM doc ORDER BY id;
SELECT key, value, type FROM doc, json_each(doc.body) WHERE id = 1 ORDER BY key;

-- name: json_rows_from_arrays
-- setup:
CREATE TABLE item(name TEXT PRIMARY KEY, qty INT, attrs TEXT) WITHOUT ROWID;
CREATE TABLE log(n INTEGER PRIMARY KEY, entry TEXT);
-- statements:
INSERT INTO item SELECT value ->> 'name', value ->> 'qty', value -> 'attrs' FROM json_each('[{"name":"bolt","qty":100,"attrs":{"size":"M4"}},{"name":"nut","qty":250,"attrs":{"size":"M4","finish":"zinc"}},{"name":"gear","qty":3,"attrs":[]}]');
SELECT name, qty, typeof(qty), attrs FROM item ORDER BY name;
INSERT INTO log(entry) SELECT json_object('name', name, 'attrs', json(attrs)) FROM item;
INSERT INTO log(entry) SELECT json_object('name', name, 'attrs', attrs) FROM item;
SELECT n, entry FROM log ORDER BY n;
UPDATE item SET qty = qty + (SELECT count(*) FROM json_each(item.attrs));
UPDATE item SET attrs = json_set(attrs, '$.checked', json('true')) WHERE json_type(attrs) = 'object';
SELECT name, qty, attrs FROM item ORDER BY qty;
SELECT json_group_array(json_object('n', name, 'q', qty)) FROM (SELECT * FROM item ORDER BY name);
DELETE FROM log WHERE json_extract(entry, '$.attrs.size') IS NULL;
SELECT n, entry ->> '$.attrs' FROM log ORDER BY n;
INSERT INTO log(entry) SELECT fullkey || '=' || coalesce(atom, type) FROM json_tree('{"a":[1,{"b":null}],"c":"d"}');
SELECT entry FROM log WHERE entry LIKE '$%' ORDER BY n;
INSERT INTO item VALUES (json_extract('{"k":"widget"}', '$.k'), json('7'), json_array(1, 2.5, 'x', NULL));
SELECT * FROM item WHERE name = 'widget';
INSERT INTO item VALUES ('bad', 1, json('{oops}'));
SELECT count(*) FROM item;

-- name: json5_and_jsonb
-- JSON5 text (3.42), JSONB BLOBs and the jsonb_ functions (3.45), json_pretty (3.46) and
-- json_array_insert (3.54): where the compiling SQLite is older, both sides must fail
-- the same way ("malformed JSON", "no such function").
-- setup:
CREATE TABLE conf(id INTEGER PRIMARY KEY, src TEXT, bin BLOB);
INSERT INTO conf(src) VALUES
  ('{name: ''alpha'', size: 0x10, ratio: .5, tags: [''a'', "b",], /* note */ on: true}'),
  ('[1, +2, 3., Infinity, -Infinity, NaN] // six'),
  ('{"plain": "json", "n": [1, 2.50, "\u00e9"]}');
-- statements:
SELECT id, json(src), json_valid(src), json_error_position(src) FROM conf ORDER BY id;
UPDATE conf SET bin = jsonb(src);
SELECT id, hex(bin), typeof(bin), json(bin), json_type(bin) FROM conf ORDER BY id;
SELECT id, bin ->> '$.size', bin -> 'tags', json_extract(bin, '$[1]', '$[#-1]') FROM conf ORDER BY id;
SELECT conf.id, e.key, e.value, e.type, e.id, e.fullkey FROM conf, json_each(conf.bin) AS e ORDER BY 1, 5;
SELECT conf.id, t.key, t.id, t.parent, t.path FROM conf, json_tree(conf.src, '$.tags') AS t ORDER BY 1, 3;
UPDATE conf SET bin = jsonb_set(bin, '$.size', 17, '$.extra', json('{"x":[1]}')) WHERE id = 1;
UPDATE conf SET bin = jsonb_insert(bin, '$[#]', 'end'), src = json_remove(src, '$[0]') WHERE id = 2;
UPDATE conf SET bin = jsonb_patch(bin, '{"n": null, "added": {"k": 1}}') WHERE id = 3;
SELECT id, hex(bin), json(bin), src FROM conf ORDER BY id;
SELECT id, json_valid(bin), json_valid(bin, 4), json_valid(bin, 8), json_valid(src, 2) FROM conf ORDER BY id;
SELECT hex(jsonb_group_array(bin)), json_group_object(id, bin) FROM conf;
SELECT hex(jsonb_array(1, 'two', json('[3]'))), hex(jsonb_object('k', jsonb('[0x1F]'))), jsonb_extract(bin, '$.extra') FROM conf WHERE id = 1;
SELECT id, json_pretty(bin) FROM conf ORDER BY id;
SELECT json_pretty(src, '  ') FROM conf WHERE id = 1;
UPDATE conf SET bin = jsonb_array_insert(bin, '$[0]', 'first') WHERE id = 2;
SELECT id, json(bin) FROM conf ORDER BY id;
SELECT json(x'0bad');
INSERT INTO conf(src, bin) VALUES ('broken', jsonb('{a:'));
SELECT count(*) FROM conf;
