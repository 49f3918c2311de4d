// The location picker on the post and edit forms: tap the map or drag the pin, use the device's
// location, or search an address. Without JavaScript the typed address is looked up on submit.
import { boundsFrom, createMap, element } from "./map-common.js";

const container = document.getElementById("picker-map");
const form = container.closest("form");
const latInput = form.querySelector("#lat");
const lonInput = form.querySelector("#lon");
const addressInput = form.querySelector("#address");
const statusLine = form.querySelector("[data-picker-status]");
const results = form.querySelector("[data-picker-results]");
const data = container.dataset;

// Without JavaScript the form asks for an address only; with it, the map and its buttons appear
// (once the map exists: an empty box to tap would be worse than none).
container.hidden = false;
const map = createMap(container);
form.querySelector("[data-picker-keys]").hidden = false;
form.querySelector("#address-hint").textContent = data.labelHint;
let marker = null;

function choose(lat, lon, { pan = true } = {}) {
  latInput.value = lat.toFixed(6);
  lonInput.value = lon.toFixed(6);
  if (!marker) {
    marker = L.marker([lat, lon], { draggable: true, autoPan: true, title: data.labelMarker, alt: data.labelMarker });
    marker.on("dragend", () => {
      const point = marker.getLatLng();
      choose(point.lat, point.lng, { pan: false });
    });
    marker.addTo(map);
  } else {
    marker.setLatLng([lat, lon]);
  }
  if (pan) map.setView([lat, lon], Math.max(map.getZoom(), 16));
  announceBuurt(lat, lon);
}

// Say once where the pin landed, with its buurt (the status line is a live region, read out
// as it changes); without an answer, just that a spot is chosen (the form checks it on sending).
let asked = 0;
async function announceBuurt(lat, lon) {
  const question = ++asked;
  let said = data.labelChosen;
  try {
    const response = await fetch(`${data.buurtAt}?at=${lat.toFixed(6)},${lon.toFixed(6)}`);
    if (response.ok) {
      const [buurt] = (await response.json()).features;
      said = buurt
        ? `${data.labelChosenIn.replace("{buurt}", buurt.properties.name)} ${data.labelDrag}`
        : data.labelOutside;
    }
  } catch {
    // offline, or the server is away
  }
  if (question === asked) statusLine.textContent = said;
}

const start = data.lat && data.lon ? [Number(data.lat), Number(data.lon)] : null;
const area = boundsFrom(data.area);
if (start) { map.setView(start, 16); choose(start[0], start[1]); }
else if (area) { map.fitBounds(area); statusLine.textContent = data.labelNone; }
else { map.fitBounds([[50.75, 3.36], [53.56, 7.23]]); statusLine.textContent = data.labelNone; } // the Netherlands

map.on("click", (event) => choose(event.latlng.lat, event.latlng.lng, { pan: false }));

// Keyboard: the focused map moves with the arrow keys under a cross in its middle (Leaflet's own
// keyboard panning), and Enter or Space puts the pin at the cross.
container.addEventListener("keydown", (event) => {
  if (event.target !== container || (event.key !== "Enter" && event.key !== " ")) return;
  event.preventDefault();
  const centre = map.getCenter();
  choose(centre.lat, centre.lng, { pan: false });
});

const actions = form.querySelector("[data-picker-actions]");
actions.hidden = false;

const locateButton = form.querySelector("[data-picker-locate]");
if (!("geolocation" in navigator)) locateButton.hidden = true;
locateButton.addEventListener("click", () => {
  navigator.geolocation.getCurrentPosition(
    (position) => choose(position.coords.latitude, position.coords.longitude),
    () => { statusLine.textContent = data.labelLocationError; },
    { timeout: 10000, enableHighAccuracy: true },
  );
});

async function searchAddress() {
  const query = addressInput.value.trim();
  results.replaceChildren();
  if (query.length < 3) return;
  try {
    const response = await fetch(`${data.geocode}?q=${encodeURIComponent(query)}`);
    const body = await response.json();
    if (!response.ok) { statusLine.textContent = body.detail || data.labelNoResults; return; }
    if (!body.results.length) { statusLine.textContent = data.labelNoResults; return; }
    for (const place of body.results) {
      const button = element("button", place.label, { type: "button", class: "link-button" });
      button.addEventListener("click", () => { choose(place.lat, place.lon); results.replaceChildren(); });
      const item = element("li");
      item.append(button);
      results.append(item);
    }
    results.querySelector("button").focus();
  } catch {
    statusLine.textContent = data.labelNoResults;
  }
}

form.querySelector("[data-picker-search]").addEventListener("click", searchAddress);
addressInput.addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); searchAddress(); }
});

// The unit field gets a sensible example for the chosen kind of need.
form.querySelectorAll("select[id$='-kind']").forEach((select) => {
  select.addEventListener("change", () => {
    const unit = form.querySelector(`#${select.id.replace(/-kind$/, "-unit")}`);
    const hints = JSON.parse(form.dataset.unitHints || "{}");
    if (unit && !unit.value && hints[select.value]) unit.placeholder = hints[select.value];
  });
});
