CREATE TABLE `arxiv_backfill_days` (
	`category` text NOT NULL,
	`day` text NOT NULL,
	`papers` integer DEFAULT 0 NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`category`, `day`)
);
