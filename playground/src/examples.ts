/**
 * The menu of examples and standard-library blocks, bundled as text, with the sizes each
 * example needs bound to build (its README's `--bind`).
 */
import { EXAMPLES, STD_FILES } from 'virtual:netc-sources';

export interface MenuEntry {
  label: string;
  file: string;
  text: string;
  bindings: string;
  entry: string;
}

const BINDINGS: Record<string, string> = { 'dcgan.net': 'N=1', 'unet3d.net': 'D=64,H=64,W=64' };
/** Files with several networks: the one the examples' README uses. */
const ENTRIES: Record<string, string> = { 'unet3d.net': 'UNet3D', 'fcn.net': 'FCN32s' };

export function menuEntries(): MenuEntry[] {
  const ex = Object.entries(EXAMPLES).map(([file, text]) => ({ label: file.replace(/\.net$/, ''), file, text, bindings: BINDINGS[file] ?? '', entry: ENTRIES[file] ?? '' }));
  const std = Object.entries(STD_FILES).map(([file, text]) => ({ label: `std/${file.replace(/\.net$/, '')}`, file: `std-${file}`, text, bindings: '', entry: '' }));
  return [...ex, ...std];
}
