// Shared Leaflet set-up for Buurtmarkt's maps. Leaflet itself is loaded as a classic script (L).

/** A Leaflet map in `element` with the configured tile layer; tiles that fail to load are ignored. */
export function createMap(element, options = {}) {
  const { zoomControl = true, ...rest } = options;
  const labels = document.body.dataset;
  const map = L.map(element, { zoomControl: false, ...rest });
  // Leaflet's own words are English; the page gives them in the reader's language.
  if (zoomControl) {
    L.control.zoom({ zoomInTitle: labels.mapZoomIn, zoomOutTitle: labels.mapZoomOut }).addTo(map);
  }
  map.attributionControl?.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.on("popupopen", (event) => {
    const close = event.popup.getElement()?.querySelector(".leaflet-popup-close-button");
    if (close && labels.mapClose) close.setAttribute("aria-label", labels.mapClose);
  });
  const tiles = L.tileLayer(element.dataset.tiles, {
    maxZoom: 19,
    attribution: element.dataset.attribution || "",
  });
  tiles.addTo(map);
  return map;
}

/** "west,south,east,north" from a data attribute as Leaflet bounds, or null. */
export function boundsFrom(text) {
  if (!text) return null;
  const [west, south, east, north] = text.split(",").map(Number);
  if ([west, south, east, north].some(Number.isNaN)) return null;
  return L.latLngBounds([south, west], [north, east]);
}

/** A pin for a kind of listing: colour and letter come from CSS, so no inline styles are needed. */
export function kindIcon(kind) {
  return L.divIcon({
    className: `pin pin-${kind}`,
    html: '<span class="pin-dot" aria-hidden="true"></span>',
    iconSize: [28, 28],
    iconAnchor: [14, 28],
    popupAnchor: [0, -26],
  });
}

/** Create an element with text content (never innerHTML for data from the server). */
export function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}
