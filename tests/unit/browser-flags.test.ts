// The flags added to a browser launched with its own flags (CHROME_FLAGS, without Playwright's defaults).
import { describe, expect, it } from 'vitest';
import { withNetworkFeaturesOff } from '../../src/cli/browser';

describe('withNetworkFeaturesOff', () => {
  it('turns off the features that reach out by themselves, as one --disable-features', () => {
    const flags = withNetworkFeaturesOff(['--headless=new']);
    const off = flags.filter((f) => f.startsWith('--disable-features='));
    expect(off).toHaveLength(1);
    expect(off[0]!.split('=')[1]!.split(',')).toContain('NetworkTimeServiceQuerying');
  });

  it('keeps the features the flags already turned off (Chromium reads only the last --disable-features)', () => {
    const flags = withNetworkFeaturesOff(['--disable-features=Foo,Bar', '--headless=new', '--disable-features=Baz']);
    const off = flags.filter((f) => f.startsWith('--disable-features='));
    expect(off).toHaveLength(1);
    expect(off[0]!.split('=')[1]!.split(',')).toEqual(expect.arrayContaining(['Foo', 'Bar', 'Baz', 'NetworkTimeServiceQuerying', 'OptimizationHints']));
    expect(flags).toContain('--headless=new');
  });
});
