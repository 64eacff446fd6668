// Imported first by the package's entry points: the compiled library's modules loaded after it (lib/**.js)
// compile through the code cache. Not from the TypeScript sources (tests, ts-node), whose modules are not lib/.
import * as path from 'path';
import { cacheCodeOf } from './code-cache';

if (__filename.endsWith('.js')) cacheCodeOf(path.resolve(__dirname, '..'));
