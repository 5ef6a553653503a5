// Learner voice: the safeguarding notice as the learner types, and the copy button of
// the receipt code. Everything also works without JavaScript (the server checks the
// keywords on submit and shows the same notice).
"use strict";
(() => {
  const data = document.getElementById("voice-keywords");
  const keywords = data ? JSON.parse(data.textContent || "[]") : [];
  const text = document.querySelector("[data-safeguarding-text]");
  const notice = document.getElementById("safeguarding");
  const confirm = document.querySelector("[data-safeguarding-confirm]");
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const patterns = keywords.map((k) => new RegExp("(^|[^\\p{L}\\p{N}_])" + escape(k), "u"));
  const check = () => {
    if (!(text instanceof HTMLTextAreaElement) || !notice) return;
    const value = text.value.toLowerCase();
    const hit = patterns.some((p) => p.test(value));
    if (hit && notice.hidden) {
      notice.hidden = false;
      if (confirm) confirm.hidden = false;
    }
  };
  text?.addEventListener("input", check);
  check();

  const copy = document.querySelector("[data-copy]");
  if (copy instanceof HTMLButtonElement && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", () => {
      const source = document.querySelector(copy.dataset.copy || "");
      navigator.clipboard.writeText(source?.textContent?.trim() || "").then(() => {
        const done = document.querySelector("[data-copied]");
        if (done) done.hidden = false;
      });
    });
  }
})();
