"""The open API: the governed lists as JSON under /api/v1/, read with the same filters
and the same scope as their pages, and the writes the pages take through the same forms
and services; described by an OpenAPI 3 schema at /api/schema/."""
