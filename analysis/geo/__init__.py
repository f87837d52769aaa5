"""Geography core: distances, country names -> ISO3, country polygons and point -> country.

Submodules are imported explicitly (``from analysis.geo.distance import haversine_km``) so that
importing the package stays cheap: ``countries`` loads geopandas lazily, on first use.
"""
