import { createHash } from 'crypto';

/** sha256 of a text, in hex: names the input a file prepared at build time was made from. @internal */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
