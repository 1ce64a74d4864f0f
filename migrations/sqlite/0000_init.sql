CREATE TABLE `alerted_papers` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`paper_id` integer NOT NULL,
	`delivery_id` integer,
	`alerted_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `user_id`, `paper_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `channel_digests` (
	`platform` text NOT NULL,
	`channel_id` text NOT NULL,
	`workspace_id` text,
	`time` text NOT NULL,
	`timezone` text NOT NULL,
	`top` integer NOT NULL,
	`min_upvotes` integer DEFAULT 0 NOT NULL,
	`query` text DEFAULT '' NOT NULL,
	`post_when_empty` integer DEFAULT false NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`paused_reason` text,
	`paused_at` integer,
	`last_feed_date` text,
	`updated_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `channel_id`)
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`target_kind` text NOT NULL,
	`target_id` text NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_key_unique` ON `deliveries` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_target_idx` ON `deliveries` (`platform`,`target_id`,`state`);--> statement-breakpoint
CREATE TABLE `ingest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`feed_date` text NOT NULL,
	`status` text NOT NULL,
	`trigger` text DEFAULT 'cron' NOT NULL,
	`fetched` integer DEFAULT 0 NOT NULL,
	`inserted` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `ingest_runs_date_idx` ON `ingest_runs` (`feed_date`,`status`);--> statement-breakpoint
CREATE INDEX `ingest_runs_started_idx` ON `ingest_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `page_cursors` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`command` text NOT NULL,
	`options` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `page_cursors_created_idx` ON `page_cursors` (`created_at`);--> statement-breakpoint
CREATE TABLE `paper_days` (
	`paper_id` integer NOT NULL,
	`feed_date` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`feed_date`, `paper_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `paper_days_paper_idx` ON `paper_days` (`paper_id`);--> statement-breakpoint
CREATE TABLE `papers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`arxiv_id` text NOT NULL,
	`title` text NOT NULL,
	`abstract` text DEFAULT '' NOT NULL,
	`authors` text DEFAULT '[]' NOT NULL,
	`organization` text,
	`published_at` integer,
	`upvotes` integer DEFAULT 0 NOT NULL,
	`num_comments` integer,
	`github_repo` text,
	`github_stars` integer,
	`project_page` text,
	`ai_summary` text,
	`ai_keywords` text,
	`thumbnail` text,
	`latest_feed_date` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `papers_arxiv_id_unique` ON `papers` (`arxiv_id`);--> statement-breakpoint
CREATE INDEX `papers_latest_feed_date_idx` ON `papers` (`latest_feed_date`,`upvotes`);--> statement-breakpoint
CREATE INDEX `papers_upvotes_idx` ON `papers` (`upvotes`);--> statement-breakpoint
CREATE TABLE `rate_limit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`route` text,
	`wait_ms` integer NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_events_at_idx` ON `rate_limit_events` (`at`);--> statement-breakpoint
CREATE TABLE `users` (
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`dm_closed_at` integer,
	`dm_closed_notice_owed` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`platform`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `watches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`user_id` text NOT NULL,
	`query` text NOT NULL,
	`query_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `watches_user_query_unique` ON `watches` (`platform`,`user_id`,`query_key`);--> statement-breakpoint
CREATE INDEX `watches_user_idx` ON `watches` (`platform`,`user_id`);