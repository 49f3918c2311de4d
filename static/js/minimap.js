// Small maps on listing and buurt pages: one point (with a ~150 m circle when blurred) or a
// buurt outline. Still and quiet: no scroll-zoom, so the page scrolls as expected on a phone. It
// only shows where: the map itself takes no keyboard focus and its shapes are not controls (the
// page says the buurt in words), so its zoom buttons are the only controls in it.
import { createMap } from "./map-common.js";

for (const container of document.querySelectorAll("[data-minimap]")) {
  const lat = Number(container.dataset.lat);
  const lon = Number(container.dataset.lon);
  const map = createMap(container, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false,
                                     keyboard: false });
  map.setView([lat, lon], 15);
  if (container.dataset.circle) {
    L.circle([lat, lon], { radius: Number(container.dataset.circle), color: "#0b6e4f",
                           interactive: false }).addTo(map);
  } else if (!container.dataset.outline) {
    L.circleMarker([lat, lon], { radius: 8, color: "#0b6e4f", interactive: false }).addTo(map);
  }
  if (container.dataset.outline) {
    fetch(container.dataset.outline)
      .then((response) => (response.ok ? response.json() : null))
      .then((buurt) => {
        if (!buurt) return;
        const layer = L.geoJSON(buurt.geometry, { style: { color: "#07503a", weight: 2 },
                                                  interactive: false }).addTo(map);
        map.fitBounds(layer.getBounds());
      })
      .catch(() => {});
  }
}
