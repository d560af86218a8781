// The HTML shell of every webview, with its Content Security Policy. Pure, so the
// browser tests load the bundles through exactly this page and this policy.
//   scripts: only ours, by nonce; styles: our bundle's files and nonce'd tags (the
//   toolkit's styles are constructed stylesheets, which CSP does not govern, and its one
//   <style> probe reads the nonce from meta[property=csp-nonce]); fonts: codicons from
//   the extension's dist/. No 'unsafe-inline', no inline handlers anywhere. The toolkit's
//   <vscode-badge> writes a style attribute the policy blocks: we use our own .badge.
import { randomBytes } from 'crypto';
import type { AppName } from '../contract/messages';

export interface WebviewHtmlOptions {
  /** Names dist/webview/<app>.js; the playground speaks its own contract (contract/playground.ts). */
  app: AppName | 'playground';
  title: string;
  /** webview.cspSource: the origin of the extension's local resources. */
  cspSource: string;
  nonce: string;
  /** URIs (as strings) of dist/webview/<app>.js, dist/webview/<app>.css and dist/codicons/codicon.css. */
  scriptUri: string;
  styleUri?: string;
  codiconsUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function makeNonce(): string {
  // 24 random bytes from the OS generator, base64url: 32 characters, unguessable.
  return randomBytes(24).toString('base64url');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function webviewHtml(o: WebviewHtmlOptions): string {
  const style = o.styleUri ? `<link rel="stylesheet" href="${attr(o.styleUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta property="csp-nonce" content="${attr(o.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.codiconsUri)}" id="vscode-codicon-stylesheet">
${style}
<title>${attr(o.title)}</title>
</head>
<body data-app="${attr(o.app)}">
<div id="app"></div>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
