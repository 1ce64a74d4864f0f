CREATE TABLE "followup_items" (
	"digest_key" text NOT NULL,
	"paper_id" integer NOT NULL,
	"item" text NOT NULL,
	"delivery_id" integer NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "followup_items_digest_key_paper_id_item_pk" PRIMARY KEY("digest_key","paper_id","item")
);
--> statement-breakpoint
ALTER TABLE "channel_digests" ADD COLUMN "followups" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "reply_to" text;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "thread_name" text;--> statement-breakpoint
ALTER TABLE "followup_items" ADD CONSTRAINT "followup_items_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE cascade ON UPDATE no action;