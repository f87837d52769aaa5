"""Dashboard pages (thin views). ``_registry.PAGES`` lists them; ``_shared`` holds the plumbing."""
