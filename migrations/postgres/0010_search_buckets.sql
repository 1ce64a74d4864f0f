-- Search at a million papers (README, "On PostgreSQL"):
--
-- 1. paperboy_fts_text translates accented letters (0005) only in text that holds one. translate()
--    compares every character of its input with each of the 488 letters of its list, ~12 ms for
--    one abstract, fifteen times the rest of the vector: it made loading and ingest that much
--    slower. One regular expression of the same letters tells whether there is anything to
--    translate; translate() of a text holding none of them is that text, so no vector changes.
--    The spelling folds and the rest are 0005's, unchanged.
CREATE OR REPLACE FUNCTION paperboy_fts_text(input text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN regexp_replace(translate(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(lower(CASE WHEN input ~ '[ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ]' THEN translate(input, 'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ', 'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzsoouuaaiioouuuuuuuuuuaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwysaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy') ELSE input END), 'behaviour', 'behavior'), 'colour', 'color'), 'rigour', 'rigor'), 'neighbour', 'neighbor'), 'favour', 'favor'), 'labour', 'labor'), 'honour', 'honor'), 'humour', 'humor'), 'vapour', 'vapor'), 'flavour', 'flavor'), 'endeavour', 'endeavor'), 'tumour', 'tumor'), 'optimis', 'optimiz'), 'generalis', 'generaliz'), 'normalis', 'normaliz'), 'regularis', 'regulariz'), 'tokenis', 'tokeniz'), 'visualis', 'visualiz'), 'summaris', 'summariz'), 'organis', 'organiz'), 'recognis', 'recogniz'), 'minimis', 'minimiz'), 'maximis', 'maximiz'), 'characteris', 'characteriz'), 'quantis', 'quantiz'), 'parameteris', 'parameteriz'), 'parametris', 'parametriz'), 'categoris', 'categoriz'), 'specialis', 'specializ'), 'standardis', 'standardiz'), 'initialis', 'initializ'), 'utilis', 'utiliz'), 'vectoris', 'vectoriz'), 'randomis', 'randomiz'), 'prioritis', 'prioritiz'), 'discretis', 'discretiz'), 'localis', 'localiz'), 'personalis', 'personaliz'), 'stabilis', 'stabiliz'), 'emphasise', 'emphasize'), 'analyse', 'analyze'), 'modelling', 'modeling'), 'modelled', 'modeled'), 'modeller', 'modeler'), 'labelling', 'labeling'), 'labelled', 'labeled'), 'travelling', 'traveling'), 'travelled', 'traveled'), 'cancelling', 'canceling'), 'cancelled', 'canceled'), 'signalling', 'signaling'), 'tunnelling', 'tunneling'), 'channelling', 'channeling'), 'centre', 'center'), 'fibre', 'fiber'), 'defence', 'defense'), 'licence', 'license'), 'offence', 'offense'), 'catalogue', 'catalog'), 'dialogue', 'dialog'), 'analogue', 'analog'), 'artefact', 'artifact'), 'judgement', 'judgment'), 'ageing', 'aging'), 'grey', 'gray'), 'aluminium', 'aluminum'), 'sceptic', 'skeptic'), 'paediatric', 'pediatric'), 'anaesthe', 'anesthe'), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)), '\m([[:alpha:]][sSyY])\M', '\10', 'g');
--> statement-breakpoint
-- 2. Id buckets: every paper's vectors hold four lexemes naming its id's buckets of 256, 2,048,
--    16,384 and 131,072 ids (`|a<id >> 8>` … `|d<id >> 17>`). A GIN index cannot return ids in
--    order, so `ORDER BY id DESC LIMIT 1001` either reads every match or walks the primary key
--    testing vectors row by row; ANDing the query with the buckets of the newest ids lets the
--    index itself skip to them (src/store/postgres/newest-matches.ts). No typed text can become
--    one of these lexemes: paperboy_fts_text turns `|` into a space. They have no position, so
--    no phrase reaches them, and ts_rank reads only the query's lexemes.
CREATE FUNCTION paperboy_id_buckets(id integer) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN array_to_tsvector(ARRAY['|a' || (id >> 8), '|b' || (id >> 11), '|c' || (id >> 14), '|d' || (id >> 17)]);
--> statement-breakpoint
-- 3. The title alone, cut as in paperboy_search_vector and ended by the same `'|'` lexeme, so
--    known-item probes and autocomplete find titles through an index of titles (SQLite's
--    papers_title_fts) instead of re-reading whole vectors for their weight-A part.
CREATE FUNCTION paperboy_title_vector(title text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN to_tsvector('paperboy_english', paperboy_fts_text(title)) || $$'|':1$$::tsvector;
--> statement-breakpoint
-- 4. One rewrite of the table computes both columns. STORAGE MAIN keeps the search vector in the
--    row (compressed) and moves the abstract out instead: a search reads a thousand vectors and
--    shows ten abstracts. A vector out of line costs a TOAST index lookup and two more pages on
--    every test (5.4 buffers a row where the row itself is 2.5, measured on 2,000 rows).
ALTER TABLE "papers"
  DROP COLUMN "search_vector",
  ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS ((paperboy_search_vector(title, abstract, authors) || paperboy_id_buckets(id))) STORED NOT NULL,
  ADD COLUMN "title_vector" "tsvector" GENERATED ALWAYS AS ((paperboy_title_vector(title) || paperboy_id_buckets(id))) STORED NOT NULL,
  ALTER COLUMN "search_vector" SET STORAGE MAIN;
--> statement-breakpoint
CREATE INDEX "papers_search_vector_idx" ON "papers" USING gin ("search_vector");
--> statement-breakpoint
CREATE INDEX "papers_title_vector_idx" ON "papers" USING gin ("title_vector");
