import type { types } from '@slack/bolt';
import { toFeedDate } from '../../clock.ts';
import type { Block } from './block-text.ts';
import { clip, escapeMrkdwn, mrkdwnLink } from './escape-mrkdwn.ts';
import { MAX_BLOCKS_PER_VIEW, MAX_CONTEXT_TEXT, MAX_HOME_ALERTS, MAX_HOME_WATCHES } from './limits.ts';
import type { RecentAlert } from './recent-alerts.ts';
import { section } from './render-paper.ts';

export const HOME_REMOVE_ACTION = 'paperboy_home_remove';

type HomeWatch = { id: number; query: string; createdAt: number };

const help = [
  '*How to use paperboy*',
  '• `/papers today`: the latest day of Hugging Face Daily Papers',
  '• `/papers search diffusion -survey`: search every stored paper',
  '• `/papers watch "state space" OR mamba`: a DM when a new paper matches (one per feed update)',
  '• `/papers digest set time=09:00 tz=Europe/Berlin top=10`: a daily post in this channel (admins)',
  '• `/papers help`: everything else, including the query language',
].join('\n');

/** The App Home tab: the user's watches (each with a Remove button), recent alerts, short help. */
export function renderHome(watches: HomeWatch[], alerts: RecentAlert[]): types.HomeView {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: 'paperboy: your papers' } }];
  blocks.push(section(`*Your watches* (${watches.length})`));
  if (watches.length === 0) {
    blocks.push(section('No watches yet. Add one with `/papers watch <query>`: you get a DM when a new paper matches it.'));
  }
  watches.slice(0, MAX_HOME_WATCHES).forEach((watch, i) => {
    blocks.push(section(`${i + 1}. \`${escapeMrkdwn(clip(watch.query, 500))}\``, removeButton(watch)));
  });
  if (watches.length > MAX_HOME_WATCHES) {
    blocks.push(context(`…and ${watches.length - MAX_HOME_WATCHES} more: \`/papers watches\` lists them all.`));
  }
  blocks.push({ type: 'divider' }, section('*Recent alerts*'));
  if (alerts.length === 0) blocks.push(context('No alerts yet. They appear here after a new paper matches one of your watches.'));
  for (const alert of alerts.slice(0, MAX_HOME_ALERTS)) {
    const day = toFeedDate(alert.sentAt);
    const links = alert.message.papers.slice(0, 5).map((paper) => `• ${mrkdwnLink(paper.url, clip(paper.title, 150))}${paper.match ? ` (_${escapeMrkdwn(clip(paper.match.watch, 80))}_)` : ''}`);
    const more = alert.message.papers.length > 5 ? `\n…and ${alert.message.papers.length - 5} more` : '';
    blocks.push(section(`*${day}*: ${escapeMrkdwn(clip(alert.message.title ?? 'Alert', 150))}\n${links.join('\n')}${more}`));
  }
  blocks.push({ type: 'divider' }, section(help));
  return { type: 'home', blocks: blocks.slice(0, MAX_BLOCKS_PER_VIEW) };
}

function removeButton(watch: HomeWatch): types.Button {
  return {
    type: 'button',
    action_id: HOME_REMOVE_ACTION,
    text: { type: 'plain_text', text: 'Remove' },
    value: String(watch.id),
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'Remove this watch?' },
      text: { type: 'mrkdwn', text: `No more alerts for \`${escapeMrkdwn(clip(watch.query, 200))}\`.` },
      confirm: { type: 'plain_text', text: 'Remove' },
      deny: { type: 'plain_text', text: 'Keep' },
    },
  };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, MAX_CONTEXT_TEXT) }] };
}
