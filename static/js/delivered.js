// What a person is told once the school has their items: one sentence per kind, with the number
// they will find it by and a link to where it is listed. Every route to "sent" uses these words.

const CHAIR = "chair";  // a concern about the headteacher: only the chair of governors sees it

const KINDS = {
  concern: {
    one: "concern", many: "concerns", numbered: true, link: ["My concerns", "/concerns/mine"],
    reaches: (plural, to) => (to === CHAIR
      ? `${plural ? "are" : "is"} kept for the chair of governors alone`
      : `${plural ? "have" : "has"} reached ${to ? "the DSLs" : "the school"}`),
  },
  device_request: {
    one: "request", many: "requests", numbered: true, link: ["My requests", "/requests/mine"],
    reaches: (plural) => `${plural ? "have" : "has"} reached the headteacher`,
  },
  decision: {
    one: "decision", many: "decisions", link: ["Requests to decide", "/requests/decisions"],
    reaches: (plural) => `${plural ? "have" : "has"} been recorded`,
  },
  case_event: {
    one: "case entry", many: "case entries", link: ["The concern queue", "/concerns/queue"],
    reaches: (plural) => `${plural ? "have" : "has"} been added to the case${plural ? "s" : ""}`,
  },
  declaration: {
    one: "declaration", many: "declarations", link: ["My declarations", "/declarations/mine"],
    reaches: (plural) => `${plural ? "have" : "has"} reached the DSLs`,
  },
};
const OTHER = { one: "item", many: "items", link: ["Home", "/"], reaches: (plural) => `${plural ? "have" : "has"} reached the school` };

function list(numbers) {
  return numbers.length === 1 ? `${numbers[0]}` : `${numbers.slice(0, -1).join(", ")} and ${numbers.at(-1)}`;
}

function sentence(words, items, to) {
  const numbers = items.map((i) => i.number).filter((n) => Number.isInteger(n));
  const plural = items.length > 1;
  let what;
  if (words.numbered && numbers.length === items.length && items.length <= 5) {
    what = `${words.one} number${plural ? "s" : ""} ${list(numbers)}`;
  } else {
    what = plural ? `${items.length} ${words.many}` : `your ${words.one}`;
  }
  return `Sent — ${what} ${words.reaches(plural, to)}.`;
}

/**
 * Return what to tell the person about these delivered items ({id, kind, number}), as lines of
 * {text, label, href}; `reaches` maps an item id to where this page knows it went ("dsl" or "chair").
 */
export function sentences(items, reaches = new Map()) {
  const groups = new Map();
  for (const item of items) {
    const to = item.kind === "concern" ? reaches.get(item.id) : undefined;
    const key = `${item.kind}|${to || ""}`;
    if (!groups.has(key)) groups.set(key, { kind: item.kind, to, items: [] });
    groups.get(key).items.push(item);
  }
  return [...groups.values()].map(({ kind, to, items: these }) => {
    const words = KINDS[kind] || OTHER;
    return { text: sentence(words, these, to), label: words.link[0], href: words.link[1] };
  });
}

/** Return the nodes of these lines: each sentence, then a link to where the items are listed. */
export function linesOf(lines) {
  return lines.flatMap((line, i) => [...(i ? [" "] : []), `${line.text} `,
    Object.assign(document.createElement("a"), { textContent: line.label, href: line.href })]);
}

/** Put these lines into an element, in place of what it held. */
export function showLines(element, lines) {
  element.replaceChildren(...linesOf(lines));
}
