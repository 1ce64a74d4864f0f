CREATE TABLE `command_hits` (
	`user_key` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `command_hits_user_at_idx` ON `command_hits` (`user_key`,`at`);--> statement-breakpoint
CREATE INDEX `command_hits_at_idx` ON `command_hits` (`at`);--> statement-breakpoint
CREATE TABLE `replicas` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`role` text NOT NULL,
	`started_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `replicas_last_seen_idx` ON `replicas` (`last_seen_at`);