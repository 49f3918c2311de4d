"""The map's data at every zoom: counts per grid cell kept up to date by the database, data
versions that change with every write to an area, and answers per grid tile that caches share."""
