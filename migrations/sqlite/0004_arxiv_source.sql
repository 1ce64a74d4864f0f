CREATE TABLE `arxiv_listings` (
	`announcement` text NOT NULL,
	`paper_id` integer NOT NULL,
	`announce_type` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`announcement`, `paper_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `arxiv_listings_paper_idx` ON `arxiv_listings` (`paper_id`);--> statement-breakpoint
CREATE TABLE `arxiv_polls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`announcement` text,
	`status` text NOT NULL,
	`trigger` text DEFAULT 'cron' NOT NULL,
	`fetched` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`warning` text,
	`error` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `arxiv_polls_announcement_idx` ON `arxiv_polls` (`announcement`,`status`);--> statement-breakpoint
ALTER TABLE `papers` ADD `categories` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `papers` ADD `listed_on_hf` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `papers` ADD `listed_on_arxiv` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `papers` ADD `arxiv_version` integer;