// Quick hide: the "Hide screen" button, or Escape pressed twice, swaps the page for a neutral one.
// Nothing is fetched, so it works offline. While hidden, the back button cannot bring the app back:
// the hidden state is kept for this tab, and every page of the app opens as the neutral page until
// the person uses the neutral page's own "Return to the app" button.
const FLAG = "quickhide";
const NEUTRAL_URL = "/";
const NEUTRAL_TITLE = "Times tables";
const DOUBLE_PRESS_MS = 1000;

let saved = null; // the page as it was (in memory only), so that half-typed text is not lost
let lastEscape = -Infinity;

function remember(on) {
  try {
    if (on) sessionStorage.setItem(FLAG, "1");
    else sessionStorage.removeItem(FLAG);
  } catch (_) { /* storage may be off: hiding still works for this page */ }
}

function isHidden() {
  try { return sessionStorage.getItem(FLAG) === "1"; } catch (_) { return false; }
}

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function neutralPage() {
  const rows = [];
  for (let n = 1; n <= 12; n += 1) rows.push(element("li", { textContent: `${n} × 7 = ${n * 7}` }));
  const back = element("button", { type: "button", className: "quick-return", textContent: "Return to the app" });
  back.dataset.quickReturn = "";
  return element("main", { className: "quick-hidden-page" }, [
    element("h1", { textContent: NEUTRAL_TITLE }),
    element("p", { textContent: "The seven times table." }),
    element("ul", { className: "times-table" }, rows),
    element("p", {}, [back]),
  ]);
}

function setThemeColour(colour) {
  const meta = document.querySelector('meta[name="theme-color"]');
  if (meta) {
    meta.dataset.appColour = meta.dataset.appColour || meta.content;
    meta.content = colour || meta.dataset.appColour;
  }
}

function showNeutral() {
  if (!document.body.classList.contains("quick-hidden")) {
    saved = saved || { nodes: [...document.body.childNodes], bodyClass: document.body.className,
      title: document.title, url: location.href };
    document.body.replaceChildren(neutralPage());
    document.body.className = "quick-hidden";
  }
  document.title = NEUTRAL_TITLE;
  setThemeColour("#ffffff");
  window.scrollTo(0, 0);
}

/** Replace the screen with the neutral page and keep the history from leading back to the app. */
export function hide() {
  remember(true);
  showNeutral();
  history.replaceState({ quickHidden: true }, "", NEUTRAL_URL);
  history.pushState({ quickHidden: true }, "", NEUTRAL_URL);
}

/** Bring the app back: the page as it was if it is still in memory, otherwise the home page. */
export function reveal() {
  remember(false);
  if (!saved) {
    location.assign(NEUTRAL_URL);
    return;
  }
  document.body.replaceChildren(...saved.nodes);
  document.body.className = saved.bodyClass;
  document.title = saved.title;
  setThemeColour(null);
  history.replaceState(null, "", saved.url);
  saved = null;
}

function onKey(event) {
  if (event.key !== "Escape" || event.repeat) return;
  if (event.timeStamp - lastEscape <= DOUBLE_PRESS_MS) {
    lastEscape = -Infinity;
    hide();
  } else {
    lastEscape = event.timeStamp;
  }
}

function onClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest("[data-quick-hide]")) {
    event.preventDefault();
    hide();
  } else if (target?.closest("[data-quick-return]")) {
    event.preventDefault();
    reveal();
  }
}

function install() {
  if (window.quickHideInstalled) return;
  window.quickHideInstalled = true;
  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  // Going back inside this page: stay neutral and put the neutral entry back on top.
  window.addEventListener("popstate", () => {
    if (!isHidden()) return;
    showNeutral();
    history.pushState({ quickHidden: true }, "", NEUTRAL_URL);
  });
  // Going back to an earlier page of the app (or one restored from the back-forward cache).
  window.addEventListener("pageshow", () => {
    if (!isHidden()) return;
    showNeutral();
    history.replaceState({ quickHidden: true }, "", NEUTRAL_URL);
  });
  if (isHidden()) {
    showNeutral();
    history.replaceState({ quickHidden: true }, "", NEUTRAL_URL);
  }
}

install();
