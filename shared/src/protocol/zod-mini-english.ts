import { en } from 'zod/locales';
import { config } from 'zod/mini';

// zod/mini is the tree-shakable build of zod: a Lambda bundle holds only the validators it
// uses (about 20 KB instead of the whole 440 KB library). It loads no locale, so without this
// every issue would read "Invalid input"; English is what the full build loads by default, and
// the Config error messages are worded on top of it. Import zod as `import * as z from
// './zod-mini-english.ts'`: the namespace import is what lets esbuild drop the validators nobody
// calls (a named `{ z }` import keeps them all), and importing this file sets the locale first.
config(en());

export * from 'zod/mini';
