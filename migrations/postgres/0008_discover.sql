CREATE TABLE "saved_papers" (
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"paper_id" integer NOT NULL,
	"saved_at" bigint NOT NULL,
	CONSTRAINT "saved_papers_platform_user_id_paper_id_pk" PRIMARY KEY("platform","user_id","paper_id")
);
--> statement-breakpoint
CREATE TABLE "upvote_snapshots" (
	"paper_id" integer NOT NULL,
	"at" bigint NOT NULL,
	"upvotes" integer NOT NULL,
	CONSTRAINT "upvote_snapshots_paper_id_at_pk" PRIMARY KEY("paper_id","at")
);
--> statement-breakpoint
ALTER TABLE "channel_digests" ADD COLUMN "sort" text DEFAULT 'upvotes' NOT NULL;--> statement-breakpoint
ALTER TABLE "saved_papers" ADD CONSTRAINT "saved_papers_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upvote_snapshots" ADD CONSTRAINT "upvote_snapshots_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "upvote_snapshots_at_idx" ON "upvote_snapshots" USING btree ("at");