"""A generator of sourced explainer sites: YAML content in, a cited, searchable MkDocs site out."""
