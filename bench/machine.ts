import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import Database from 'better-sqlite3';
import type { Machine } from './report.ts';

/** What the figures were measured on: they mean little without it. */
export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    if (model) cpu = model.trim();
  } catch {
    // Not Linux: os.cpus() said enough.
  }
  const db = new Database(':memory:');
  const sqlite = String(db.prepare('SELECT sqlite_version()').pluck().get());
  db.close();
  return {
    cpu,
    cores: cpus().length,
    node: process.version,
    sqlite,
    platform: `${process.platform} ${process.arch}`,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
  };
}
