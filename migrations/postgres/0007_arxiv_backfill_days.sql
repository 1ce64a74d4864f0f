CREATE TABLE "arxiv_backfill_days" (
	"category" text NOT NULL,
	"day" text NOT NULL,
	"papers" integer DEFAULT 0 NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "arxiv_backfill_days_category_day_pk" PRIMARY KEY("category","day")
);
