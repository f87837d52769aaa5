"""Non-streamlit helpers for the dashboard pages: URL state, filters, tables, data assembly.

Pages stay thin by calling these; everything here is testable without a browser or streamlit.
"""
