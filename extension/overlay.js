// The layout-shift overlay, injected into a tab only when the popup switches it on
// (scripting.executeScript; nothing of it is in the page before). It draws each shift's
// previous (dashed) and current (solid) rectangles with its number and score, and lists the
// shifts in time order with their elements' selectors. It cannot move the page's layout or
// take its input: one fixed, full-viewport host with `pointer-events: none`, `contain:
// strict`, its content in a shadow root. The `hide` command removes it completely.
// Rectangles are viewport coordinates at the time of each shift.
globalThis.pageVitalsOverlay ??= (() => {
  const HOST = 'pagevitals-overlay';
  const STYLE = `
    :host { all: initial; }
    .box { position: absolute; box-sizing: border-box; }
    .previous { border: 2px dashed #1a73e8; background: rgba(26, 115, 232, 0.08); }
    .current { border: 2px solid #d93025; background: rgba(217, 48, 37, 0.12); }
    .dim { opacity: 0.25; }
    .picked { border-width: 4px; opacity: 1; }
    .tag { position: absolute; font: 600 11px/1.3 system-ui, sans-serif; color: #fff;
      background: #d93025; padding: 1px 4px; border-radius: 3px; white-space: nowrap; }
    .panel { position: absolute; right: 8px; bottom: 8px; max-width: min(420px, 90vw);
      max-height: 40vh; overflow: hidden; font: 12px/1.4 system-ui, sans-serif; color: #202124;
      background: rgba(255, 255, 255, 0.95); border: 1px solid #9aa0a6; border-radius: 6px;
      padding: 6px 8px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.2); }
    .panel h2 { font-size: 12px; margin: 0 0 4px; }
    .panel ol { margin: 0; padding-left: 18px; }
    .panel li.picked-item { font-weight: 700; color: #d93025; }
  `;
  let host = null;

  function hide() {
    host?.remove();
    host = null;
  }

  function el(root, tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    root.append(node);
    return node;
  }

  function box(root, rect, className) {
    const node = el(root, 'div', `box ${className}`);
    Object.assign(node.style, {
      left: `${rect.x}px`,
      top: `${rect.y}px`,
      width: `${rect.width}px`,
      height: `${rect.height}px`,
    });
    return node;
  }

  function show({ shifts = [], picked = null, unsupported = false }) {
    hide();
    host = document.createElement(HOST);
    // Inline and !important so that no page style can move it into the layout.
    host.style.cssText =
      'all: initial !important; position: fixed !important; inset: 0 !important; ' +
      'z-index: 2147483647 !important; pointer-events: none !important; contain: strict !important; ' +
      'display: block !important;';
    const root = host.attachShadow({ mode: 'open' });
    el(root, 'style', null, STYLE);
    for (const shift of shifts) {
      const state = picked === null ? '' : shift.number === picked ? 'picked' : 'dim';
      for (const element of shift.elements) {
        box(root, element.previous, `previous ${state}`).dataset.shift = shift.number;
        const current = box(root, element.current, `current ${state}`);
        current.dataset.shift = shift.number;
      }
      const first = shift.elements[0]?.current;
      if (first) {
        const tag = el(root, 'div', `tag ${state}`, `#${shift.number} ${shift.score.toFixed(3)}`);
        Object.assign(tag.style, { left: `${first.x}px`, top: `${Math.max(first.y - 16, 0)}px` });
      }
    }
    const panel = el(root, 'div', 'panel');
    panel.setAttribute('role', 'status');
    el(panel, 'h2', null, 'PageVitals: layout shifts');
    if (unsupported) {
      el(panel, 'p', 'unsupported', 'This browser does not report layout shifts, so there is nothing to draw.');
    } else if (!shifts.length) {
      el(panel, 'p', 'empty', 'No layout shifts so far.');
    } else {
      const list = el(panel, 'ol');
      for (const shift of shifts) {
        el(list, 'li', shift.number === picked ? 'picked-item' : '', shift.label);
      }
    }
    document.documentElement.append(host);
  }

  return (command) => {
    if (command?.action === 'show') show(command);
    else hide();
    return true;
  };
})();
// The file's completion value is what executeScript reports back: keep it cloneable.
undefined;
