CREATE TABLE "artifact_alerts" (
	"platform" text NOT NULL,
	"user_id" text NOT NULL,
	"paper_id" integer NOT NULL,
	"kind" text NOT NULL,
	"delivery_id" integer NOT NULL,
	"at" bigint NOT NULL,
	CONSTRAINT "artifact_alerts_platform_user_id_paper_id_kind_pk" PRIMARY KEY("platform","user_id","paper_id","kind")
);
--> statement-breakpoint
ALTER TABLE "watches" ADD COLUMN "artifacts" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "artifact_alerts" ADD CONSTRAINT "artifact_alerts_paper_id_papers_id_fk" FOREIGN KEY ("paper_id") REFERENCES "papers"("id") ON DELETE cascade ON UPDATE no action;