import { afterEach, describe, expect, it } from 'vitest';
import { aPaper } from '../../support/builders.ts';
import { startFakeDiscord } from '../../support/fake-discord.ts';
import { isEphemeral, MessageData, startHarness, textOf, type Harness } from './discord-harness.ts';
import { chatInput, member } from './interaction-payloads.ts';

// `/papers saved format:bibtex` on Discord: the reading list as a file on the ephemeral reply
// (multipart/form-data: payload_json and files[0]), read back by the fake Discord's form parser.

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function withSaved(options: { deferAfterMs?: number } = {}) {
  const h: Harness = await startHarness({ register: false, env: { COMMAND_RATE_LIMIT: '1000' }, ...options });
  open.push(h);
  const reader = member('400000000000000031');
  const { inserted } = await h.deps.store.upsertPapers(
    '2026-09-01',
    [
      aPaper({ arxivId: '2609.00011', title: 'Diffusion transformers at scale', authors: ['Ada Lovelace'] }),
      aPaper({ arxivId: '2609.00012', title: 'Agents that plan {carefully}', authors: ['Alan Turing'] }),
    ],
    h.deps.clock.now(),
  );
  for (const id of inserted) await h.deps.store.savePaper({ platform: 'discord', id: reader.userId }, id, h.deps.clock.now());
  return { h, reader };
}

describe('saved format:bibtex on Discord', () => {
  it('attaches paperboy-saved.bib with every saved paper to the ephemeral reply', async () => {
    const { h, reader } = await withSaved();
    const payload = chatInput(h.fake.applicationId, reader, 'saved', { format: 'bibtex' });
    const reply = await h.interact(payload);
    expect(isEphemeral(reply.data)).toBe(true);
    expect(textOf(reply.data)).toContain('Your 2 saved papers as BibTeX, in the attached paperboy-saved.bib.');
    // The embed does not repeat the file as a code block.
    expect(textOf(reply.data)).not.toContain('@misc');
    const request = h.fake.requests.find((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    expect(request?.files.map((file) => [file.field, file.name])).toEqual([['files[0]', 'paperboy-saved.bib']]);
    const bib = request?.files[0]?.text ?? '';
    expect(bib).toContain('@misc{lovelace2026diffusion,');
    expect(bib).toContain('title={Agents that plan \\{carefully\\}}');
    expect(bib).toContain('eprint={2609.00012}');
    expect(MessageData.parse(reply.data).allowed_mentions).toEqual({ parse: [] });
  });

  it('a deferred reply gets the file on its edit', async () => {
    const { h, reader } = await withSaved({ deferAfterMs: 0 });
    const payload = chatInput(h.fake.applicationId, reader, 'saved', { format: 'bibtex' });
    const deferred = await h.interact(payload);
    expect(isEphemeral(deferred.data)).toBe(true);
    const edit = await h.webhook(payload, 'PATCH', true);
    expect(edit.files.map((file) => file.name)).toEqual(['paperboy-saved.bib']);
    expect(edit.files[0]?.text).toContain('eprint={2609.00011}');
    expect(textOf(MessageData.parse(edit.body))).toContain('in the attached paperboy-saved.bib');
  });
});

describe('the fake Discord reads multipart as Discord does', () => {
  it('takes payload_json and files[n], and refuses a form without payload_json or with a file it does not name', async () => {
    const fake = await startFakeDiscord();
    open.push(fake);
    const url = `${fake.apiUrl}/v10/interactions/1/tok/callback`;
    const post = (form: FormData) => fetch(url, { method: 'POST', body: form });

    const good = new FormData();
    good.append('payload_json', JSON.stringify({ type: 4, data: { content: 'hi', attachments: [{ id: '0' }] } }));
    good.append('files[0]', new Blob(['@misc{a}'], { type: 'text/plain' }), 'a.bib');
    expect((await post(good)).status).toBe(204);
    expect(fake.requests.at(-1)).toMatchObject({ body: { type: 4, data: { content: 'hi' } }, files: [{ field: 'files[0]', name: 'a.bib', text: '@misc{a}' }] });

    const noPayload = new FormData();
    noPayload.append('files[0]', new Blob(['x']), 'a.bib');
    expect((await post(noPayload)).status).toBe(400);

    const unnamed = new FormData();
    unnamed.append('payload_json', JSON.stringify({ type: 4, data: { attachments: [{ id: '1' }] } }));
    unnamed.append('files[0]', new Blob(['x']), 'a.bib');
    const refused = await post(unnamed);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 50035 });

    // The JSON path is unchanged.
    const json = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 6 }) });
    expect(json.status).toBe(204);
    expect(fake.requests.at(-1)).toMatchObject({ body: { type: 6 }, files: [] });
  });
});
