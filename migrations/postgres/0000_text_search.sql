-- How papers.search_vector and every query (src/store/postgres/tsquery.ts) cut text into words,
-- made to agree with SQLite's FTS5 `porter unicode61` tokenizer so both backends find the same papers.
-- Created in the current schema, with the tables (drizzle-kit does not know these objects).
--
-- paperboy_fts_text: ASCII punctuation becomes spaces first. FTS5 splits on it everywhere, while
-- PostgreSQL's parser keeps URLs, hosts, e-mails, `3.5` and `GPT-4o` as tokens of their own and
-- drops `<tags>`; without this, `github` would not find "https://github.com/…".
-- Then a word of one or two letters gets a 0 appended ('\1' then '0'): that makes it a number-word,
-- which the configuration below never stems, as FTS5 never stems a token under 3 characters
-- (Porter alone turns `as` into `a` and `is` into `i`).
CREATE FUNCTION paperboy_fts_text(input text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN regexp_replace(translate(input, '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)), '\m([[:alpha:]]{1,2})\M', '\10', 'g');
--> statement-breakpoint
-- paperboy_english: PostgreSQL's `english` mapping, but the Porter stemmer and no stop words, as
-- FTS5: snowball `english` keeps the s of acronym plurals (`LLMs` stays `llms`, never `llm`) and
-- drops stop words (`the`, `of`), which FTS5 indexes.
CREATE TEXT SEARCH DICTIONARY paperboy_porter (TEMPLATE = snowball, Language = porter);
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION paperboy_english (COPY = english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION paperboy_english ALTER MAPPING REPLACE english_stem WITH paperboy_porter;
