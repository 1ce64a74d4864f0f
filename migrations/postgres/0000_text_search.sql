-- How papers.search_vector and every query (src/store/postgres/tsquery.ts) cut text into words,
-- made to agree with SQLite's FTS5 `porter unicode61` tokenizer so both backends find the same
-- papers (test/store-postgres/tsquery.test.ts compares them on random queries over real papers).
-- Created in the current schema, with the tables (drizzle-kit does not know these objects).
--
-- paperboy_fts_text, applied to indexed text and to every query term alike:
-- 1. ASCII punctuation becomes spaces. FTS5 splits on it everywhere, while PostgreSQL's parser
--    keeps URLs, hosts, e-mails, `3.5` and `GPT-4o` as tokens of their own and drops `<tags>`;
--    without this, `github` would not find "https://github.com/…".
-- 2. A two-letter word ending in s or y gets a 0 appended (replacement '\1' then '0'): that makes
--    it a number-word, which the configuration below never stems. FTS5 never stems a token under
--    3 characters; Porter alone turns `as` into `a`, `is` into `i`, `ay` into `ai`.
CREATE FUNCTION paperboy_fts_text(input text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN regexp_replace(translate(input, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)), '\m([[:alpha:]][sSyY])\M', '\10', 'g');
--> statement-breakpoint
-- paperboy_english: PostgreSQL's `english` mapping, but the Porter stemmer and no stop words, as
-- FTS5: snowball `english` keeps the s of acronym plurals (`LLMs` stays `llms`, never `llm`) and
-- drops stop words (`the`, `of`), which FTS5 indexes.
CREATE TEXT SEARCH DICTIONARY paperboy_porter (TEMPLATE = snowball, Language = porter);
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION paperboy_english (COPY = english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION paperboy_english ALTER MAPPING REPLACE english_stem WITH paperboy_porter;
--> statement-breakpoint
-- papers.search_vector: title weight A, abstract B, authors C. `||` numbers the right side's
-- positions on from the left side's last one, so the last title word and the first abstract word
-- would be adjacent and a phrase could span them; FTS5 never matches a phrase across columns. A
-- '|' lexeme between the columns keeps them apart: no query can contain it (paperboy_fts_text
-- turns `|` into a space), and ts_rank ignores lexemes the query lacks.
CREATE FUNCTION paperboy_search_vector(title text, abstract text, authors text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN setweight(to_tsvector('paperboy_english', paperboy_fts_text(title)), 'A')
    || $$'|':1$$::tsvector
    || setweight(to_tsvector('paperboy_english', paperboy_fts_text(abstract)), 'B')
    || $$'|':1$$::tsvector
    || setweight(to_tsvector('paperboy_english', paperboy_fts_text(authors)), 'C');
