import type { Figure } from './report.ts';
import type { Vocabulary } from './vocabulary.ts';

export async function runDiscordDelivery(_options: { seed: number; vocabulary: Vocabulary; messages: number }): Promise<Figure[]> {
  throw new Error('the Discord sender has not landed yet');
}
