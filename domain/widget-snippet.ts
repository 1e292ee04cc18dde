/**
 * The embed code a site owner copies (the admin's widget page, docs/embedding.md and the bench use these).
 * - `tag`: the one `<script async>` tag. The browser fetches it while the page loads, so the page's `load` event
 *   waits for it (one small request: on a light page, that request is what the page waits for).
 * - `afterLoad`: a few lines that add the same tag once the page has loaded, so the widget never delays the
 *   page's `load` event (the launcher appears a moment later). Parley's recommended form.
 */
export function widgetSnippets(desk: string, channel: string): { tag: string; afterLoad: string } {
  // The channel in the URL lets the desk send the launcher's look with the script (one request, not two).
  const src = `${desk}/widget.js?channel=${encodeURIComponent(channel)}`;
  const close = '</' + 'script>'; // never a closing tag in a script that holds this text
  return {
    tag: `<script src="${src}" data-parley-channel="${channel}" async>${close}`,
    afterLoad: [
      '<script>',
      '  (function (w, d) {',
      `    function load() { var s = d.createElement('script'); s.src = '${src}'; s.async = true; s.setAttribute('data-parley-channel', '${channel}'); d.body.appendChild(s); }`,
      "    if (d.readyState === 'complete') load(); else w.addEventListener('load', load);",
      '  })(window, document);',
      close,
    ].join('\n'),
  };
}
