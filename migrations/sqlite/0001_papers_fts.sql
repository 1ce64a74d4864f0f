-- Full-text index over papers (external content: the text lives once, in `papers`).
-- porter stemming over unicode61 (`rigor` finds "rigorous"), diacritics folded (`naïve` = `naive`).
-- Columns: title, abstract, authors (JSON array of names, tokenised as text); bm25 weights are set at query time.
CREATE VIRTUAL TABLE `papers_fts` USING fts5(
  title, abstract, authors,
  content='papers', content_rowid='id',
  tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `papers_fts_ai` AFTER INSERT ON `papers` BEGIN
  INSERT INTO papers_fts(rowid, title, abstract, authors) VALUES (new.id, new.title, new.abstract, new.authors);
END;
--> statement-breakpoint
CREATE TRIGGER `papers_fts_ad` AFTER DELETE ON `papers` BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors) VALUES ('delete', old.id, old.title, old.abstract, old.authors);
END;
--> statement-breakpoint
-- Only text changes touch the index: upvote and star refreshes (the common update) cost nothing here.
CREATE TRIGGER `papers_fts_au` AFTER UPDATE OF title, abstract, authors ON `papers`
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors
BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, abstract, authors) VALUES ('delete', old.id, old.title, old.abstract, old.authors);
  INSERT INTO papers_fts(rowid, title, abstract, authors) VALUES (new.id, new.title, new.abstract, new.authors);
END;
--> statement-breakpoint
-- Index papers stored before this migration (upgrades from a schema without FTS).
INSERT INTO papers_fts(papers_fts) VALUES ('rebuild');
