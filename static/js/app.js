// Progressive enhancement for every page. Pages work without it when online.
import "quickhide";

document.documentElement.classList.add("js");

const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();
