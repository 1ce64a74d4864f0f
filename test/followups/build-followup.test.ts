import { describe, expect, it } from 'vitest';
import { buildFollowup, MAX_FOLLOWUP_PAPERS, threadName, type FollowupEntry } from '../../src/followups/build-followup.ts';
import { renderPlainText } from '../../src/messages/message.ts';
import { discordProblems, slackProblems } from '../support/platform-limits.ts';

const entry = (n: number, title: string, lines: FollowupEntry['lines']): FollowupEntry => ({ paperId: n, arxivId: `2609.${String(n).padStart(5, '0')}`, title, lines });

describe('the follow-up message', () => {
  it('renders only the items not told yet, each paper with its link, on the console', () => {
    const entries = [
      entry(1, 'A late riser about retrieval', [{ item: 'rank', text: 'climbed to #1 with 85 ▲' }]),
      entry(2, 'Diffusion transformers at scale', [{ item: 'github', text: 'code released: github.com/org/diffusion (★ 120)' }, { item: 'project', text: 'project page: https://example.org/p' }]),
    ];
    const msg = buildFollowup(['2026-09-01'], entries, [{ paperId: 1, item: 'rank' }, { paperId: 2, item: 'github' }]);
    const text = renderPlainText(msg);
    expect(text).toContain('Since this post — Tue 1 Sep 2026');
    expect(text).toContain('2 updates on the papers of this post.');
    expect(text).toContain('climbed to #1 with 85 ▲');
    expect(text).toContain('https://huggingface.co/papers/2609.00001');
    expect(text).toContain('code released: github.com/org/diffusion (★ 120)');
    expect(text).not.toContain('project page');
    expect(discordProblems(msg)).toEqual([]);
    expect(slackProblems(msg)).toEqual([]);
  });

  it('stays within Discord and Slack limits at its largest, and pings nobody', () => {
    const long = `${'@everyone <@123> <!channel> '.repeat(40)}end`;
    const entries = Array.from({ length: MAX_FOLLOWUP_PAPERS }, (_, i) =>
      entry(i + 1, long, [
        { item: 'rank', text: `climbed to #${i + 1} with 999 ▲` },
        { item: 'github', text: `code released: ${'github.com/org/'.padEnd(400, 'x')} (★ 1)` },
        { item: 'models:a', text: `new models on Hugging Face: ${'https://huggingface.co/org/model '.repeat(20)}` },
      ]),
    );
    const fresh = entries.flatMap((e) => e.lines.map((line) => ({ paperId: e.paperId, item: line.item })));
    const msg = buildFollowup(['2026-09-01'], entries, fresh);
    expect(msg.fields).toHaveLength(MAX_FOLLOWUP_PAPERS);
    for (const field of msg.fields) expect(field.value.endsWith(`https://huggingface.co/papers/${field.value.split('/papers/')[1]}`)).toBe(true);
    expect(discordProblems(msg)).toEqual([]);
    expect(slackProblems(msg)).toEqual([]);
    expect(threadName(['2026-08-29', '2026-08-31']).length).toBeLessThanOrEqual(100);
  });
});
