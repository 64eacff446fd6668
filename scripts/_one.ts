import * as path from 'path';
import { synthExample, ROOT } from './examples';
const n = process.argv[2];
for (const f of synthExample(n, path.join(ROOT, 'dist', 'examples', n))) console.log(f);
