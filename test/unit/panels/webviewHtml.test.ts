import * as assert from 'assert';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../../src/panels/webviewHtml';

describe('webview html', () => {
  it('allows only nonce’d scripts, our styles and fonts, and no unsafe-inline', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0NCE');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0NCE'/);
    assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-N0NCE'/);
    assert.match(csp, /font-src https:\/\/x\.vscode-cdn\.net/);
    assert.doesNotMatch(csp, /unsafe/);
  });

  it('builds a page whose only script carries the nonce; attributes are escaped', () => {
    const html = webviewHtml({
      app: 'samples',
      title: '"><script>',
      cspSource: 'src',
      nonce: 'abc',
      scriptUri: 'u/s.js',
      styleUri: 'u/s.css',
      codiconsUri: 'u/c.css',
    });
    assert.strictEqual(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc" src="u\/s.js"><\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=/);
    assert.match(html, /&quot;&gt;&lt;script&gt;/);
  });

  it('makes 32-character nonces', () => {
    assert.match(makeNonce(), /^[A-Za-z0-9_-]{32}$/);
    assert.notStrictEqual(makeNonce(), makeNonce());
  });
});
