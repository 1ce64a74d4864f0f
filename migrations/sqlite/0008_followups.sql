CREATE TABLE `followup_items` (
	`digest_key` text NOT NULL,
	`paper_id` integer NOT NULL,
	`item` text NOT NULL,
	`delivery_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`digest_key`, `paper_id`, `item`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `channel_digests` ADD `followups` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `reply_to` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `thread_name` text;