"""GeoScope core: datasets, runs, metrics and geography for image-geolocation benchmarks.

This package never imports streamlit; the dashboard in ``pages/`` sits on top of it.
"""

__version__ = "0.1.0"
