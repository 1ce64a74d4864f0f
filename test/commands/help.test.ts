import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { commandDeps, run } from './harness.ts';

describe('/papers help', () => {
  it('gives a usage line for every command and the query language, privately', async () => {
    const reply = await run(commandDeps(), 'help');
    expect(reply).toMatchObject({ kind: 'help', visibility: 'private' });
    for (const command of commands) expect(reply.text).toContain(`/papers ${command.name}`);
    expect(reply.text).toContain('/papers search <query> [limit=1-25]');
    expect(reply.text).toContain('/papers digest set [time=HH:MM] [timezone=Area/City] [top=1-25]');
    expect(reply.text).toContain('author:"Jane Doe"');
    expect(reply.text).toContain('min:N');
  });

  it('every option of every command is described (it becomes Discord’s option description)', () => {
    for (const command of commands) {
      for (const [name, field] of Object.entries(command.options.shape)) {
        expect(field.description, `${command.name} ${name}`).toBeTruthy();
      }
    }
  });
});
