/**
 * Seeded mistakes: copies of the examples with one error each must give exactly one
 * precise error at the right place (plus no cascade).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../src/check/check.ts';
import { memoryHost } from '../../src/check/host.ts';

function mutate(path: string, from: string, to: string): string {
  const text = readFileSync(path, 'utf8');
  expect(text.includes(from), `${path} contains ${from}`).toBe(true);
  return text.replace(from, to);
}

function errorsOf(files: Record<string, string>, main: string, entry?: string, bind?: Record<string, number>) {
  const r = checkProgram(main, memoryHost(files), { entry, bindings: new Map(Object.entries(bind ?? {})) });
  return r.diagnostics.filter((d) => d.severity === 'error');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('seeded mistakes in the examples', () => {
  it('googlenet: a wrong channel count is reported at the annotation it breaks', () => {
    const text = mutate('examples/googlenet.net', 'InceptionBN(128, (128, 192), (32, 96), 64, k3=k3)', 'InceptionBN(128, (128, 192), (32, 64), 64, k3=k3)');
    const errors = errorsOf({ 'googlenet.net': text }, 'googlenet.net');
    expect(errors.map((d) => d.code)).toEqual(['NET2101']);
    expect(errors[0]!.span.start.line).toBe(lineOf(text, 'i3: [1, 480, 28, 28]'));
    expect(errors[0]!.span.start.column).toBe(7);
    expect(errors[0]!.message).toBe('i3 has shape [1, 448, 28, 28], but its annotation says [1, 480, 28, 28]');
  });

  it('unet3d: an odd size bound on the command line fails at the first level that needs it', () => {
    const text = readFileSync('examples/unet3d.net', 'utf8');
    const errors = errorsOf({ 'unet3d.net': text }, 'unet3d.net', 'UNet3D', { D: 60, H: 64, W: 64 });
    // D = 60 halves to 30 and 15: the three pools of enc2-enc4 need D divisible by 8, which
    // is the one error, at the call of the level that needs it most, with sizes that work.
    expect(errors.map((d) => d.code)).toEqual(['NET2107']);
    const e = errors[0]!;
    expect(e.span.file).toBe('unet3d.net');
    expect(e.span.start.line).toBe(lineOf(text, 'enc4: Down3d(256, 512)'));
    expect(e.message).toBe('D must be divisible by 8, but D = 60 is not; 56 or 64 would work');
    expect(e.related.map((r) => r.message)).toEqual(['D must be divisible by 2 for enc2', 'D must be divisible by 4 for enc3']);
  });

  it('dcgan: wrong padding in one transposed convolution', () => {
    const text = mutate('examples/dcgan.net', 'conv_transpose(ngf * 2, k=4, stride=2, pad=1, bias=false)', 'conv_transpose(ngf * 2, k=4, stride=2, pad=0, bias=false)');
    const errors = errorsOf({ 'dcgan.net': text }, 'dcgan.net');
    expect(errors.map((d) => d.code)).toEqual(['NET2101']);
    expect(errors[0]!.span.start.line).toBe(lineOf(text, 'out image: [N, nc, 64, 64]'));
    expect(errors[0]!.message).toContain('[N, 3, 72, 72]');
  });

  it('resnet50: a wrong stride in a shortcut is reported at the residual add, with the instance chain', () => {
    const resnet = mutate('src/std/resnet.net', 'conv(4 * planes, k=1, stride=stride, bias=false)', 'conv(4 * planes, k=1, stride=1, bias=false)');
    const text = readFileSync('examples/resnet50.net', 'utf8');
    const r = checkProgram('resnet50.net', memoryHost({ 'resnet50.net': text, 'std/resnet.net': resnet }), {});
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['NET2002']);
    const e = errors[0]!;
    // Reported at the call in the checked file; the block's line is the first related location.
    expect(e.span.file).toBe('resnet50.net');
    expect(e.span.start.line).toBe(lineOf(text, 'layer2: repeat 4'));
    expect(e.related[0]!.span.file).toBe('std/resnet.net');
    expect(e.related[0]!.span.start.line).toBe(lineOf(resnet, 'out relu(residual + shortcut)'));
    expect(e.related[0]!.span.start.column).toBe(12);
    expect(e.related[0]!.message).toContain('layer2.0 = Bottleneck(...)');
    expect(e.instances).toEqual([]);
  });

  it('resnet50: a missing projection is a channel mismatch in layer1.0', () => {
    const text = mutate('examples/resnet50.net', 'Bottleneck(64)', 'Bottleneck(64, project=false)');
    const errors = errorsOf({ 'resnet50.net': text }, 'resnet50.net');
    expect(errors.map((d) => d.code)).toEqual(['NET2001']);
    expect(errors[0]!.span.start.line).toBe(lineOf(text, 'layer1: repeat 3'));
    expect(errors[0]!.related[0]!.message).toContain('inside layer1.0 = Bottleneck(...)');
  });
});
