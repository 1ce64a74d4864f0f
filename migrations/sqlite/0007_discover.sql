CREATE TABLE `saved_papers` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`paper_id` integer NOT NULL,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`, `paper_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `upvote_snapshots` (
	`paper_id` integer NOT NULL,
	`at` integer NOT NULL,
	`upvotes` integer NOT NULL,
	PRIMARY KEY(`paper_id`, `at`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `upvote_snapshots_at_idx` ON `upvote_snapshots` (`at`);--> statement-breakpoint
ALTER TABLE `channel_digests` ADD `sort` text DEFAULT 'upvotes' NOT NULL;