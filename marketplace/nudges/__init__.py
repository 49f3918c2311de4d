"""Friendly nudges: a listing that has been quiet for the gemeente's chosen period asks its owner
whether it is still current (post news, say it still runs, or close it), and the buurt's
wijkwerker sees the quiet ones of their area."""
