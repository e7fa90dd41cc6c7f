import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const APP = join(ROOT, 'dist', 'app.factory.js');

/**
 * Loads the built gateway's modules (and `extra` first) in a fresh process and lists the loaded
 * files that subclass String. One such class anywhere turns off V8's fast paths for string
 * reads in the whole process: with ioredis 6 loaded (its RESP3 VerbatimString), charCodeAt ran
 * 5x and startsWith 3x slower, and a memory search at 100,000 memories took twice as long.
 */
function stringSubclasses(extra?: string): string[] {
  const script = `
    ${extra === undefined ? '' : `require(${JSON.stringify(extra)});`}
    require(${JSON.stringify(APP)});
    const { readFileSync } = require('node:fs');
    const found = Object.keys(require.cache).filter((file) =>
      /\\bextends\\s+String\\b/.test(readFileSync(file, 'utf8')));
    process.stdout.write(JSON.stringify(found));`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }),
  );
}

describe('modules the gateway loads', () => {
  beforeAll(() => {
    if (!existsSync(APP)) {
      throw new Error(`${APP} is missing: run "npm run build" first (npm test does it in pretest)`);
    }
  });

  it('should find a String subclass when one is loaded', () => {
    const fixture = join(__dirname, 'fixtures', 'string-subclass.js');
    expect(stringSubclasses(fixture)).toEqual([fixture]);
  });

  it('should subclass String nowhere', () => {
    expect(stringSubclasses()).toEqual([]);
  });
});
