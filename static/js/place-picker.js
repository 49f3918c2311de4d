// Buurt and gemeente pickers: suggestions while typing, as an ARIA 1.2 combobox with a listbox.
// The text box works without this script too (the server resolves what was typed), so all this
// adds is the list; the chosen code goes into the hidden "<name>-keuze" input.
const DELAY_MS = 150;

function enhance(picker, index) {
  const input = picker.querySelector('input[type="text"]');
  const listId = `${input.id}-suggestions`;
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "place-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.labels[0]?.textContent.trim() || "");
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  picker.append(list, status);

  let choice = picker.querySelector("[data-place-choice]");
  const choiceName = `${input.name}-keuze`;
  function hiddenChoice() {
    // After a search without JavaScript the matches are radio buttons; a suggestion replaces them.
    picker.querySelector(".place-candidates")?.remove();
    if (!choice) {
      choice = document.createElement("input");
      choice.type = "hidden";
      choice.name = choiceName;
      choice.dataset.placeChoice = "";
      picker.append(choice);
    }
    return choice;
  }

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  let results = [];
  let active = -1;
  let timer = null;
  let pending = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(position) {
    active = position;
    [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      const option = list.children[active];
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(position) {
    const result = results[position];
    if (!result) return;
    input.value = result.label;
    hiddenChoice().value = result.code;
    close();
    input.dispatchEvent(new CustomEvent("place-chosen", { bubbles: true, detail: result }));
  }

  function show(found) {
    results = found;
    list.replaceChildren(...found.map((result, i) => {
      const option = document.createElement("li");
      option.id = `${listId}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = result.label;
      const detail = [result.wijk, result.postcode].filter(Boolean).join(" · ");
      if (detail) {
        const hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = ` ${detail}`;
        option.append(hint);
      }
      // Chosen on pointerdown, before the text box loses focus and closes the list.
      option.addEventListener("pointerdown", (event) => { event.preventDefault(); choose(i); });
      return option;
    }));
    const open = found.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    highlight(-1);
    status.textContent = open
      ? (found.length === 1 ? picker.dataset.labelCountOne
        : picker.dataset.labelCount.replace("{count}", found.length))
      : picker.dataset.labelNone;
  }

  async function search() {
    const text = input.value.trim();
    if (pending) pending.abort();
    if (text.length < 2) { show([]); status.textContent = ""; return; }
    pending = new AbortController();
    const url = new URL(picker.dataset.source, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;  // the form still works: the server resolves the text on submit
      show((await response.json()).results);
    } catch (error) {
      if (error.name !== "AbortError") show([]);
    }
  }

  input.addEventListener("input", () => {
    // What was chosen before no longer holds once the words change.
    if (choice) choice.value = "";
    picker.querySelectorAll(".place-candidates input:checked").forEach((radio) => { radio.checked = false; });
    clearTimeout(timer);
    timer = setTimeout(search, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && results.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { search(); return; }
      highlight((active + 1) % results.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  picker.dataset.enhanced = String(index);
}

document.querySelectorAll("[data-place-picker]").forEach(enhance);

// "Near me" beside a buurt search: go to the buurt at the device's position.
document.querySelectorAll("[data-locate-buurt]").forEach((button) => {
  if (!("geolocation" in navigator)) return;
  const status = button.closest("form")?.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(button.dataset.target, window.location.href);
        url.searchParams.set("plek", `${position.coords.latitude.toFixed(5)},${position.coords.longitude.toFixed(5)}`);
        window.location.assign(url);
      },
      () => { if (status) status.textContent = button.dataset.labelError; },
      { timeout: 10000 },
    );
  });
});
