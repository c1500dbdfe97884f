// The pieces that keep the renderer locked in: which frames may call IPC, which
// files the app:// protocol and dev bridge will serve, and one CSP everywhere.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRendererFile } from '../../electron/renderer-files';
import { CONTENT_SECURITY_POLICY } from '../../electron/security-policy';
import { APP_ENTRY_URL, isSameFrame, isTrustedSender } from '../../electron/sender-check';

describe('sender check', () => {
  it('trusts only the top frame of the app:// page', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL })).toBe(true);
    expect(isTrustedSender({ url: 'app://bramble/assets/x.js' })).toBe(true);
    expect(isTrustedSender({ url: 'app://evil/index.html' })).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5173/' })).toBe(false);
    expect(isTrustedSender({ url: 'not a url' })).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
  it('identifies a frame by process and routing id', () => {
    expect(isSameFrame({ url: '', processId: 4, routingId: 1 }, { url: '', processId: 4, routingId: 1 })).toBe(true);
    expect(isSameFrame({ url: '', processId: 4, routingId: 2 }, { url: '', processId: 4, routingId: 1 })).toBe(false);
    expect(isSameFrame({ url: '' }, { url: '' })).toBe(false);
  });
});

describe('renderer files', () => {
  const root = '/opt/bramble/renderer';
  it('serves index.html for the root and files below the folder', () => {
    expect(resolveRendererFile(root, '/')).toBe(`${root}/index.html`);
    expect(resolveRendererFile(root, '/assets/index-1.js')).toBe(`${root}/assets/index-1.js`);
  });
  it('refuses paths that climb out, encoded or not, and NUL bytes', () => {
    for (const bad of ['/../secret', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x', '/a%00b', '/%E0%A4%A']) {
      expect(resolveRendererFile(root, bad), bad).toBeUndefined();
    }
  });
});

describe('content security policy', () => {
  it('is the same in renderer/index.html as in the headers, and forbids inline script and remote code', () => {
    const html = readFileSync(path.resolve('renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});
