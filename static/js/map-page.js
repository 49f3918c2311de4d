// The map page: markers for the listings in view, reloaded when the map moves, same filters as
// the list beside it; buurt outlines as an optional layer; "near me" for the filter form.
import { boundsFrom, createMap, element, kindIcon } from "./map-common.js";

const container = document.getElementById("listing-map");
const statusLine = document.getElementById("map-status");
const labels = JSON.parse(container.dataset.kindLabels || "{}");

const map = createMap(container);
const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
map.addLayer(clusters);

const outlines = L.geoJSON(null, { style: { color: "#07503a", weight: 2, fill: false } });
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

let pending = null;
async function loadListings() {
  if (pending) pending.abort();
  pending = new AbortController();
  const params = new URLSearchParams(filters);
  params.set("bbox", bboxParam());
  try {
    const response = await fetch(`${container.dataset.api}?${params}`, { signal: pending.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.json();
    clusters.clearLayers();
    const markers = data.features.map((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.marker([lat, lon], {
        icon: kindIcon(feature.properties.kind),
        title: feature.properties.title,
        alt: feature.properties.title,
        keyboard: true,
      });
      marker.bindPopup(() => popupFor(feature.properties));
      return marker;
    });
    clusters.addLayers(markers);
    container.dataset.loaded = String(markers.length);
    statusLine.textContent = data.truncated
      ? container.dataset.labelTruncated
      : container.dataset.labelCount.replace("{count}", String(data.numberReturned));
  } catch (error) {
    if (error.name === "AbortError") return;
    statusLine.textContent = container.dataset.labelError;
  }
}

async function loadOutlines() {
  if (!map.hasLayer(outlines) || map.getZoom() < 12) { outlines.clearLayers(); return; }
  try {
    const response = await fetch(`${container.dataset.buurtenApi}?bbox=${bboxParam()}`);
    if (!response.ok) return;
    outlines.clearLayers();
    outlines.addData(await response.json());
  } catch { /* the outlines are a nicety; the map works without them */ }
}

map.on("moveend", () => { loadListings(); loadOutlines(); });
map.on("overlayadd", loadOutlines);
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
