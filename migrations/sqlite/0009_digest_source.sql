ALTER TABLE `channel_digests` ADD `source` text DEFAULT 'hf' NOT NULL;--> statement-breakpoint
ALTER TABLE `channel_digests` ADD `last_announcement` text;