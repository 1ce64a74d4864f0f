-- Phrases of common words at a million papers (README, "On PostgreSQL"). GIN keeps no positions, so
-- a phrase such as "performance improvements" was tested by reading the vector of every paper
-- holding both words (one in seven) until the window was full: 136 ms. A second index holds, with
-- each paper's words, a key for every adjacent pair of them, and a phrase's window is looked up by
-- its words and pairs (src/store/postgres/newest-matches.ts): the index hands over the papers
-- holding every pair, about the phrase's matches alone, and only those vectors are read. The
-- table is not rewritten: search_vector (read by every ranking) keeps its size.
--
-- paperboy_word_pairs: one key `|p<hash>` for each lexeme a at position p and b at p + 1 of a vector,
-- the hash of `a b` in 2^20 values (plain `a_b` keys made the index four times the size of the
-- search_vector one; a hash shared by a few other pairs costs a few more rows tested, never a
-- missed one). The words of one field are at consecutive positions and the '|' between fields is
-- left out, so no pair straddles two fields, as no phrase does. A paper matching `a <-> b` holds a
-- at some p and b at p + 1, so it holds the pair's key: the keys of a phrase are a necessary
-- condition, never a false negative. Typed text never makes such a key (paperboy_fts_text turns
-- `|` into a space). Each position holds one lexeme in paperboy_english; where several share one
-- (positions past 16,383 are all 16,383), every pair of them comes from a slower join.
CREATE FUNCTION paperboy_word_pairs(v tsvector) RETURNS tsvector
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
  at text[] := '{}';
  pairs text[] := '{}';
  entry record;
  p int;
  top int := 0;
BEGIN
  FOR entry IN SELECT lexeme, positions FROM unnest(v) WHERE positions IS NOT NULL AND lexeme <> '|' LOOP
    FOREACH p IN ARRAY entry.positions LOOP
      IF at[p] IS NOT NULL THEN
        SELECT coalesce(array_agg('|p' || to_hex(hashtext(a.lexeme || ' ' || b.lexeme) & 1048575)), '{}') INTO pairs
          FROM (SELECT u.lexeme, q FROM unnest(v) AS u CROSS JOIN LATERAL unnest(u.positions) AS q WHERE u.lexeme <> '|') AS a
          JOIN (SELECT u.lexeme, q FROM unnest(v) AS u CROSS JOIN LATERAL unnest(u.positions) AS q WHERE u.lexeme <> '|') AS b ON b.q = a.q + 1;
        RETURN array_to_tsvector(pairs);
      END IF;
      at[p] := entry.lexeme;
      top := greatest(top, p);
    END LOOP;
  END LOOP;
  FOR i IN 1 .. top - 1 LOOP
    IF at[i] IS NOT NULL AND at[i + 1] IS NOT NULL THEN
      pairs := pairs || ('|p' || to_hex(hashtext(at[i] || ' ' || at[i + 1]) & 1048575));
    END IF;
  END LOOP;
  RETURN array_to_tsvector(pairs);
END $$;
--> statement-breakpoint
-- The keys of the second index: a paper's lexemes without positions (its words, the '|' and the id
-- buckets of 0010), and its word pairs. With no positions in it, the index answers a query of
-- words and pairs alone, with no recheck (a recheck would compute this function again).
CREATE FUNCTION paperboy_search_keys(v tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
  RETURN strip(v) || paperboy_word_pairs(v);
--> statement-breakpoint
-- What the index must hold for a paper to match one term typed as text: its words and their pairs
-- (an empty tsquery when the term has no word, as phraseto_tsquery gives; `&&` then ignores it).
CREATE FUNCTION paperboy_term_keys(term text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (SELECT coalesce(string_agg('''' || u.lexeme || '''', ' & '), '')::tsquery
          FROM unnest(paperboy_search_keys(to_tsvector('paperboy_english', paperboy_fts_text(term)))) AS u);
--> statement-breakpoint
-- A GIN build sorts its keys in maintenance_work_mem; the default 64 MB flushed and merged some
-- 170 million pair keys (a million papers) many times over. For this transaction only.
SET LOCAL maintenance_work_mem = '256MB';
--> statement-breakpoint
CREATE INDEX "papers_search_keys_idx" ON "papers" USING gin (paperboy_search_keys(search_vector));
