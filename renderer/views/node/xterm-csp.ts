// xterm.js's DOM renderer styles itself through <style> elements whose text it
// writes at run time (cell size, theme colours, scrollbar). Bramble's CSP
// (style-src 'self', no 'unsafe-inline') rightly refuses to apply those. Rather
// than loosen the policy, their text is mirrored into constructed stylesheets
// (document.adoptedStyleSheets), which come from our own script and are not
// inline markup, so the CSP allows them. The refused <style> elements stay
// (xterm owns them) and the browser logs one CSP report per update.
export function mirrorXtermStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = () => {
    for (const el of root.querySelectorAll('style')) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(el.textContent ?? '');
    }
    for (const [el, sheet] of sheets) {
      if (!root.contains(el)) drop(el, sheet);
    }
  };
  const drop = (el: HTMLStyleElement, sheet: CSSStyleSheet) => {
    sheets.delete(el);
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    for (const [el, sheet] of sheets) drop(el, sheet);
  };
}
