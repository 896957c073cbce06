import type { GuardrailCheckParameters } from '../protocol/guardrail-check-parameters.ts';
import { type CheckFunction, NO_TEXT, finding } from './guardrail-check-finding.ts';

/** Fence labels models use, by the format name Portkey's `format` parameter takes. */
const FENCE_LABELS: Readonly<Record<string, string>> = {
  sql: 'SQL',
  py: 'Python',
  python: 'Python',
  ts: 'TypeScript',
  typescript: 'TypeScript',
  js: 'JavaScript',
  javascript: 'JavaScript',
  java: 'Java',
  cs: 'C#',
  csharp: 'C#',
  'c#': 'C#',
  cpp: 'C++',
  'c++': 'C++',
  c: 'C',
  rb: 'Ruby',
  ruby: 'Ruby',
  php: 'PHP',
  swift: 'Swift',
  kt: 'Kotlin',
  kotlin: 'Kotlin',
  go: 'Go',
  golang: 'Go',
  rs: 'Rust',
  rust: 'Rust',
  scala: 'Scala',
  r: 'R',
  pl: 'Perl',
  perl: 'Perl',
  sh: 'Shell',
  bash: 'Shell',
  shell: 'Shell',
  zsh: 'Shell',
  html: 'HTML',
  css: 'CSS',
  xml: 'XML',
  json: 'JSON',
  yml: 'YAML',
  yaml: 'YAML',
  md: 'Markdown',
  markdown: 'Markdown',
  dockerfile: 'Dockerfile',
};

const CODE_BLOCK = /```([\w#+-]+)[^\S\n]*\n[\s\S]*?\n```/g;

/** Portkey's containsCode: a fenced code block labelled with the language (```python …```). */
export const containsCode: CheckFunction<GuardrailCheckParameters['containsCode']> = ({ format }, { text }) => {
  if (text === '') return NO_TEXT;
  const found = [...text.matchAll(CODE_BLOCK)].map((match) => {
    const label = (match[1] ?? '').toLowerCase();
    return FENCE_LABELS[label] ?? label;
  });
  const holds = found.includes(format);
  const explanation = found.length === 0 ? 'No fenced code blocks were found.' : holds ? `Found code in ${format}.` : `No code block is in ${format}.`;
  return finding(holds, explanation, { searchedFormat: format, foundFormats: found });
};

/** URLs as Portkey finds them: http or https up to the next whitespace. */
const URL_PATTERN = /https?:\/\/[^\s]*/g;
/** Punctuation that ends a sentence or closes a bracket after a URL, not part of it. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}>'"`]+$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

function isWellFormedUrl(candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  const host = url.hostname;
  if (host.startsWith('[') || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return true;
  const labels = host.split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  // A public name: dotted labels and an alphabetic top-level domain (`localhost` and bare words are not).
  return labels.length > 1 && labels.every((label) => HOST_LABEL.test(label)) && /^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/i.test(topLevel);
}

/**
 * Portkey's validUrls, without the network: every URL in the text is well formed (parses, with
 * a dotted host name and an alphabetic top-level domain, or an IP literal). Portkey fetches
 * each URL (or resolves its host with `onlyDNS`); a gateway that fetches hosts chosen by model
 * output could be steered at internal addresses, so Turnpike checks syntax only. Text without
 * URLs fails, whatever `not` says, as in Portkey.
 */
export const validUrls: CheckFunction<GuardrailCheckParameters['validUrls']> = (_parameters, { text }) => {
  if (text === '') return NO_TEXT;
  const urls = (text.match(URL_PATTERN) ?? []).map((url) => url.replace(TRAILING_PUNCTUATION, ''));
  if (urls.length === 0) {
    const message = 'No URLs were found in the text.';
    return { kind: 'fail', message, data: { explanation: message, urls: [] } };
  }
  const invalidUrls = urls.filter((url) => !isWellFormedUrl(url));
  const holds = invalidUrls.length === 0;
  return finding(holds, holds ? 'Every URL is well formed.' : 'Some URLs are malformed.', {
    urls,
    invalidUrls,
    validationMethod: 'syntax',
  });
};
