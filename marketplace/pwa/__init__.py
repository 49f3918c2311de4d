"""Buurtmarkt on the phone like an app: the web app manifest, the service worker that keeps
visited pages for when the network is gone and shows push messages, and the offline page."""
