// The map page: clusters and pins for the listings in view, loaded per tile as the map moves,
// with the same filters as the list beside it; buurt outlines as an optional layer; "near me" for the filter form.
import { boundsFrom, createMap, element, kindIcon } from "./map-common.js";

const container = document.getElementById("listing-map");
const statusLine = document.getElementById("map-status");
const labels = JSON.parse(container.dataset.kindLabels || "{}");
const plurals = JSON.parse(container.dataset.kindPlurals || "{}");

const map = createMap(container);
// Pins that lie close together are grouped in the browser; clusters come from the server.
const pinLayer = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
const clusterLayer = L.layerGroup();
map.addLayer(pinLayer);
map.addLayer(clusterLayer);

const outlineByCode = new Map();
// Each outline opens its buurt: a tap inside shows the name and a link to the buurt page (the
// buurt index and the list give the same by keyboard). Outlines are kept by code and only added
// or dropped as the map moves, never all redrawn: an open popup stays open while a pan that
// brings it into view loads the outlines around it.
const outlines = L.geoJSON(null, {
  style: { color: "#07503a", weight: 2, fill: true, fillOpacity: 0 },
  onEachFeature: (feature, layer) => {
    outlineByCode.set(feature.id, layer);
    layer.bindPopup(() => {
      const box = element("div", null, { class: "popup" });
      const heading = element("strong");
      heading.append(element("a", feature.properties.name, { href: feature.properties.url }));
      box.append(heading, element("p", container.dataset.labelBuurtPage || ""));
      return box;
    });
  },
});
L.control.layers(null, { [container.dataset.labelOutlines]: outlines }, { collapsed: false }).addTo(map);

const area = boundsFrom(container.dataset.area);
if (area) map.fitBounds(area); else map.fitBounds([[50.75, 3.36], [53.56, 7.23]]); // the Netherlands

// The page's filters, without paging: the map shows everything the list pages through.
const filters = new URLSearchParams(container.dataset.query);
filters.delete("page");

function popupFor(properties) {
  const box = element("div", null, { class: "popup" });
  const heading = element("strong");
  heading.append(element("a", properties.title, { href: properties.url }));
  const kind = labels[properties.kind] || properties.kind;
  box.append(heading, element("p", `${kind} · ${properties.buurt_name}`));
  return box;
}

function bboxParam() {
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
          clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(5)).join(",");
}

// The map asks for tiles of the server's grid (marketplace/mapdata/grid.py), so that everyone
// looking at the same area asks the same addresses and caches can answer. A tile answers with
// clusters (counts per cell) or, when it holds few listings, with pins.
const MAX_TILE_LEVEL = 16;
const column = (lon, level) => Math.floor(((lon + 180) / 360) * 2 ** level);
const row = (lat, level) => Math.floor(((lat + 90) / 180) * 2 ** level);
const tiles = new Map(); // "level/x/y" → { markers, points: [[lat, lon, count]] } once loaded
let shownLevel = null;

function tilesInView() {
  const level = Math.max(0, Math.min(MAX_TILE_LEVEL, Math.floor(map.getZoom())));
  const b = map.getBounds();
  const last = 2 ** level - 1;
  const clampTo = (v) => Math.max(0, Math.min(last, v));
  const keys = [];
  for (let x = clampTo(column(b.getWest(), level)); x <= clampTo(column(b.getEast(), level)); x += 1) {
    for (let y = clampTo(row(b.getSouth(), level)); y <= clampTo(row(b.getNorth(), level)); y += 1) {
      keys.push(`${level}/${x}/${y}`);
    }
  }
  return { level, keys };
}

function clusterMarker([lat, lon, count, ...byKind], kinds) {
  const word = (kind, n) => ((n === 1 ? labels[kind] : plurals[kind]) || kind).toLocaleLowerCase();
  const parts = kinds.map((kind, i) => (byKind[i] ? `${byKind[i]} ${word(kind, byKind[i])}` : null)).filter(Boolean);
  const template = count === 1 ? container.dataset.labelClusterOne : container.dataset.labelCluster;
  const label = template.replace("{count}", String(count)).replace("{kinds}", parts.join(", "));
  const size = count < 10 ? 34 : count < 100 ? 40 : count < 1000 ? 46 : 52;
  const marker = L.marker([lat, lon], {
    icon: L.divIcon({ className: "map-cluster", html: `<span>${Number(count)}</span>`, iconSize: [size, size] }),
    title: label,
    alt: label,
    keyboard: true,
  });
  // Read out as a whole ("12 listings here (…): zoom in"), not only its number.
  marker.on("add", () => marker.getElement()?.setAttribute("aria-label", label));
  marker.on("click", () => {
    // The cluster goes with the zoom: keep the keyboard on the map rather than on the page.
    if (marker.getElement() === document.activeElement) container.focus();
    map.setView([lat, lon], Math.min(map.getZoom() + 2, 18));
  });
  return marker;
}

function pinMarker([id, lat, lon, kind, title, buurtName], address) {
  const marker = L.marker([lat, lon], { icon: kindIcon(kind), title, alt: title, keyboard: true });
  marker.bindPopup(() => popupFor({ title, kind, buurt_name: buurtName, url: address.replace("{id}", String(id)) }));
  return marker;
}

function showCount() {
  const bounds = map.getBounds();
  let count = 0;
  for (const tile of tiles.values()) {
    for (const [lat, lon, n] of tile.points || []) if (bounds.contains([lat, lon])) count += n;
  }
  container.dataset.loaded = String(count);
  statusLine.textContent = container.dataset.labelCount.replace("{count}", String(count));
}

/** A tile's answer; asked once more after a moment when the first try fails (a busy server). */
async function fetchTile(url, signal, tries = 2) {
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.json();
  } catch (error) {
    if (error.name === "AbortError" || tries <= 1) throw error;
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
    if (signal.aborted) throw new DOMException("moved on", "AbortError");
    return fetchTile(url, signal, tries - 1);
  }
}

let pending = null;
async function loadListings() {
  const { level, keys } = tilesInView();
  if (level !== shownLevel) {
    if (pending) pending.abort();
    pending = new AbortController();
    tiles.clear();
    pinLayer.clearLayers();
    clusterLayer.clearLayers();
    shownLevel = level;
  }
  const wanted = new Set(keys);
  for (const [key, tile] of tiles) {
    if (wanted.has(key)) continue;
    tiles.delete(key);
    if (!tile.markers) continue;
    tile.markers.clusters.forEach((marker) => clusterLayer.removeLayer(marker));
    pinLayer.removeLayers(tile.markers.pins);
  }
  const signal = pending ? pending.signal : (pending = new AbortController()).signal;
  const query = filters.toString();
  const missing = keys.filter((key) => !tiles.has(key));
  missing.forEach((key) => tiles.set(key, {}));
  // Each tile on its own: one that fails leaves the others shown, and is asked again next move.
  const results = await Promise.allSettled(missing.map(async (key) => {
    const data = await fetchTile(`${container.dataset.mapApi}/${key}${query ? `?${query}` : ""}`, signal);
    const slot = tiles.get(key);
    if (!slot || slot.markers) return; // moved away meanwhile, or loaded by a later move
    const markers = {
      clusters: data.clusters.map((cluster) => clusterMarker(cluster, data.kinds)),
      pins: data.pins.map((pin) => pinMarker(pin, data.listing_url)),
    };
    markers.clusters.forEach((marker) => clusterLayer.addLayer(marker));
    pinLayer.addLayers(markers.pins);
    tiles.set(key, {
      markers,
      points: [...data.clusters.map(([lat, lon, n]) => [lat, lon, n]), ...data.pins.map(([, lat, lon]) => [lat, lon, 1])],
    });
  }));
  const failed = results.filter((result) => result.status === "rejected" && result.reason.name !== "AbortError");
  missing.forEach((key) => { if (tiles.get(key) && !tiles.get(key).markers) tiles.delete(key); });
  if (results.some((result) => result.status === "rejected" && result.reason.name === "AbortError")) return;
  if (failed.length) statusLine.textContent = container.dataset.labelError;
  else showCount();
}

// Buurt outlines come from zoom 12 (a town); further out the layer says so instead of drawing
// nothing without a word.
const OUTLINES_FROM_ZOOM = 12;
const outlineHint = document.getElementById("outline-hint");

async function loadOutlines() {
  const tooFar = map.hasLayer(outlines) && map.getZoom() < OUTLINES_FROM_ZOOM;
  // A live region that is always there: screen readers say it when its words change.
  if (outlineHint) outlineHint.textContent = tooFar ? outlineHint.dataset.label : "";
  if (!map.hasLayer(outlines) || tooFar) { outlines.clearLayers(); outlineByCode.clear(); return; }
  try {
    const response = await fetch(`${container.dataset.buurtenApi}?bbox=${bboxParam()}`);
    if (!response.ok) return;
    showOutlines((await response.json()).features || []);
  } catch { /* the outlines are a nicety; the map works without them */ }
}

function showOutlines(features) {
  const wanted = new Set(features.map((feature) => feature.id));
  for (const [code, layer] of outlineByCode) {
    if (!wanted.has(code) && !layer.isPopupOpen()) {
      outlines.removeLayer(layer);
      outlineByCode.delete(code);
    }
  }
  for (const feature of features) {
    if (!outlineByCode.has(feature.id)) outlines.addData(feature);
  }
}

map.on("moveend", () => { loadListings(); loadOutlines(); });
map.on("overlayadd", loadOutlines);
map.on("overlayremove", loadOutlines);
loadListings();

// "Near me": fill the hidden near field from the device's position and apply the filter.
const nearButton = document.getElementById("near-me");
if (nearButton && "geolocation" in navigator) {
  nearButton.hidden = false;
  nearButton.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById("filter-near").value =
          `${position.coords.latitude.toFixed(5)},${position.coords.longitude.toFixed(5)}`;
        document.getElementById("listing-filters").submit();
      },
      () => { statusLine.textContent = container.dataset.labelLocationError; },
      { timeout: 10000 },
    );
  });
}
