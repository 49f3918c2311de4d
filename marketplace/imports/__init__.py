"""Importing the buurten of the CBS wijk- en buurtkaart as a background job with its own page."""
