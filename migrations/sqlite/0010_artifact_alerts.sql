CREATE TABLE `artifact_alerts` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`paper_id` integer NOT NULL,
	`kind` text NOT NULL,
	`delivery_id` integer NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`, `paper_id`, `kind`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `watches` ADD `artifacts` integer DEFAULT true NOT NULL;