/**
 * The source in the URL: `#src=<base64url of deflate-raw of the text>&file=...&bind=...`, so
 * a link reproduces what was typed. Compression keeps GoogLeNet's link near 2 KB.
 */

export interface UrlState {
  text: string;
  file: string;
  bind: string;
  entry: string;
}

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([new Uint8Array(data)]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

const toB64 = (b: Uint8Array): string => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64 = (s: string): Uint8Array => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

export async function writeUrl(s: UrlState): Promise<void> {
  const packed = toB64(await pipe(new TextEncoder().encode(s.text), new CompressionStream('deflate-raw')));
  const params = new URLSearchParams({ file: s.file, bind: s.bind, entry: s.entry, src: packed });
  history.replaceState(null, '', `#${params.toString()}`);
}

export async function readUrl(): Promise<UrlState | undefined> {
  const params = new URLSearchParams(location.hash.slice(1));
  const src = params.get('src');
  if (!src) return undefined;
  try {
    const text = new TextDecoder().decode(await pipe(fromB64(src), new DecompressionStream('deflate-raw')));
    return { text, file: params.get('file') ?? 'model.net', bind: params.get('bind') ?? '', entry: params.get('entry') ?? '' };
  } catch {
    return undefined;
  }
}
