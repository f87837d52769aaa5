"""Pure chart builders: DataFrame -> pydeck Deck / plotly Figure / export bytes.

Nothing here imports streamlit, touches the store or computes metrics: pages feed these builders
frames from ``analysis.store`` and ``analysis.metrics`` and draw what comes back. Submodules are
imported explicitly (``from analysis.viz.prediction_map import prediction_map``).
"""
