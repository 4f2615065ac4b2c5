import { describe, expect, it } from 'vitest';
import { strategyFor, withIsolation } from './cachePolicy';

describe('service worker cache policy', () => {
  const scope = new URL('https://example.org/apps/cineseg/');
  const at = (path: string): URL => new URL(path, scope);

  it('serves hashed assets and versioned model files cache-first', () => {
    expect(strategyFor('GET', at('assets/index-AbC123.js'), scope)).toBe('cache-first');
    expect(strategyFor('GET', at('models/student/1.0.0/weights.bin'), scope)).toBe('cache-first');
  });

  it('serves the page, the model list and the sample network-first', () => {
    expect(strategyFor('GET', at('./'), scope)).toBe('network-first');
    expect(strategyFor('GET', at('index.html'), scope)).toBe('network-first');
    expect(strategyFor('GET', at('models/index.json'), scope)).toBe('network-first');
    expect(strategyFor('GET', at('sample/phantom_cine.nii.gz'), scope)).toBe('network-first');
  });

  it('leaves other origins, other paths and non-GET requests alone', () => {
    expect(strategyFor('GET', new URL('https://cdn.example.com/x.js'), scope)).toBe('bypass');
    expect(strategyFor('GET', new URL('https://example.org/other/'), scope)).toBe('bypass');
    expect(strategyFor('POST', at('assets/x.js'), scope)).toBe('bypass');
  });

  it('adds the cross-origin isolation headers and keeps the others', () => {
    const h = withIsolation(
      new Headers({ 'Content-Type': 'application/wasm', 'Cross-Origin-Opener-Policy': 'unsafe-none' }),
    );
    expect(h.get('content-type')).toBe('application/wasm');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(h.get('cross-origin-embedder-policy')).toBe('require-corp');
  });
});
